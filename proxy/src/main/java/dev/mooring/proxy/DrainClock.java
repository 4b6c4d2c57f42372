package dev.mooring.proxy;

import java.time.Duration;

/**
 * Where a drain stands, from the time it started and what is still in flight: while clients are told to move
 * (preStopDelay) everything is served as usual; then the drain waits for calls and streams, up to the drain
 * timeout; it is over when nothing is left and no client has connected for {@link #QUIET_MILLIS}, or the deadline
 * passes. Pure, so the phases are unit-tested.
 */
final class DrainClock {
    enum Phase { SERVING, ANNOUNCING, WAITING, DRAINED, DEADLINE }

    /**
     * A pod is drained only once new connections have stopped coming: kube-proxy on a busy node can take longer
     * than preStopDelay to stop sending them, and a connection that arrives after the server got SIGTERM fails.
     */
    static final long QUIET_MILLIS = 1_000;

    private final Duration preStopDelay;
    private final Duration drainTimeout;
    private long startedAt = -1;

    DrainClock(Duration preStopDelay, Duration drainTimeout) {
        this.preStopDelay = preStopDelay;
        this.drainTimeout = drainTimeout;
    }

    /** Starts the drain unless it has started; returns whether this call started it. */
    boolean start(long nowMillis) {
        if (startedAt >= 0) {
            return false;
        }
        startedAt = nowMillis;
        return true;
    }

    boolean started() {
        return startedAt >= 0;
    }

    long startedAt() {
        return startedAt;
    }

    /**
     * @param inFlight        calls, streams and client connections still open
     * @param lastConnectedAt when a client last opened a connection, or a negative number if none ever did
     */
    Phase phase(long nowMillis, int inFlight, long lastConnectedAt) {
        if (startedAt < 0) {
            return Phase.SERVING;
        }
        long elapsed = nowMillis - startedAt;
        if (elapsed < preStopDelay.toMillis()) {
            return Phase.ANNOUNCING;
        }
        if (inFlight == 0 && (lastConnectedAt < 0 || nowMillis - lastConnectedAt >= QUIET_MILLIS)) {
            return Phase.DRAINED;
        }
        return elapsed >= preStopDelay.toMillis() + drainTimeout.toMillis() ? Phase.DEADLINE : Phase.WAITING;
    }
}
