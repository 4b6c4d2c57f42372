package dev.mooring.operator.verify;

import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.api.v1alpha1.McpServerStatus;
import dev.mooring.operator.api.v1alpha1.spec.OnFailure;
import dev.mooring.operator.api.v1alpha1.status.RollbackRecord;
import dev.mooring.operator.api.v1alpha1.status.VerificationResult;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The verification state machine, pure: from what the status remembers and what the cluster shows now, it
 * decides whether to start a Job, what to record, and whether to roll back. Everything it decides is
 * derived again on the next reconcile, so an operator restarted at any point neither starts a second Job for
 * a revision already checked nor rolls back twice.
 */
public final class VerificationGate {

    public enum Verified { TRUE, FALSE, UNKNOWN }

    /**
     * @param servingRevision the revision of the Deployment's pod template now
     * @param rolledOut       every replica runs servingRevision, ready and available; no older pod is left
     * @param jobResult       for servingRevision: empty when no Job exists, a result without outcome while it runs
     */
    public record Facts(McpServer server, String servingRevision, boolean rolledOut, JobState jobResult, Instant now) {
    }

    /** The verification Job of the serving revision, as the cluster shows it. */
    public sealed interface JobState {
        record Absent() implements JobState { }
        record Running(String job) implements JobState { }
        record Finished(VerificationResult result) implements JobState { }
    }

    /**
     * @param startJob   create the Job for the serving revision
     * @param rollbackTo put this (last verified) revision's template back
     * @param degraded   a message for Degraded=True, reason VerificationFailed; empty when verification has no complaint
     */
    public record Decision(boolean startJob, Optional<String> rollbackTo, String lastVerifiedRevision,
                           VerificationResult verification, RollbackRecord rollback, Verified verified, String reason,
                           String message, Optional<String> degraded, boolean servingVerified) {
    }

    private VerificationGate() {
    }

    /** Whether Mooring holds a rolled-back revision: until the spec's generation moves on. */
    public static boolean holding(McpServer server) {
        RollbackRecord rollback = server.getStatus() == null ? null : server.getStatus().getRollback();
        return rollback != null && Objects.equals(rollback.getGeneration(), server.getMetadata().getGeneration());
    }

    public static Decision decide(Facts facts) {
        McpServer server = facts.server();
        McpServerStatus status = Optional.ofNullable(server.getStatus()).orElseGet(McpServerStatus::new);
        String serving = facts.servingRevision();
        String lastVerified = status.getLastVerifiedRevision();
        VerificationResult recorded = status.getVerification();
        RollbackRecord rollback = status.getRollback();
        Optional<String> heldBack = holding(server) ? Optional.of(rolledBackMessage(rollback)) : Optional.empty();

        if (!Boolean.TRUE.equals(server.getSpec().getVerification().getEnabled())) {
            return new Decision(false, Optional.empty(), lastVerified, recorded, rollback, Verified.UNKNOWN,
                    "VerificationDisabled", "spec.verification.enabled is false", Optional.empty(), true);
        }
        if (serving.equals(lastVerified)) {
            return new Decision(false, Optional.empty(), lastVerified, recorded, rollback, Verified.TRUE, "Passed",
                    "revision " + serving + " passed verification" + summary(recorded, serving), heldBack, true);
        }
        if (!facts.rolledOut()) {
            return new Decision(false, Optional.empty(), lastVerified, recorded, rollback, Verified.UNKNOWN, "RollingOut",
                    "revision " + serving + " is verified once all its replicas serve", heldBack, false);
        }
        VerificationResult result = recorded != null && serving.equals(recorded.getRevision()) ? recorded
                : facts.jobResult() instanceof JobState.Finished f ? f.result() : null;
        if (result == null) {
            boolean start = facts.jobResult() instanceof JobState.Absent;
            String job = facts.jobResult() instanceof JobState.Running r ? r.job() : "for revision " + serving;
            return new Decision(start, Optional.empty(), lastVerified, recorded, rollback, Verified.UNKNOWN, "Verifying",
                    "verification Job " + job + (start ? " is starting" : " is running"), heldBack, false);
        }
        if (result.passed()) {
            return new Decision(false, Optional.empty(), serving, result, rollback, Verified.TRUE, "Passed",
                    "revision " + serving + " passed verification" + summary(result, serving), Optional.empty(), true);
        }
        return failed(facts, result, lastVerified, rollback);
    }

    private static Decision failed(Facts facts, VerificationResult result, String lastVerified, RollbackRecord rollback) {
        McpServer server = facts.server();
        String serving = facts.servingRevision();
        String failure = "revision " + serving + " failed verification: " + result.getMessage();
        if (server.getSpec().getVerification().getOnFailure() == OnFailure.Hold) {
            return new Decision(false, Optional.empty(), lastVerified, result, rollback, Verified.FALSE, "Failed", failure,
                    Optional.of(failure + "; onFailure is Hold, so it stays live"), false);
        }
        if (lastVerified == null) {
            return new Decision(false, Optional.empty(), lastVerified, result, rollback, Verified.FALSE, "Failed", failure,
                    Optional.of(failure + "; no earlier revision passed verification, so there is nothing to roll back to"), false);
        }
        if (holding(server)) {
            // Already rolled back for this generation; the failed template must have come back by other hands.
            return new Decision(false, Optional.empty(), lastVerified, result, rollback, Verified.FALSE, "Failed", failure,
                    Optional.of(failure + "; already rolled back once for this generation"), false);
        }
        RollbackRecord record = new RollbackRecord();
        record.setFrom(serving);
        record.setTo(lastVerified);
        record.setReason(result.getMessage());
        record.setAt(facts.now().toString());
        record.setGeneration(server.getMetadata().getGeneration());
        return new Decision(false, Optional.of(lastVerified), lastVerified, result, record, Verified.FALSE, "Failed", failure,
                Optional.of(rolledBackMessage(record)), false);
    }

    private static String rolledBackMessage(RollbackRecord rollback) {
        return "revision " + rollback.getFrom() + " failed verification (" + rollback.getReason() + ") and was rolled back to "
                + rollback.getTo() + "; Mooring holds " + rollback.getTo() + " until the spec changes";
    }

    private static String summary(VerificationResult result, String revision) {
        if (result == null || !revision.equals(result.getRevision()) || !result.passed()) {
            return "";
        }
        return ": " + result.getServerName() + " " + result.getServerVersion() + ", protocol " + result.getProtocolVersion()
                + ", " + result.getToolCount() + " tools";
    }
}
