package dev.mooring.operator.verify;

import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.api.v1alpha1.McpServerStatus;
import dev.mooring.operator.api.v1alpha1.spec.Durations;
import dev.mooring.operator.api.v1alpha1.spec.OnFailure;
import dev.mooring.operator.api.v1alpha1.status.RollbackRecord;
import dev.mooring.operator.api.v1alpha1.status.VerificationResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The verification state machine, pure: from what the status remembers and what the cluster shows now, it
 * decides whether to start a Job, what to record, and whether to roll back. Everything it decides is
 * derived again on the next reconcile, so an operator restarted at any point neither starts a second Job for
 * a revision already checked nor rolls back twice. docs/verification.md draws it.
 */
public final class VerificationGate {

    public enum Verified { TRUE, FALSE, UNKNOWN }

    /** Checks that could not run are retried after 10 s, 20 s, 40 s ... at most this far apart. */
    static final Duration MAX_RETRY_BACKOFF = Duration.ofMinutes(5);
    static final Duration FIRST_RETRY_BACKOFF = Duration.ofSeconds(10);
    /** After this many attempts that could not run, the server is reported Degraded (and still retried). */
    static final int DEGRADED_AFTER_ATTEMPTS = 3;
    /** While a Job runs or the Service is not yet routing, look again at least this often. */
    static final Duration POLL = Duration.ofSeconds(5);
    /** While new pods are checked before traffic: a failure should reach a rollback within seconds. */
    static final Duration POD_CHECK_POLL = Duration.ofSeconds(2);
    /** How long a server with a re-verification interval waits at most before it looks whether one is due. */
    static final Duration REVERIFY_LOOK_CAP = Duration.ofMinutes(10);
    /** The gate of a failure that was the rollout's (its progress deadline passed), not a check's. */
    public static final String STALL_GATE = "Rollout";

    /**
     * @param renderedRevision what the spec renders now (before any hold puts another template in its place)
     * @param servingRevision  the revision of the Deployment's pod template now
     * @param check            the verification settings as a hash (VerificationJob.check)
     * @param rolledOut        every replica runs servingRevision, ready and available; no older pod is left
     * @param readyReplicas    pods of servingRevision that are ready
     * @param notRouted        why the Service does not yet route to servingRevision's pods alone; empty once it does
     * @param stalled          why the rollout of servingRevision stopped making progress; empty while it progresses
     * @param rollbackUnavailable why the held revision's template cannot be put back; empty when it can
     * @param job              the Job of {@link #attempt} for servingRevision and check
     * @param podCheckFailed   a pod of servingRevision whose proxy failed the MCP check before traffic (the first gate)
     * @param podChecksPending whether pods of servingRevision are still being checked before traffic: look again soon
     */
    public record Facts(McpServer server, String renderedRevision, String servingRevision, String check, boolean rolledOut,
                        int readyReplicas, Optional<String> notRouted, Optional<String> stalled,
                        Optional<String> rollbackUnavailable, JobState job, Optional<PodCheck> podCheckFailed,
                        boolean podChecksPending, Instant now) {
    }

    /** The verification Job of the serving revision, as the cluster shows it. */
    public sealed interface JobState {
        record Absent() implements JobState { }
        record Running(String job) implements JobState { }
        record Finished(VerificationResult result) implements JobState { }
    }

    /** Something that needs a person: the Degraded condition's reason and message. */
    public record Complaint(String reason, String message) {
    }

    /**
     * @param startAttempt create the Job of this attempt for the serving revision; 0 for none
     * @param rollbackTo   put this (last verified) revision's template back
     * @param degraded     what makes the server Degraded; empty when verification has no complaint
     * @param recheckAfter reconcile again after this long even if nothing changes (a Job's retry, a poll)
     */
    public record Decision(int startAttempt, Optional<String> rollbackTo, String lastVerifiedRevision, String lastVerifiedCheck,
                           VerificationResult verification, RollbackRecord rollback, Verified verified, String reason,
                           String message, Optional<Complaint> degraded, boolean servingVerified, Optional<Duration> recheckAfter) {
        public boolean startJob() {
            return startAttempt > 0;
        }
    }

