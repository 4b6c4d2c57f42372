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
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VerificationGateTest {
    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    private static final String GOOD = "aaaaaaaaaa";
    private static final String BAD = "bbbbbbbbbb";
    private static final String CHECK = "c0ffee00";

    private final McpServer server = TestServers.server("weather");
    private Optional<String> notRouted = Optional.empty();
    private Optional<String> stalled = Optional.empty();
    private Optional<String> rollbackUnavailable = Optional.empty();
    private Optional<PodCheck> podCheckFailed = Optional.empty();
    private boolean podChecksPending;
    private int ready = 2;
    private String check = CHECK;

    @Test
    void waitsForTheRolloutBeforeStartingAJob() {
        Decision decision = decide(BAD, false, new JobState.Absent());
        assertThat(decision.startJob()).isFalse();
        assertThat(decision.verified()).isEqualTo(Verified.UNKNOWN);
        assertThat(decision.reason()).isEqualTo("RollingOut");
    }

    @Test
    void waitsUntilTheServiceRoutesToTheRevisionAlone() {
        notRouted = Optional.of("pods of an earlier revision still run: weather-old-1");
        Decision decision = decide(GOOD, true, new JobState.Absent());
        assertThat(decision.startJob()).as("a check now could reach the old pod, or nothing at all").isFalse();
        assertThat(decision.reason()).isEqualTo("WaitingForEndpoints");
        assertThat(decision.message()).contains("weather-old-1");
        assertThat(decision.recheckAfter()).isPresent();
        notRouted = Optional.empty();
        assertThat(decide(GOOD, true, new JobState.Absent()).startAttempt()).isEqualTo(1);
    }

    @Test
    void aServerScaledToZeroIsNotCheckedAndNotFailed() {
        ready = 0;
        Decision decision = decide(GOOD, true, new JobState.Absent());
        assertThat(decision.startJob()).isFalse();
        assertThat(decision.verified()).isEqualTo(Verified.UNKNOWN);
        assertThat(decision.reason()).isEqualTo("ScaledToZero");
        assertThat(decision.degraded()).isEmpty();
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
    void aPassMovesTheLastVerifiedRevisionAndItsCheck() {
        Decision decision = decide(GOOD, true, new JobState.Finished(result(GOOD, VerificationResult.PASSED)));
        assertThat(decision.lastVerifiedRevision()).isEqualTo(GOOD);
        assertThat(decision.lastVerifiedCheck()).isEqualTo(CHECK);
        assertThat(decision.verified()).isEqualTo(Verified.TRUE);
        assertThat(decision.servingVerified()).isTrue();
        assertThat(decision.message()).contains("3 tools");
        assertThat(decision.rollbackTo()).isEmpty();
    }

    @Test
    void editedVerificationSettingsCheckTheLiveRevisionAgain() {
        remember(GOOD, result(GOOD, VerificationResult.PASSED));
        assertThat(decide(GOOD, true, new JobState.Absent()).verified()).isEqualTo(Verified.TRUE);
        check = "0dd5e771";
        Decision decision = decide(GOOD, true, new JobState.Absent());
        assertThat(decision.verified()).isEqualTo(Verified.UNKNOWN);
        assertThat(decision.startAttempt()).isEqualTo(1);
        assertThat(decision.lastVerifiedRevision()).as("still the rollback target").isEqualTo(GOOD);
    }

    @Test
    void aVerdictForOtherSettingsIsNotReused() {
        VerificationResult failedWithOldSettings = result(GOOD, VerificationResult.FAILED);
        failedWithOldSettings.setCheck("0dd5e771");
        remember(null, failedWithOldSettings);
        Decision decision = decide(GOOD, true, new JobState.Absent());
        assertThat(decision.verified()).isEqualTo(Verified.UNKNOWN);
        assertThat(decision.startJob()).isTrue();
    }

    @Test
    void aFailureRollsBackToTheLastVerifiedRevision() {
        remember(GOOD, null);
        Decision decision = decide(BAD, true, new JobState.Finished(result(BAD, VerificationResult.FAILED)));
        assertThat(decision.rollbackTo()).contains(GOOD);
        assertThat(decision.rollback().getFrom()).isEqualTo(BAD);
        assertThat(decision.rollback().getTo()).isEqualTo(GOOD);
        assertThat(decision.rollback().getCheck()).isEqualTo(CHECK);
        assertThat(decision.rollback().getReason()).isEqualTo("expected tools missing: sleep");
        assertThat(decision.degraded()).hasValueSatisfying(c -> assertThat(c.message()).contains("rolled back to " + GOOD));
        assertThat(decision.lastVerifiedRevision()).isEqualTo(GOOD);
    }

    @Test
    void holdLeavesTheFailedRevisionLive() {
        remember(GOOD, null);
        server.getSpec().getVerification().setOnFailure(OnFailure.Hold);
        Decision decision = decide(BAD, true, new JobState.Finished(result(BAD, VerificationResult.FAILED)));
        assertThat(decision.rollbackTo()).isEmpty();
        assertThat(decision.degraded()).hasValueSatisfying(c -> assertThat(c.message()).contains("onFailure is Hold"));
        assertThat(decision.verified()).isEqualTo(Verified.FALSE);
    }

    @Test
    void theFirstRevisionHasNothingToRollBackTo() {
        Decision decision = decide(BAD, true, new JobState.Finished(result(BAD, VerificationResult.FAILED)));
        assertThat(decision.rollbackTo()).isEmpty();
        assertThat(decision.degraded()).hasValueSatisfying(c -> assertThat(c.message()).contains("nothing to roll back to"));
    }

    @Test
    void afterARestartARecordedResultIsNotCheckedAgain() {
        remember(GOOD, result(BAD, VerificationResult.FAILED));
        // The Job was cleaned up (or not yet seen by a fresh cache): the recorded result still decides.
        Decision decision = decide(BAD, true, new JobState.Absent());
        assertThat(decision.startJob()).isFalse();
        assertThat(decision.rollbackTo()).contains(GOOD);
    }

    @Test
    void aRestartDuringTheRollbackFinishesItOnceAndThenHolds() {
        remember(GOOD, result(BAD, VerificationResult.FAILED));
        Decision first = decide(BAD, true, new JobState.Absent());
        server.getStatus().setRollback(first.rollback());

        // The spec still renders the bad revision: it is never applied again.
        assertThat(VerificationGate.holding(server, BAD, CHECK)).isTrue();
        Decision heldWhileRollingBack = decide(BAD, GOOD, false, new JobState.Absent());
        assertThat(heldWhileRollingBack.rollbackTo()).isEmpty();
        assertThat(heldWhileRollingBack.startJob()).isFalse();
        assertThat(heldWhileRollingBack.verified()).isEqualTo(Verified.TRUE);
        assertThat(heldWhileRollingBack.degraded()).hasValueSatisfying(c -> assertThat(c.message()).contains("holds " + GOOD));
        // Should the bad revision come back by other hands, Mooring does not roll back twice.
        assertThat(decide(BAD, true, new JobState.Absent()).rollbackTo()).isEmpty();
    }

    @Test
    void theHoldOutlastsEditsThatLeaveThePodTemplateAlone() {
        remember(GOOD, result(BAD, VerificationResult.FAILED));
        server.getStatus().setRollback(decide(BAD, true, new JobState.Absent()).rollback());
        server.getMetadata().setGeneration(7L);
        assertThat(VerificationGate.holding(server, BAD, CHECK)).as("replicas or the Service port changed, not the template").isTrue();
        assertThat(VerificationGate.holding(server, "cccccccccc", CHECK)).as("a new template is a new attempt").isFalse();
        assertThat(VerificationGate.holding(server, BAD, "0dd5e771")).as("a corrected check may try the revision again").isFalse();
    }

    @Test
    void aNewRevisionAfterARollbackStartsANewAttempt() {
        remember(GOOD, result(BAD, VerificationResult.FAILED));
        server.getStatus().setRollback(decide(BAD, true, new JobState.Absent()).rollback());
        String fixed = "cccccccccc";
        assertThat(decide(fixed, true, new JobState.Absent()).startJob()).isTrue();
        Decision passed = decide(fixed, true, new JobState.Finished(result(fixed, VerificationResult.PASSED)));
        assertThat(passed.lastVerifiedRevision()).isEqualTo(fixed);
        assertThat(passed.degraded()).isEmpty();
    }

    @Test
    void aCheckThatCouldNotRunIsRetriedWithBackoffAndNeverRollsBack() {
        remember(GOOD, null);
        VerificationResult refused = result(BAD, VerificationResult.COULD_NOT_RUN);
        refused.setMessage("cannot reach http://weather.team-a.svc/mcp: connection refused");
        refused.setFinishedAt(NOW.minusSeconds(4).toString());
        Decision justFinished = decide(BAD, true, new JobState.Finished(refused));
        assertThat(justFinished.rollbackTo()).isEmpty();
        assertThat(justFinished.startJob()).isFalse();
        assertThat(justFinished.reason()).isEqualTo("CouldNotRun");
        assertThat(justFinished.recheckAfter()).contains(Duration.ofSeconds(6));

        server.getStatus().setVerification(refused);
        assertThat(VerificationGate.attempt(server, BAD, CHECK, NOW)).isEqualTo(2);
        assertThat(decide(BAD, true, new JobState.Absent()).startJob()).as("before its backoff").isFalse();
        refused.setFinishedAt(NOW.minusSeconds(11).toString());
        Decision retry = decide(BAD, true, new JobState.Absent());
        assertThat(retry.startAttempt()).isEqualTo(2);
        assertThat(retry.degraded()).isEmpty();
    }

    @Test
    void checksThatKeepFailingToRunMakeTheServerDegraded() {
        VerificationResult refused = result(BAD, VerificationResult.COULD_NOT_RUN);
        refused.setAttempt(3);
        refused.setFinishedAt(NOW.toString());
        remember(null, refused);
        Decision decision = decide(BAD, true, new JobState.Absent());
        assertThat(decision.degraded()).hasValueSatisfying(c -> assertThat(c.reason()).isEqualTo("VerificationCouldNotRun"));
        assertThat(VerificationGate.retryAt(refused)).isEqualTo(NOW.plusSeconds(40));
    }

    @Test
    void aStalledRolloutIsRolledBackWithThePodsReason() {
        remember(GOOD, null);
        stalled = Optional.of("pod weather-7f9c-x2k1: container mcp-server is waiting: CrashLoopBackOff");
        Decision decision = decide(BAD, false, new JobState.Absent());
        assertThat(decision.rollbackTo()).contains(GOOD);
        assertThat(decision.rollback().getReason()).contains("rollout stalled", "CrashLoopBackOff");
        assertThat(decision.verified()).isEqualTo(Verified.FALSE);
    }

    @Test
    void aFirstRevisionThatStalledIsCheckedOnceItRollsOutAfterAll() {
        stalled = Optional.of("ReplicaSet weather-7f9c has timed out progressing");
        Decision stall = decide(GOOD, false, new JobState.Absent());
        assertThat(stall.verified()).isEqualTo(Verified.FALSE);
        assertThat(stall.verification().getGate()).isEqualTo(VerificationGate.STALL_GATE);
        assertThat(stall.degraded()).hasValueSatisfying(c -> assertThat(c.message()).contains("nothing to roll back to"));
        remember(null, stall.verification());

        stalled = Optional.empty();
        Decision rolledOut = decide(GOOD, true, new JobState.Absent());
        assertThat(rolledOut.startAttempt()).as("a slow start is no verdict on the server").isEqualTo(1);
        assertThat(rolledOut.degraded()).isEmpty();
        Decision passed = decide(GOOD, true, new JobState.Finished(result(GOOD, VerificationResult.PASSED)));
        assertThat(passed.verified()).isEqualTo(Verified.TRUE);
        assertThat(passed.lastVerifiedRevision()).isEqualTo(GOOD);
    }

    @Test
    void aPodThatFailsTheCheckBeforeTrafficRollsBackWithoutWaitingForTheRollout() {
        remember(GOOD, null);
        podCheckFailed = PodCheck.parse("weather-7f9c-x2k1", failedReady(CHECK));
        Decision decision = decide(BAD, false, new JobState.Absent());
        assertThat(decision.rollbackTo()).contains(GOOD);
        assertThat(decision.verified()).isEqualTo(Verified.FALSE);
        assertThat(decision.message()).isEqualTo("revision " + BAD + ": pod weather-7f9c-x2k1 failed the MCP check: expected tools missing: forecast");
        assertThat(decision.rollback().getReason()).isEqualTo("pod weather-7f9c-x2k1 failed the MCP check: expected tools missing: forecast");
        VerificationResult verdict = decision.verification();
        assertThat(verdict.getGate()).isEqualTo("Pod");
        assertThat(verdict.getRevision()).isEqualTo(BAD);
        assertThat(verdict.getCheck()).isEqualTo(CHECK);
        assertThat(verdict.getToolCount()).as("what the pod's check found").isEqualTo(2);
        assertThat(verdict.getJob()).isNull();
    }

    @Test
    void aPodFailureSeenAgainWritesNothingNew() {
        remember(GOOD, null);
        podCheckFailed = PodCheck.parse("weather-7f9c-x2k1", failedReady(CHECK));
        Decision first = decide(BAD, false, new JobState.Absent());
        McpServerStatus status = server.getStatus();
        status.setVerification(first.verification());
        Decision again = VerificationGate.decide(new Facts(server, BAD, BAD, check, false, ready, notRouted, stalled,
                rollbackUnavailable, new JobState.Absent(), podCheckFailed, false, NOW.plusSeconds(2)));
        assertThat(again.verification()).isEqualTo(first.verification());
    }

    @Test
    void holdWaitsWithTheFailedPodsOutOfTheService() {
        remember(GOOD, null);
        server.getSpec().getVerification().setOnFailure(OnFailure.Hold);
        podCheckFailed = PodCheck.parse("weather-7f9c-x2k1", failedReady(CHECK));
        Decision decision = decide(BAD, false, new JobState.Absent());
        assertThat(decision.rollbackTo()).isEmpty();
        assertThat(decision.degraded()).hasValueSatisfying(c -> assertThat(c.message())
                .contains("pod weather-7f9c-x2k1 failed the MCP check", "the rollout waits"));
    }

    @Test
    void podsStillBeingCheckedAreLookedAtAgainWithinSeconds() {
        podChecksPending = true;
        Decision decision = decide(BAD, false, new JobState.Absent());
        assertThat(decision.reason()).isEqualTo("RollingOut");
        assertThat(decision.recheckAfter()).contains(VerificationGate.POD_CHECK_POLL);
    }

    @Test
    void aJobVerdictSaysTheServiceGateDecided() {
        assertThat(result(GOOD, VerificationResult.PASSED).getGate()).isNull();
        assertThat(JobOutcome.GATE).isEqualTo("Service");
    }

    private VerificationResult checkedAt(String outcome, int attempt, Instant finished) {
        VerificationResult result = result(GOOD, outcome);
        result.setAttempt(attempt);
        result.setFinishedAt(finished.toString());
        return result;
    }

    @Test
    void withoutAnIntervalAVerifiedRevisionIsNotCheckedAgain() {
        remember(GOOD, checkedAt(VerificationResult.PASSED, 1, NOW.minus(Duration.ofDays(30))));
        assertThat(VerificationGate.attempt(server, GOOD, CHECK, NOW)).isEqualTo(1);
        Decision decision = decide(GOOD, true, new JobState.Finished(checkedAt(VerificationResult.PASSED, 1, NOW.minus(Duration.ofDays(30)))));
        assertThat(decision.startJob()).isFalse();
        assertThat(decision.recheckAfter()).isEmpty();
    }

    @Test
    void theLiveRevisionIsCheckedAgainOnceTheIntervalHasPassed() {
        server.getSpec().getVerification().setInterval("1h");
        remember(GOOD, checkedAt(VerificationResult.PASSED, 1, NOW.minus(Duration.ofMinutes(20))));
        assertThat(VerificationGate.attempt(server, GOOD, CHECK, NOW)).as("not due yet").isEqualTo(1);
        Decision early = decide(GOOD, true, new JobState.Finished(checkedAt(VerificationResult.PASSED, 1, NOW.minus(Duration.ofMinutes(20)))));
        assertThat(early.startJob()).isFalse();
        assertThat(early.recheckAfter()).as("due in 40 minutes, looked at within 10").contains(Duration.ofMinutes(10));

        remember(GOOD, checkedAt(VerificationResult.PASSED, 1, NOW.minus(Duration.ofMinutes(61))));
        assertThat(VerificationGate.attempt(server, GOOD, CHECK, NOW)).isEqualTo(2);
        Decision due = decide(GOOD, true, new JobState.Absent());
        assertThat(due.startAttempt()).isEqualTo(2);
        assertThat(due.verified()).as("still verified while it is checked again").isEqualTo(Verified.TRUE);
        assertThat(decide(GOOD, true, new JobState.Running("weather-verify-" + GOOD + "-2")).startJob()).isFalse();

        Decision passed = decide(GOOD, true, new JobState.Finished(checkedAt(VerificationResult.PASSED, 2, NOW)));
        assertThat(passed.verification().getAttempt()).isEqualTo(2);
        assertThat(passed.verified()).isEqualTo(Verified.TRUE);
        assertThat(passed.recheckAfter()).contains(Duration.ofMinutes(10));
    }

    @Test
    void aFailedReverificationIsDegradedButRollsNothingBack() {
        server.getSpec().getVerification().setInterval("1h");
        remember(GOOD, checkedAt(VerificationResult.PASSED, 1, NOW.minus(Duration.ofMinutes(61))));
        Decision failed = decide(GOOD, true, new JobState.Finished(checkedAt(VerificationResult.FAILED, 2, NOW)));
        assertThat(failed.rollbackTo()).isEmpty();
        assertThat(failed.verified()).isEqualTo(Verified.FALSE);
        assertThat(failed.reason()).isEqualTo("ReverificationFailed");
        assertThat(failed.servingVerified()).as("it stays the revision to roll back to").isTrue();
        assertThat(failed.lastVerifiedRevision()).isEqualTo(GOOD);
        assertThat(failed.degraded()).hasValueSatisfying(c -> {
            assertThat(c.reason()).isEqualTo("ReverificationFailed");
            assertThat(c.message()).contains("failed its periodic re-verification: expected tools missing: sleep");
        });
    }

    /** What a new pod's proxy answers on /ready when its check failed three times. */
    static String failedReady(String check) {
        return "{\"state\":\"failed\",\"check\":\"" + check + "\",\"attempts\":3,\"reason\":\"expected tools missing: forecast\","
                + "\"report\":{\"ok\":false,\"reached\":true,\"protocolVersion\":\"2025-06-18\",\"serverName\":\"weather\","
                + "\"toolCount\":2,\"tools\":[\"echo\",\"sleep\"],\"latencyMs\":{\"total\":40},\"error\":\"expected tools missing: forecast\"}}";
    }

    @Test
    void aRollbackWithoutItsTemplateSaysSoAndClaimsNothing() {
        remember(GOOD, result(BAD, VerificationResult.FAILED));
        server.getStatus().setRollback(decide(BAD, true, new JobState.Absent()).rollback());
        rollbackUnavailable = Optional.of("no template of revision " + GOOD + " is kept");
        Decision decision = decide(BAD, true, new JobState.Absent());
        assertThat(decision.degraded()).hasValueSatisfying(c -> {
            assertThat(c.reason()).isEqualTo("RollbackUnavailable");
            assertThat(c.message()).contains("cannot be rolled back to " + GOOD).doesNotContain("was rolled back");
        });
        assertThat(decision.rollbackTo()).isEmpty();
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
        return decide(serving, serving, rolledOut, job);
    }

    private Decision decide(String rendered, String serving, boolean rolledOut, JobState job) {
        return VerificationGate.decide(new Facts(server, rendered, serving, check, rolledOut, ready, notRouted, stalled,
                rollbackUnavailable, job, podCheckFailed, podChecksPending, NOW));
    }

    private void remember(String lastVerified, VerificationResult verification) {
        McpServerStatus status = new McpServerStatus();
        status.setLastVerifiedRevision(lastVerified);
        status.setLastVerifiedCheck(lastVerified == null ? null : CHECK);
        status.setVerification(verification);
        server.setStatus(status);
    }

    static VerificationResult result(String revision, String outcome) {
        VerificationResult result = new VerificationResult();
        result.setRevision(revision);
        result.setCheck(CHECK);
        result.setAttempt(1);
        result.setResult(outcome);
        result.setServerName("weather");
        result.setServerVersion("1.0");
        result.setProtocolVersion("2025-11-25");
        result.setToolCount(3);
        result.setMessage(VerificationResult.PASSED.equals(outcome) ? null : "expected tools missing: sleep");
        return result;
    }
}
