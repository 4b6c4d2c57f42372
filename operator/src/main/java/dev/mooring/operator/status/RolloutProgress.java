package dev.mooring.operator.status;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.util.Objects;
import java.util.Optional;

/** What the Deployment controller reports about the rollout of the template Mooring applied. */
public record RolloutProgress(int desired, int total, int updated, int ready, int available,
                              boolean observed, Optional<String> deadlineExceeded, Optional<String> replicaFailure) {

    public static RolloutProgress of(Deployment deployment) {
        DeploymentStatus status = Optional.ofNullable(deployment.getStatus()).orElseGet(DeploymentStatus::new);
        int desired = Optional.ofNullable(deployment.getSpec().getReplicas()).orElse(1);
        Long generation = deployment.getMetadata().getGeneration();
        boolean observed = status.getObservedGeneration() != null && generation != null
                && status.getObservedGeneration() >= generation;
        return new RolloutProgress(desired, zeroIfNull(status.getReplicas()), zeroIfNull(status.getUpdatedReplicas()),
                zeroIfNull(status.getReadyReplicas()), zeroIfNull(status.getAvailableReplicas()), observed,
                condition(status, "Progressing", "False").filter(c -> "ProgressDeadlineExceeded".equals(c.getReason()))
                        .map(DeploymentCondition::getMessage),
                condition(status, "ReplicaFailure", "True").map(DeploymentCondition::getMessage));
    }

    /** Every pod runs the current template and is ready and available; no pod of an older one is left. */
    public boolean complete() {
        return observed && updated == desired && ready == desired && available == desired && total == desired;
    }

    private static Optional<DeploymentCondition> condition(DeploymentStatus status, String type, String value) {
        return status.getConditions().stream()
                .filter(c -> type.equals(c.getType()) && value.equals(c.getStatus()))
                .findFirst();
    }

    private static int zeroIfNull(Integer value) {
        return Objects.requireNonNullElse(value, 0);
    }
}
