package dev.mooring.operator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.operator.TestServers;
import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.api.v1alpha1.McpServerStatus;
import dev.mooring.operator.api.v1alpha1.spec.OnFailure;
import dev.mooring.operator.api.v1alpha1.status.VerificationResult;
import dev.mooring.operator.verify.VerificationGate.Decision;
import dev.mooring.operator.verify.VerificationGate.Facts;
import dev.mooring.operator.verify.VerificationGate.JobState;
import dev.mooring.operator.verify.VerificationGate.Verified;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class VerificationGateTest {
    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    private static final String GOOD = "aaaaaaaaaa";
    private static final String BAD = "bbbbbbbbbb";

    private final McpServer server = TestServers.server("weather");

    @Test
    void waitsForTheRolloutBeforeStartingAJob() {
        Decision decision = decide(BAD, false, new JobState.Absent());
        assertThat(decision.startJob()).isFalse();
        assertThat(decision.verified()).isEqualTo(Verified.UNKNOWN);
        assertThat(decision.reason()).isEqualTo("RollingOut");
    }

    @Test
    void startsOneJobForARolledOutRevisionAndWaitsWhileItRuns() {
        assertThat(decide(GOOD, true, new JobState.Absent()).startJob()).isTrue();
        Decision running = decide(GOOD, true, new JobState.Running("weather-verify-" + GOOD));
        assertThat(running.startJob()).isFalse();
        assertThat(running.reason()).isEqualTo("Verifying");
        assertThat(running.servingVerified()).isFalse();
    }

    @Test
    void aPassMovesTheLastVerifiedRevision() {
        Decision decision = decide(GOOD, true, new JobState.Finished(result(GOOD, true)));
        assertThat(decision.lastVerifiedRevision()).isEqualTo(GOOD);
        assertThat(decision.verified()).isEqualTo(Verified.TRUE);
        assertThat(decision.servingVerified()).isTrue();
        assertThat(decision.message()).contains("3 tools");
        assertThat(decision.rollbackTo()).isEmpty();
    }

    @Test
    void aFailureRollsBackToTheLastVerifiedRevision() {
        remember(GOOD, null);
        Decision decision = decide(BAD, true, new JobState.Finished(result(BAD, false)));
        assertThat(decision.rollbackTo()).contains(GOOD);
        assertThat(decision.rollback().getFrom()).isEqualTo(BAD);
        assertThat(decision.rollback().getTo()).isEqualTo(GOOD);
        assertThat(decision.rollback().getGeneration()).isEqualTo(1L);
        assertThat(decision.rollback().getReason()).isEqualTo("expected tools missing: sleep");
        assertThat(decision.degraded()).hasValueSatisfying(m -> assertThat(m).contains("rolled back to " + GOOD));
        assertThat(decision.lastVerifiedRevision()).isEqualTo(GOOD);
    }

    @Test
    void holdLeavesTheFailedRevisionLive() {
        remember(GOOD, null);
        server.getSpec().getVerification().setOnFailure(OnFailure.Hold);
        Decision decision = decide(BAD, true, new JobState.Finished(result(BAD, false)));
        assertThat(decision.rollbackTo()).isEmpty();
        assertThat(decision.degraded()).hasValueSatisfying(m -> assertThat(m).contains("onFailure is Hold"));
        assertThat(decision.verified()).isEqualTo(Verified.FALSE);
    }

    @Test
    void theFirstRevisionHasNothingToRollBackTo() {
        Decision decision = decide(BAD, true, new JobState.Finished(result(BAD, false)));
        assertThat(decision.rollbackTo()).isEmpty();
        assertThat(decision.degraded()).hasValueSatisfying(m -> assertThat(m).contains("nothing to roll back to"));
    }

    @Test
    void afterARestartARecordedResultIsNotCheckedAgain() {
        remember(GOOD, result(BAD, false));
        // The Job was cleaned up (or not yet seen by a fresh cache): the recorded result still decides.
        Decision decision = decide(BAD, true, new JobState.Absent());
        assertThat(decision.startJob()).isFalse();
        assertThat(decision.rollbackTo()).contains(GOOD);
    }

    @Test
    void aRestartDuringTheRollbackFinishesItOnceAndThenHolds() {
        remember(GOOD, result(BAD, false));
        Decision first = decide(BAD, true, new JobState.Absent());
        server.getStatus().setRollback(first.rollback());

        // The status says rolled back for this generation: the bad template is never applied again.
        assertThat(VerificationGate.holding(server)).isTrue();
        Decision heldWhileRollingBack = decide(GOOD, false, new JobState.Absent());
        assertThat(heldWhileRollingBack.rollbackTo()).isEmpty();
        assertThat(heldWhileRollingBack.startJob()).isFalse();
        assertThat(heldWhileRollingBack.verified()).isEqualTo(Verified.TRUE);
        assertThat(heldWhileRollingBack.degraded()).hasValueSatisfying(m -> assertThat(m).contains("holds " + GOOD));
        // Should the bad revision come back within the same generation, Mooring does not roll back twice.
        assertThat(decide(BAD, true, new JobState.Absent()).rollbackTo()).isEmpty();
    }

    @Test
    void aNewGenerationAfterARollbackStartsANewAttempt() {
        remember(GOOD, result(BAD, false));
        server.getStatus().setRollback(decide(BAD, true, new JobState.Absent()).rollback());
        server.getMetadata().setGeneration(2L);

        assertThat(VerificationGate.holding(server)).isFalse();
        String fixed = "cccccccccc";
        assertThat(decide(fixed, true, new JobState.Absent()).startJob()).isTrue();
        Decision passed = decide(fixed, true, new JobState.Finished(result(fixed, true)));
        assertThat(passed.lastVerifiedRevision()).isEqualTo(fixed);
        assertThat(passed.degraded()).isEmpty();
    }

    @Test
    void disabledVerificationCountsAsVerifiedWithoutAJob() {
        server.getSpec().getVerification().setEnabled(false);
        Decision decision = decide(GOOD, true, new JobState.Absent());
        assertThat(decision.startJob()).isFalse();
        assertThat(decision.servingVerified()).isTrue();
        assertThat(decision.reason()).isEqualTo("VerificationDisabled");
    }

    private Decision decide(String serving, boolean rolledOut, JobState job) {
        return VerificationGate.decide(new Facts(server, serving, rolledOut, job, NOW));
    }

    private void remember(String lastVerified, VerificationResult verification) {
        McpServerStatus status = new McpServerStatus();
        status.setLastVerifiedRevision(lastVerified);
        status.setVerification(verification);
        server.setStatus(status);
    }

    static VerificationResult result(String revision, boolean passed) {
        VerificationResult result = new VerificationResult();
        result.setRevision(revision);
        result.setResult(passed ? VerificationResult.PASSED : VerificationResult.FAILED);
        result.setServerName("weather");
        result.setServerVersion("1.0");
        result.setProtocolVersion("2025-11-25");
        result.setToolCount(3);
        result.setMessage(passed ? null : "expected tools missing: sleep");
        return result;
    }
}
