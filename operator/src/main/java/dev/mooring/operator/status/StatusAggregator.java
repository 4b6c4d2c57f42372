package dev.mooring.operator.status;

import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.api.v1alpha1.McpServerStatus;
import dev.mooring.operator.reconciler.RolloutPacer;
import dev.mooring.operator.verify.VerificationGate;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Instant;
import java.util.Optional;

/**
 * The one place that turns what Mooring observed into an McpServer status. Pure: same inputs, same
 * status, so an unchanged world gives a status equal to the stored one and nothing is written.
 */
public final class StatusAggregator {

    /**
     * @param deployment the Deployment as it stands after this reconcile's apply, if any
     * @param finding    why pods of the revision do not serve, if they do not (PodDiagnosis)
     * @param revision   the revision Mooring wants serving
     * @param queued     why a revision the spec renders waits for a rollout slot (RolloutPacer), if it does
     */
    public record Observation(McpServer server, Optional<Deployment> deployment, Optional<PodDiagnosis.Finding> finding,
                              String revision, String endpoint, long gracePeriodSeconds,
                              VerificationGate.Decision verification, Optional<RolloutPacer.Wait> queued) {
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper COPIER = new com.fasterxml.jackson.databind.ObjectMapper();

    private StatusAggregator() {
    }

    public static McpServerStatus aggregate(Observation observed, Instant now) {
        McpServer server = observed.server();
        McpServerStatus previous = server.getStatus() == null ? new McpServerStatus() : server.getStatus();
        long generation = server.getMetadata().getGeneration() == null ? 0 : server.getMetadata().getGeneration();
        Conditions conditions = new Conditions(previous.getConditions(), generation, now);

        McpServerStatus status = new McpServerStatus();
        status.setObservedGeneration(generation);
        status.setRevision(observed.revision());
        status.setTerminationGracePeriodSeconds(observed.gracePeriodSeconds());
        VerificationGate.Decision verification = observed.verification();
        status.setLastVerifiedRevision(verification.lastVerifiedRevision());
        status.setLastVerifiedCheck(verification.lastVerifiedCheck());
        status.setVerification(verification.verification());
        status.setRollback(verification.rollback());
        // Clients are pointed at the server only once a revision of it has proven to speak MCP.
        if (verification.servingVerified() || verification.lastVerifiedRevision() != null) {
            status.setEndpoint(observed.endpoint());
        }

        if (observed.deployment().isEmpty()) {
            conditions.set(ConditionType.Ready, false, "Creating", "the Deployment is being created")
                    .set(ConditionType.Progressing, true, "Creating", "creating the Deployment for revision " + observed.revision())
                    .set(ConditionType.Verified, "Unknown", "Pending", "verification runs once the revision has rolled out")
                    .set(ConditionType.Degraded, false, "AsExpected", "nothing is wrong");
            status.setConditions(conditions.build());
            return status;
        }

        RolloutProgress rollout = RolloutProgress.of(observed.deployment().get());
        status.setReplicas(rollout.desired());
        status.setReadyReplicas(rollout.ready());
        status.setUpdatedReplicas(rollout.updated());
        status.setAvailableReplicas(rollout.available());
        Optional<PodDiagnosis.Finding> finding = observed.finding();

        ready(conditions, rollout, finding, verification);
        if (observed.queued().isPresent()) {
            conditions.set(ConditionType.Progressing, true, observed.queued().get().reason(), observed.queued().get().message());
        } else {
            progressing(conditions, rollout, observed.revision(), finding);
        }
        conditions.set(ConditionType.Verified, switch (verification.verified()) {
            case TRUE -> "True";
            case FALSE -> "False";
            case UNKNOWN -> "Unknown";
        }, verification.reason(), verification.message());
        degraded(conditions, rollout, observed.revision(), finding, verification);
        status.setConditions(conditions.build());
        return status;
    }

    /**
     * The status after a reconcile that failed: Degraded with the reason in words, the other conditions as they
     * were, and the generation marked observed, so that tools waiting for it (Argo CD) see the failure instead of
     * waiting forever.
     */
    public static McpServerStatus reconcileFailed(McpServer server, String reason, String message, Instant now) {
        // A copy: the caller compares the result with the status it holds.
        McpServerStatus status = server.getStatus() == null ? new McpServerStatus() : COPIER.convertValue(server.getStatus(), McpServerStatus.class);
        long generation = server.getMetadata().getGeneration() == null ? 0 : server.getMetadata().getGeneration();
        Conditions conditions = new Conditions(status.getConditions(), generation, now);
        status.getConditions().stream().filter(c -> !ConditionType.Degraded.name().equals(c.getType())).forEach(conditions::keep);
        conditions.set(ConditionType.Degraded, true, reason, message);
        status.setConditions(conditions.build());
        status.setObservedGeneration(generation);
        return status;
    }

    private static void ready(Conditions conditions, RolloutProgress rollout, Optional<PodDiagnosis.Finding> finding,
                              VerificationGate.Decision verification) {
        if (rollout.desired() == 0) {
            conditions.set(ConditionType.Ready, false, "ScaledToZero", "no replicas are wanted");
        } else if (rollout.complete() && !verification.servingVerified()) {
            conditions.set(ConditionType.Ready, false, verification.reason(), verification.message());
        } else if (rollout.complete()) {
            conditions.set(ConditionType.Ready, true, "AllReplicasReady",
                    rollout.ready() + " of " + rollout.desired() + " replicas of the current revision are ready");
        } else if (rollout.ready() > 0) {
            conditions.set(ConditionType.Ready, false, "RollingOut",
                    rollout.ready() + " replicas serve while the rollout is under way");
        } else {
            conditions.set(ConditionType.Ready, false, "NoReadyReplicas",
                    finding.map(PodDiagnosis.Finding::message).orElse("no replica is ready yet"));
        }
    }

    private static void progressing(Conditions conditions, RolloutProgress rollout, String revision,
                                    Optional<PodDiagnosis.Finding> finding) {
        if (rollout.complete()) {
            conditions.set(ConditionType.Progressing, false, "RolloutComplete", "revision " + revision + " is rolled out");
        } else if (rollout.deadlineExceeded().isPresent()) {
            conditions.set(ConditionType.Progressing, false, "ProgressDeadlineExceeded",
                    "the rollout of revision " + revision + " stopped making progress: " + rollout.deadlineExceeded().get());
        } else {
            String counts = "rolling out revision " + revision + ": " + rollout.updated() + " of " + rollout.desired()
                    + " replicas updated, " + rollout.ready() + " ready";
            conditions.set(ConditionType.Progressing, true, "RollingOut",
                    counts + finding.map(f -> "; " + f.message()).orElse(""));
        }
    }

    private static void degraded(Conditions conditions, RolloutProgress rollout, String revision,
                                 Optional<PodDiagnosis.Finding> finding, VerificationGate.Decision verification) {
        Optional<PodDiagnosis.Finding> stuck = finding.filter(PodDiagnosis.Finding::stuck);
        if (verification.degraded().isPresent()) {
            conditions.set(ConditionType.Degraded, true, verification.degraded().get().reason(), verification.degraded().get().message());
        } else if (rollout.deadlineExceeded().isPresent()) {
            conditions.set(ConditionType.Degraded, true, "ProgressDeadlineExceeded",
                    "the rollout of revision " + revision + " exceeded its progress deadline"
                            + finding.map(f -> ": " + f.message()).orElse(": " + rollout.deadlineExceeded().get()));
        } else if (rollout.replicaFailure().isPresent()) {
            conditions.set(ConditionType.Degraded, true, "ReplicaFailure",
                    "pods of revision " + revision + " cannot be created: " + rollout.replicaFailure().get());
        } else if (stuck.isPresent() && !rollout.complete()) {
            conditions.set(ConditionType.Degraded, true, stuck.get().reason(), stuck.get().message());
        } else {
            conditions.set(ConditionType.Degraded, false, "AsExpected", "nothing is wrong");
        }
    }
}
