package dev.mooring.operator.apply;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/**
 * Hands a Deployment's replicas over when the McpServer stops setting them (an HPA takes over). Server-side
 * apply removes a field its only owner stops sending, and the Deployment would fall back to 1 replica in the
 * middle of serving; so before Mooring stops sending it, a second field manager applies the current count and
 * keeps owning it until the autoscaler (or a new spec.replicas) takes it.
 */
public final class ReplicasHandoff {
    public static final String FIELD_MANAGER = "mooring-replicas-handoff";

    private final KubernetesClient client;

    public ReplicasHandoff(KubernetesClient client) {
        this.client = client;
    }

    /** Whether {@code actual}'s replicas were handed over now (a write). */
    public boolean handOver(Deployment actual) {
        if (!ownsReplicas(actual, ServerSideApplier.FIELD_MANAGER) || ownsReplicas(actual, FIELD_MANAGER)
                || actual.getSpec().getReplicas() == null) {
            return false;
        }
        Deployment replicasOnly = new DeploymentBuilder()
                .withNewMetadata().withName(actual.getMetadata().getName()).withNamespace(actual.getMetadata().getNamespace()).endMetadata()
                .withNewSpec().withReplicas(actual.getSpec().getReplicas()).endSpec()
                .build();
        client.resource(replicasOnly).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
        return true;
    }

    static boolean ownsReplicas(Deployment deployment, String manager) {
        return deployment.getMetadata().getManagedFields().stream()
                .filter(entry -> manager.equals(entry.getManager()) && "Apply".equals(entry.getOperation()))
                .anyMatch(ReplicasHandoff::hasReplicas);
    }

    private static boolean hasReplicas(ManagedFieldsEntry entry) {
        if (entry.getFieldsV1() == null || !(entry.getFieldsV1().getAdditionalProperties().get("f:spec") instanceof Map<?, ?> spec)) {
            return false;
        }
        return spec.containsKey("f:replicas");
    }
}