    private VerificationGate() {
    }

    /**
     * Whether Mooring holds a rolled-back revision: for as long as the spec renders the revision that failed,
     * checked the same way. Keyed to the rendered revision, not the generation, so that an edit which leaves
     * the pod template alone never rolls the known-bad revision out again.
     */
    public static boolean holding(McpServer server, String renderedRevision, String check) {
        RollbackRecord rollback = server.getStatus() == null ? null : server.getStatus().getRollback();
        return rollback != null && renderedRevision.equals(rollback.getFrom())
                && (rollback.getCheck() == null || rollback.getCheck().equals(check));
    }

    /**
     * The attempt whose Job speaks for the serving revision now: the next one after a check that could not run, or,
     * for a verified revision with spec.verification.interval, once the interval since the last check has passed.
     */
    public static int attempt(McpServer server, String servingRevision, String check, Instant now) {
        VerificationResult recorded = server.getStatus() == null ? null : server.getStatus().getVerification();
        if (recorded == null || !recorded.isFor(servingRevision, check)) {
            return 1;
        }
        int attempt = Objects.requireNonNullElse(recorded.getAttempt(), 1);
        if (verifiedLive(server, servingRevision, check)) {
            return reverificationDue(server, recorded, now) ? attempt + 1 : attempt;
        }
        return recorded.couldNotRun() ? attempt + 1 : attempt;
    }

    /** The serving revision passed with these settings: from now on only periodic re-verification checks it. */
    private static boolean verifiedLive(McpServer server, String servingRevision, String check) {
        McpServerStatus status = server.getStatus();
        return status != null && servingRevision.equals(status.getLastVerifiedRevision()) && check.equals(status.getLastVerifiedCheck());
    }

    private static Optional<Duration> interval(McpServer server) {
        return Optional.ofNullable(server.getSpec().getVerification().getInterval()).map(Durations::parse);
    }

    /** When the live revision is checked again; empty without an interval. */
    static Optional<Instant> reverifyAt(McpServer server, VerificationResult recorded) {
        Instant finished = recorded.getFinishedAt() == null ? Instant.EPOCH : Instant.parse(recorded.getFinishedAt());
        return interval(server).map(finished::plus);
    }

    private static boolean reverificationDue(McpServer server, VerificationResult recorded, Instant now) {
        return reverifyAt(server, recorded).map(at -> !now.isBefore(at)).orElse(false);
    }

