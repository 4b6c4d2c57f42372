package dev.mooring.operator.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.operator.TestServers;
import dev.mooring.operator.model.ClusterCapabilities;
import dev.mooring.operator.model.ServerDeployment;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

class DesiredStateMatcherTest {
    private final DesiredStateMatcher matcher = new DesiredStateMatcher(new KubernetesSerialization());
    private final Deployment desired = ServerDeployment.desired(TestServers.server("weather"), new ClusterCapabilities(true, true), "mooring/proxy:test");

    @Test
    void ignoresWhatOthersAddedAndWhatTheServerDefaulted() {
        Deployment actual = new DeploymentBuilder(desired)
                .editMetadata().withResourceVersion("42").addToAnnotations("deployment.kubernetes.io/revision", "3").endMetadata()
                .editSpec().withReplicas(4)
                    .editTemplate().editMetadata().addToAnnotations("kubectl.kubernetes.io/restartedAt", "2026-01-01T00:00:00Z").endMetadata()
                    .editSpec().withDnsPolicy("ClusterFirst").withSchedulerName("default-scheduler").endSpec().endTemplate()
                .endSpec()
                .withNewStatus().withReadyReplicas(4).endStatus()
                .build();
        assertThat(matcher.matches(desired, actual)).isTrue();
    }

    @Test
    void seesAChangedValue() {
        Deployment actual = new DeploymentBuilder(desired).editSpec().editTemplate().editSpec()
                .editFirstContainer().withImage("other:1").endContainer().endSpec().endTemplate().endSpec().build();
        assertThat(matcher.matches(desired, actual)).isFalse();
    }

    @Test
    void seesAMissingLabel() {
        Deployment actual = new DeploymentBuilder(desired).editMetadata().removeFromLabels("app.kubernetes.io/managed-by").endMetadata().build();
        assertThat(matcher.matches(desired, actual)).isFalse();
    }

    @Test
    void seesAnExtraListElementWhereListsAreOwnedWhole() {
        Deployment actual = new DeploymentBuilder(desired).editSpec().editTemplate().editSpec()
                .editFirstContainer().addNewEnv().withName("X").withValue("1").endEnv().endContainer().endSpec().endTemplate().endSpec().build();
        assertThat(matcher.matches(desired, actual)).isFalse();
    }

    @Test
    void leavesAnEnvVarAnotherManagerAddedAloneButNotOneItAppliedBefore() {
        Deployment injected = new DeploymentBuilder(desired).editSpec().editTemplate().editSpec()
                .editFirstContainer().addNewEnv().withName("PLATFORM_REGION").withValue("eu-1").endEnv().endContainer().endSpec().endTemplate().endSpec().build();
        assertThat(matcher.matches(desired, withManagedEnv(injected))).as("the API server keeps it under its manager; applying changes nothing").isTrue();

        Deployment removedFromSpec = withManagedEnv(injected, "PLATFORM_REGION");
        assertThat(matcher.matches(desired, removedFromSpec)).as("Mooring applied it and no longer wants it: the apply removes it").isFalse();

        Deployment changed = new DeploymentBuilder(withManagedEnv(injected)).editSpec().editTemplate().editSpec().editFirstContainer()
                .editFirstEnv().withValue("changed").endEnv().endContainer().endSpec().endTemplate().endSpec().build();
        assertThat(matcher.matches(desired, changed)).as("a value of its own env var changed").isFalse();
    }

    /** The object as the API server returns it after Mooring's apply: managedFields say Mooring owns the desired env vars (and these). */
    private Deployment withManagedEnv(Deployment actual, String... alsoOwned) {
        KubernetesSerialization json = new KubernetesSerialization();
        ObjectNode env = JsonNodeFactory.instance.objectNode();
        desired.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().forEach(e -> env.putObject("k:{\"name\":\"" + e.getName() + "\"}"));
        for (String name : alsoOwned) {
            env.putObject("k:{\"name\":\"" + name + "\"}");
        }
        ObjectNode container = JsonNodeFactory.instance.objectNode();
        container.set("f:env", env);
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        fields.putObject("f:spec").putObject("f:template").putObject("f:spec").putObject("f:containers")
                .set("k:{\"name\":\"" + actual.getSpec().getTemplate().getSpec().getContainers().get(0).getName() + "\"}", container);
        ObjectNode object = json.convertValue(actual, ObjectNode.class);
        ObjectNode entry = ((ObjectNode) object.get("metadata")).putArray("managedFields").addObject()
                .put("manager", ServerSideApplier.FIELD_MANAGER).put("operation", "Apply").put("fieldsType", "FieldsV1");
        entry.set("fieldsV1", fields);
        return json.convertValue(object, Deployment.class);
    }

    @Test
    void comparesQuantitiesByAmountAsTheServerNormalisesThem() {
        Deployment wanting = withCpu(desired, "0.5");
        assertThat(matcher.matches(wanting, withCpu(desired, "500m"))).isTrue();
        assertThat(matcher.matches(wanting, withCpu(desired, "600m"))).isFalse();
    }

    @Test
    void treatsAnAbsentObjectAsNotMatching() {
        assertThat(matcher.matches(desired, null)).isFalse();
    }

    private static Deployment withCpu(Deployment base, String cpu) {
        return new DeploymentBuilder(base).editSpec().editTemplate().editSpec().editFirstContainer()
                .withResources(new ResourceRequirementsBuilder().addToRequests("cpu", new Quantity(cpu)).build())
                .endContainer().endSpec().endTemplate().endSpec().build();
    }
}
