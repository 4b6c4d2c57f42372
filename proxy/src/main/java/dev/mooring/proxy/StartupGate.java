package dev.mooring.proxy;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Whether this pod has earned its first readiness: the MCP check against its own server passed. Pure and
 * synchronized; {@link StartupCheck} feeds it the outcome of each attempt, {@code /ready} reads its snapshot.
 * <p>
 * A server that does not answer yet is still starting: it is given {@code startupTimeout}. A server that answers
 * wrongly (initialize refused, a tool missing, its health path failing after MCP answered) is judged after
 * {@link #FAILURES_TO_FAIL} such answers in a row, seconds rather than the whole allowance, so that Mooring can roll
 * back before the rollout's deadline. Failed is not final: the check goes on at a slower pace, and a pass (a server
 * that recovered, or settings the operator changed in the mounted ConfigMap) makes the pod ready.
 */
final class StartupGate {
    enum State { CHECKING, PASSED, FAILED }

    static final int FAILURES_TO_FAIL = 3;
    static final Duration RETRY_UNREACHED = Duration.ofMillis(500);
    static final Duration RETRY_ANSWERED = Duration.ofSeconds(1);
    static final Duration RETRY_FAILED = Duration.ofSeconds(10);

    /**
     * One run of the check.
     *
     * @param check   the settings' identity (the operator's hash of spec.verification); a new one starts a new judgement
     * @param reached whether a server answered at all
     * @param error   why it failed, or null when it passed
     * @param report  mcp-smoke's JSON line for this run
     */
    record Attempt(String check, boolean reached, String error, String report) {
        boolean passed() {
            return error == null;
        }
    }

    /** What {@code /ready} says before the pod is ready, and what the operator reads from it. */
    record Snapshot(State state, String check, int attempts, String reason, String report) {
    }

    private final Instant deadline;
    private final Duration startupTimeout;
    private State state = State.CHECKING;
    private String check;
    private int attempts;
    private int answeredWrongly;
    private String reason = "the MCP check has not run yet";
    private String report;

    StartupGate(Instant started, Duration startupTimeout) {
        this.startupTimeout = startupTimeout;
        this.deadline = started.plus(startupTimeout);
    }

    /** A pod whose proxy was given no check: ready as soon as the server is. */
    static StartupGate open(Instant now) {
        StartupGate gate = new StartupGate(now, Duration.ZERO);
        gate.state = State.PASSED;
        gate.reason = null;
        return gate;
    }

    synchronized State record(Attempt attempt, Instant now) {
        if (state == State.PASSED) {
            return state;
        }
        if (!Objects.equals(check, attempt.check())) {
            check = attempt.check();
            answeredWrongly = 0;
            if (state == State.FAILED) {
                state = State.CHECKING;
            }
        }
        attempts++;
        report = attempt.report();
        if (attempt.passed()) {
            state = State.PASSED;
            reason = null;
            return state;
        }
        if (attempt.reached()) {
            answeredWrongly++;
            reason = attempt.error();
            if (answeredWrongly >= FAILURES_TO_FAIL) {
                state = State.FAILED;
            }
        } else {
            answeredWrongly = 0;
            reason = attempt.error();
            if (!now.isBefore(deadline)) {
                state = State.FAILED;
                reason = "the server did not answer MCP within health.startupTimeout (" + startupTimeout.toSeconds() + "s): " + attempt.error();
            }
        }
        return state;
    }

    /** How long the next attempt may take: what is left of the startup allowance, at least a second. */
    synchronized Duration attemptBudget(Duration checkTimeout, Instant now) {
        Duration left = Duration.between(now, deadline);
        Duration budget = state == State.CHECKING && left.compareTo(checkTimeout) < 0 ? left : checkTimeout;
        return budget.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : budget;
    }

    synchronized Duration pause(Attempt last) {
        if (state == State.FAILED) {
            return RETRY_FAILED;
        }
        return last.reached() ? RETRY_ANSWERED : RETRY_UNREACHED;
    }

    synchronized boolean passed() {
        return state == State.PASSED;
    }

    synchronized Snapshot snapshot() {
        return new Snapshot(state, check, attempts, reason, report);
    }
}