    public static Decision decide(Facts facts) {
        McpServer server = facts.server();
        McpServerStatus status = Optional.ofNullable(server.getStatus()).orElseGet(McpServerStatus::new);
        String serving = facts.servingRevision();
        String check = facts.check();
        Outcome out = new Outcome(status);
        if (holding(server, facts.renderedRevision(), check)) {
            out.degraded = Optional.of(facts.rollbackUnavailable()
                    .map(why -> new Complaint("RollbackUnavailable", rollbackUnavailableMessage(status.getRollback(), why)))
                    .orElseGet(() -> new Complaint("VerificationFailed", rolledBackMessage(status.getRollback()))));
        }

        if (!Boolean.TRUE.equals(server.getSpec().getVerification().getEnabled())) {
            out.degraded = Optional.empty();
            return out.unknown("VerificationDisabled", "spec.verification.enabled is false", true);
        }
        if (serving.equals(status.getLastVerifiedRevision()) && check.equals(status.getLastVerifiedCheck())) {
            return live(facts, out, status);
        }
        if (facts.podCheckFailed().isPresent()) {
            return failed(facts, out, podGateResult(facts, facts.podCheckFailed().get()));
        }
        if (facts.stalled().isPresent()) {
            return failed(facts, out, stalledResult(facts));
        }
        if (!facts.rolledOut()) {
            Decision rolling = out.unknown("RollingOut", "revision " + serving + " is verified once all its replicas serve", false);
            return facts.podChecksPending() ? out.polling(rolling, POD_CHECK_POLL) : rolling;
        }
        if (facts.readyReplicas() == 0) {
            return out.unknown("ScaledToZero", "revision " + serving + " is verified once it has a ready replica", false);
        }
        // A stall said nothing of the server: once the revision has rolled out after all, it is checked.
        VerificationResult recorded = status.getVerification() != null && status.getVerification().isFor(serving, check)
                && !STALL_GATE.equals(status.getVerification().getGate()) ? status.getVerification() : null;
        VerificationResult result = facts.job() instanceof JobState.Finished f ? f.result() : recorded;
        if (result != null && result.passed()) {
            out.lastVerifiedRevision = serving;
            out.lastVerifiedCheck = check;
            out.verification = result;
            return out.verified("revision " + serving + " passed verification" + summary(result, serving, check));
        }
        if (result != null && !result.couldNotRun()) {
            return failed(facts, out, result);
        }
        if (facts.job() instanceof JobState.Running running) {
            return out.polling(out.unknown("Verifying", "verification Job " + running.job() + " is running", false), POLL);
        }
        if (result != null) {
            out.verification = result;
            Instant retryAt = retryAt(result);
            int attempts = Objects.requireNonNullElse(result.getAttempt(), 1);
            String message = "the check of revision " + serving + " could not run (attempt " + attempts + "): " + result.getMessage();
            if (attempts >= DEGRADED_AFTER_ATTEMPTS && out.degraded.isEmpty()) {
                out.degraded = Optional.of(new Complaint("VerificationCouldNotRun", message));
            }
            if (facts.job() instanceof JobState.Finished || facts.now().isBefore(retryAt)) {
                Duration wait = Duration.between(facts.now(), retryAt);
                return out.polling(out.unknown("CouldNotRun", message + "; retrying at " + retryAt, false),
                        wait.isNegative() ? Duration.ZERO : wait);
            }
        }
        if (facts.notRouted().isPresent()) {
            return out.polling(out.unknown("WaitingForEndpoints", "revision " + serving + " is verified once the Service routes to it alone: "
                    + facts.notRouted().get(), false), POLL);
        }
        int attempt = result == null ? 1 : Objects.requireNonNullElse(result.getAttempt(), 1) + 1;
        out.startAttempt = attempt;
        return out.polling(out.unknown("Verifying", "the verification Job of revision " + serving
                + (attempt > 1 ? " (attempt " + attempt + ")" : "") + " is starting", false), POLL);
    }

    /**
     * A verified revision that serves: checked again every spec.verification.interval through the Service. A failure
     * says so (Degraded, ReverificationFailed) but rolls nothing back: the revision passed once and nothing about it
     * changed in the cluster; what changed is behind it, and a person must look.
     */
    private static Decision live(Facts facts, Outcome out, McpServerStatus status) {
        String serving = facts.servingRevision();
        VerificationResult recorded = status.getVerification() != null && status.getVerification().isFor(serving, facts.check())
                ? status.getVerification() : null;
        if (recorded == null || interval(facts.server()).isEmpty()) {
            return out.verified("revision " + serving + " passed verification" + summary(recorded, serving, facts.check()));
        }
        int recordedAttempt = Objects.requireNonNullElse(recorded.getAttempt(), 1);
        VerificationResult latest = recorded;
        if (facts.job() instanceof JobState.Finished f && Objects.requireNonNullElse(f.result().getAttempt(), 1) > recordedAttempt) {
            latest = f.result();
            out.verification = latest;
        }
        Decision decision;
        if (latest.passed()) {
            decision = out.verified("revision " + serving + " passed verification" + summary(latest, serving, facts.check())
                    + (Objects.requireNonNullElse(latest.getAttempt(), 1) > 1 ? " (checked again at " + latest.getFinishedAt() + ")" : ""));
        } else if (latest.couldNotRun()) {
            decision = out.verified("revision " + serving + " passed verification; its periodic check could not run: " + latest.getMessage());
        } else {
            String message = "revision " + serving + " failed its periodic re-verification: " + latest.getMessage();
            out.degraded = Optional.of(new Complaint("ReverificationFailed", message));
            decision = out.decision(Verified.FALSE, "ReverificationFailed", message, true, Optional.empty());
        }
        if (facts.job() instanceof JobState.Running) {
            return out.polling(decision, POLL);
        }
        Instant next = reverifyAt(facts.server(), latest).orElseThrow();
        if (facts.job() instanceof JobState.Absent && !facts.now().isBefore(next) && latest == recorded) {
            out.startAttempt = recordedAttempt + 1;
            return out.polling(out.decision(decision.verified(), decision.reason(), decision.message(), true, Optional.empty()), POLL);
        }
        Duration wait = Duration.between(facts.now(), next);
        // Never later than the cap: a reschedule replaces the operator's periodic resync for this server.
        return out.polling(decision, wait.isNegative() ? POLL : wait.compareTo(REVERIFY_LOOK_CAP) > 0 ? REVERIFY_LOOK_CAP : wait);
    }

