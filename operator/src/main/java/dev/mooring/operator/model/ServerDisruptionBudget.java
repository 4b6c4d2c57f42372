package dev.mooring.operator.model;

import dev.mooring.operator.api.v1alpha1.McpServer;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.Optional;

/** Lets node drains evict one server pod at a time; pointless with a single replica, so absent then. */
public final class ServerDisruptionBudget {
    private ServerDisruptionBudget() {
    }

    /**
     * @param currentReplicas the Deployment's replicas now, which decide when spec.replicas is unset and
     *                        an autoscaler owns the count
     */
    public static Optional<PodDisruptionBudget> desired(McpServer server, int currentReplicas) {
        var spec = server.getSpec();
        int replicas = spec.getReplicas() != null ? spec.getReplicas() : currentReplicas;
        boolean several = replicas >= 2;
        if (!Boolean.TRUE.equals(spec.getDisruptionBudget().getEnabled()) || !several) {
            return Optional.empty();
        }
        return Optional.of(new PodDisruptionBudgetBuilder()
                .withMetadata(ChildMetadata.build(server))
                .withNewSpec()
                    .withMaxUnavailable(new IntOrString(1))
                    .withNewSelector().withMatchLabels(Labels.selector(server)).endSelector()
                .endSpec()
                .build());
    }
}
