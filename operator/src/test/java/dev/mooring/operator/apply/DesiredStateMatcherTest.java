package dev.mooring.operator.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.operator.TestServers;
import dev.mooring.operator.model.ClusterCapabilities;
import dev.mooring.operator.model.ServerDeployment;
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