    private static VerificationResult podGateResult(Facts facts, PodCheck failure) {
        VerificationResult recorded = facts.server().getStatus() == null ? null : facts.server().getStatus().getVerification();
        // Recorded once: the pod's failure seen again keeps its first wording and time, so an unchanged world writes nothing.
        if (recorded != null && recorded.isFor(facts.servingRevision(), facts.check()) && PodCheck.GATE.equals(recorded.getGate())
                && VerificationResult.FAILED.equals(recorded.getResult())) {
            return recorded;
        }
        return failure.verdict(facts.servingRevision(), facts.check(), facts.now().toString());
    }

    private static VerificationResult stalledResult(Facts facts) {
        VerificationResult result = new VerificationResult();
        result.setRevision(facts.servingRevision());
        result.setCheck(facts.check());
        result.setResult(VerificationResult.FAILED);
        result.setGate(STALL_GATE);
        result.setMessage("the rollout stalled: " + facts.stalled().get());
        result.setFinishedAt(facts.now().toString());
        VerificationResult recorded = facts.server().getStatus() == null ? null : facts.server().getStatus().getVerification();
        // Recorded once: the same stall seen again keeps its first time, so an unchanged world writes nothing.
        return recorded != null && recorded.isFor(facts.servingRevision(), facts.check()) && !recorded.passed()
                && !recorded.couldNotRun() ? recorded : result;
    }

    private static Decision failed(Facts facts, Outcome out, VerificationResult result) {
        McpServer server = facts.server();
        String serving = facts.servingRevision();
        String failure = PodCheck.GATE.equals(result.getGate()) ? "revision " + serving + ": " + result.getMessage()
                : "revision " + serving + " failed verification: " + result.getMessage();
        out.verification = result;
        if (server.getSpec().getVerification().getOnFailure() == OnFailure.Hold) {
            out.degraded = Optional.of(new Complaint("VerificationFailed", failure + (PodCheck.GATE.equals(result.getGate())
                    ? "; onFailure is Hold, so the rollout waits: its pods stay out of the Service while the ones before them serve"
                    : "; onFailure is Hold, so it stays live")));
            return out.failed(failure);
        }
        if (out.lastVerifiedRevision == null) {
            out.degraded = Optional.of(new Complaint("VerificationFailed",
                    failure + "; no earlier revision passed verification, so there is nothing to roll back to"));
            return out.failed(failure);
        }
        if (holding(server, facts.renderedRevision(), facts.check())) {
            // Rolled back already for this revision; the failed template must have come back by other hands.
            if (out.degraded.isEmpty() || !"RollbackUnavailable".equals(out.degraded.get().reason())) {
                out.degraded = Optional.of(new Complaint("VerificationFailed", failure + "; already rolled back once for this revision"));
            }
            return out.failed(failure);
        }
        RollbackRecord record = new RollbackRecord();
        record.setFrom(serving);
        record.setTo(out.lastVerifiedRevision);
        record.setReason(result.getMessage());
        record.setAt(facts.now().toString());
        record.setGeneration(server.getMetadata().getGeneration());
        record.setCheck(facts.check());
        out.rollback = record;
        out.rollbackTo = Optional.of(out.lastVerifiedRevision);
        out.degraded = Optional.of(new Complaint("VerificationFailed", rolledBackMessage(record)));
        return out.failed(failure);
    }

