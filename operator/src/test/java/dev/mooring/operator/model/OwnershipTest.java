package dev.mooring.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the operator's caches keep: labels are not ownership. */
class OwnershipTest {
    private static final Map<String, String> LABELS = Map.of(Labels.MANAGED_BY, Labels.MANAGER, Labels.INSTANCE, "weather");

    @Test
    void aChildIsOwnedByItsControllerAndTheNameMooringGivesIt() {
        assertThat(Ownership.child(configMap("weather-mcp-check", server("weather", true)))).isTrue();
        assertThat(Ownership.child(deployment("weather", server("weather", true)))).isTrue();
        assertThat(Ownership.child(job("weather-verify-abc-def", server("weather", true)))).isTrue();

        assertThat(Ownership.child(configMap("weather-mcp-check", null))).as("Mooring's labels only").isFalse();
        assertThat(Ownership.child(configMap("flood-1", server("weather", true)))).as("a name Mooring never gives").isFalse();
        assertThat(Ownership.child(configMap("weather-mcp-check", server("weather", false)))).as("an owner that is not the controller").isFalse();
        assertThat(Ownership.child(deployment("weather", new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("McpServer")
                .withName("weather").withController(true).build()))).as("a kind of that name in another group").isFalse();
    }

    @Test
    void aPodIsOwnedWhenTheServersReplicaSetOrVerificationJobControlsIt() {
        assertThat(Ownership.pod(pod(owner("apps/v1", "ReplicaSet", "weather-7d9f8")))).isTrue();
        assertThat(Ownership.pod(pod(owner("batch/v1", "Job", "weather-verify-abc-def")))).isTrue();
        assertThat(Ownership.pod(pod(null))).as("a bare pod with the server's labels").isFalse();
        assertThat(Ownership.pod(pod(owner("apps/v1", "ReplicaSet", "other-7d9f8")))).as("another Deployment's").isFalse();
    }

    @Test
    void anEndpointSliceIsOwnedWhenTheServersServiceControlsIt() {
        assertThat(Ownership.endpointSlice(slice(owner("v1", "Service", "weather")))).isTrue();
        assertThat(Ownership.endpointSlice(slice(owner("v1", "Service", "other")))).isFalse();
        assertThat(Ownership.endpointSlice(slice(null))).isFalse();
    }

    private static OwnerReference server(String name, boolean controller) {
        return new OwnerReferenceBuilder().withApiVersion("mooring.dev/v1alpha1").withKind("McpServer").withName(name)
                .withUid("u-1").withController(controller).build();
    }

    private static OwnerReference owner(String apiVersion, String kind, String name) {
        return new OwnerReferenceBuilder().withApiVersion(apiVersion).withKind(kind).withName(name).withUid("u-2").withController(true).build();
    }

    private static ConfigMap configMap(String name, OwnerReference owner) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withLabels(LABELS)
                .withOwnerReferences(owner == null ? java.util.List.of() : java.util.List.of(owner)).endMetadata().build();
    }

    private static Deployment deployment(String name, OwnerReference owner) {
        return new DeploymentBuilder().withNewMetadata().withName(name).withLabels(LABELS).withOwnerReferences(owner).endMetadata().build();
    }

    private static Job job(String name, OwnerReference owner) {
        return new JobBuilder().withNewMetadata().withName(name).withLabels(LABELS).withOwnerReferences(owner).endMetadata().build();
    }

    private static Pod pod(OwnerReference owner) {
        return new PodBuilder().withNewMetadata().withName("p").withLabels(LABELS)
                .withOwnerReferences(owner == null ? java.util.List.of() : java.util.List.of(owner)).endMetadata().build();
    }

    private static EndpointSlice slice(OwnerReference owner) {
        return new EndpointSliceBuilder().withNewMetadata().withName("weather-x").withLabels(LABELS)
                .withOwnerReferences(owner == null ? java.util.List.of() : java.util.List.of(owner)).endMetadata().build();
    }
}