    static Instant retryAt(VerificationResult couldNotRun) {
        int attempt = Objects.requireNonNullElse(couldNotRun.getAttempt(), 1);
        Duration backoff = FIRST_RETRY_BACKOFF.multipliedBy(1L << Math.min(attempt - 1, 10));
        Instant finished = couldNotRun.getFinishedAt() == null ? Instant.EPOCH : Instant.parse(couldNotRun.getFinishedAt());
        return finished.plus(backoff.compareTo(MAX_RETRY_BACKOFF) > 0 ? MAX_RETRY_BACKOFF : backoff);
    }

    private static String rolledBackMessage(RollbackRecord rollback) {
        return "revision " + rollback.getFrom() + " failed verification (" + rollback.getReason() + ") and was rolled back to "
                + rollback.getTo() + "; Mooring holds " + rollback.getTo() + " while the spec renders " + rollback.getFrom();
    }

    private static String rollbackUnavailableMessage(RollbackRecord rollback, String why) {
        return "revision " + rollback.getFrom() + " failed verification (" + rollback.getReason() + ") but cannot be rolled back to "
                + rollback.getTo() + ": " + why + "; the Deployment is left as it is";
    }

    private static String summary(VerificationResult result, String revision, String check) {
        if (result == null || !result.isFor(revision, check) || !result.passed() || result.getServerName() == null) {
            return "";
        }
        return ": " + result.getServerName() + " " + result.getServerVersion() + ", protocol " + result.getProtocolVersion()
                + ", " + result.getToolCount() + " tools";
    }

    /** What a decision carries over from the status unless the step that decides says otherwise. */
    private static final class Outcome {
        String lastVerifiedRevision;
        String lastVerifiedCheck;
        VerificationResult verification;
        RollbackRecord rollback;
        Optional<Complaint> degraded = Optional.empty();
        Optional<String> rollbackTo = Optional.empty();
        int startAttempt;

        Outcome(McpServerStatus status) {
            lastVerifiedRevision = status.getLastVerifiedRevision();
            lastVerifiedCheck = status.getLastVerifiedCheck();
            verification = status.getVerification();
            rollback = status.getRollback();
        }

        Decision verified(String message) {
            return decision(Verified.TRUE, "Passed", message, true, Optional.empty());
        }

        Decision failed(String message) {
            return decision(Verified.FALSE, "Failed", message, false, Optional.empty());
        }

        Decision unknown(String reason, String message, boolean servingVerified) {
            return decision(Verified.UNKNOWN, reason, message, servingVerified, Optional.empty());
        }

        Decision polling(Decision decision, Duration after) {
            return new Decision(decision.startAttempt(), decision.rollbackTo(), decision.lastVerifiedRevision(), decision.lastVerifiedCheck(),
                    decision.verification(), decision.rollback(), decision.verified(), decision.reason(), decision.message(),
                    decision.degraded(), decision.servingVerified(), Optional.of(after));
        }

        Decision decision(Verified verified, String reason, String message, boolean servingVerified, Optional<Duration> recheck) {
            return new Decision(startAttempt, rollbackTo, lastVerifiedRevision, lastVerifiedCheck, verification, rollback, verified,
                    reason, message, degraded, servingVerified, recheck);
        }
    }
}
