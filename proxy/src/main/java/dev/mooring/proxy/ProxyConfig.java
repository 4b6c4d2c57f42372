package dev.mooring.proxy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What the operator tells the proxy through its container's environment. Every value has the default the
 * operator renders, so that the image also runs by hand in front of a server on 127.0.0.1:3000.
 *
 * @param listenPort      the pod's MCP port, the one the Service targets
 * @param adminPort       /ready, /live, /drain and /metrics
 * @param upstreamPort    the server's port on 127.0.0.1
 * @param healthPath      the server's own health path, or null: readiness then connects over TCP
 * @param healthPort      the port of that health path
 * @param healthPeriod    how often the server's readiness is asked (health.periodSeconds), however often /ready is
 * @param preStopDelay    how long a draining pod keeps serving everything while clients move away
 * @param drainTimeout    how long it then waits for calls and streams in flight
 * @param idleKeepAlive   how long a client connection may stay idle; advertised in Keep-Alive so clients drop
 *                        idle connections first (closing one a client is about to reuse would fail its call)
 * @param legacySse       the server speaks the 2024-11-05 HTTP+SSE transport, whose GET stream carries the answers
 *                        to calls, so it is waited for like a call; a Streamable HTTP GET stream only carries
 *                        server-initiated messages and is ended when the wait begins, so its client reopens it elsewhere
 * @param checkSettings   the mounted file that says which MCP check the pod must pass before its first readiness, or
 *                        null: no check, readiness is the server's own from the start
 * @param startupTimeout  how long a server that does not answer yet is given to start (health.startupTimeout)
 * @param sessionKeys     the mounted Secret with the keys that seal session tokens, or null: no session handoff
 * @param serverIdentity  which McpServer this is (namespace/name): a token of another one does not open here
 * @param sessionMaxAge   how long after it was issued a session token opens: an older one is answered 404, and its
 *                        client starts a new session
 * @param drainToken      what /drain must be sent in {@link MooringProxy#DRAIN_TOKEN_HEADER}, rendered into the server
 *                        container's preStop as well; null: anyone who reaches the admin port may drain (the image run by hand)
 * @param gracePeriod     the pod's terminationGracePeriodSeconds: a drain still under way this long after it began was
 *                        not the pod's termination (the kubelet kills every container by then), and ends
 * @param limits          what clients may make the proxy hold: buffered bytes and how long connections may dawdle
 */
public record ProxyConfig(int listenPort, int adminPort, int upstreamPort, String healthPath, int healthPort,
                          Duration healthPeriod, Duration preStopDelay, Duration drainTimeout, Duration idleKeepAlive, boolean legacySse,
                          Path checkSettings, Duration startupTimeout, Path sessionKeys, String serverIdentity,
                          Duration sessionMaxAge, String drainToken, Duration gracePeriod, Limits limits) {

    public static final int LISTEN_PORT = 15080;
    public static final int ADMIN_PORT = 15081;
    /**
     * A day: longer than any working session (clients start a new one when they restart), so that a token taken from
     * a client's logs or memory opens sessions for a day at most, rather than for as long as its key is listed (up to
     * two rotation periods, two weeks by default).
     */
    public static final Duration SESSION_MAX_AGE = Duration.ofHours(24);
    /** What the operator adds to preStopDelay + drain timeout for terminationGracePeriodSeconds. */
    private static final Duration EXIT_MARGIN = Duration.ofSeconds(5);

    /**
     * Bounds against clients that would make the proxy hold memory or connections (docs/proxy.md, "Limits").
     *
     * @param bufferBudget      request bytes read whole and held at once, across all connections
     * @param clientIdleTimeout how long a client connection with no request in flight stays open
     * @param headerTimeout     how long a request head may take to arrive, from the connection's opening or the first
     *                          byte of a later request on it
     * @param bodyTimeout       how long a request body read whole may take to arrive
     */
    public record Limits(long bufferBudget, Duration clientIdleTimeout, Duration headerTimeout, Duration bodyTimeout) {
        public static final Limits DEFAULTS = new Limits(16L * 1024 * 1024, Duration.ofSeconds(120), Duration.ofSeconds(10),
                Duration.ofSeconds(30));
    }

    public static ProxyConfig fromEnvironment(Map<String, String> env) {
        int upstream = port(env, "MOORING_PROXY_UPSTREAM_PORT", 3000);
        String healthPath = env.get("MOORING_PROXY_HEALTH_PATH");
        String drainToken = env.get("MOORING_PROXY_DRAIN_TOKEN");
        Duration preStopDelay = millis(env, "MOORING_PROXY_PRESTOP_DELAY_MS", 5_000);
        Duration drainTimeout = millis(env, "MOORING_PROXY_DRAIN_TIMEOUT_MS", 25_000);
        Duration gracePeriod = millis(env, "MOORING_PROXY_GRACE_PERIOD_MS", preStopDelay.plus(drainTimeout).plus(EXIT_MARGIN).toMillis());
        if (gracePeriod.compareTo(preStopDelay.plus(drainTimeout)) < 0) {
            throw new IllegalArgumentException("MOORING_PROXY_GRACE_PERIOD_MS must be at least the preStop delay and the drain timeout ("
                    + preStopDelay.plus(drainTimeout).toMillis() + "), not " + gracePeriod.toMillis());
        }
        long budget = number(env, "MOORING_PROXY_BUFFER_BUDGET_BYTES", Limits.DEFAULTS.bufferBudget());
        if (budget < 2 * MooringProxy.MAX_BUFFERED_BODY) {
            // Else the largest body read whole might never fit in the share large bodies may take (BufferBudget), and
            // its client would be told to retry for ever.
            throw new IllegalArgumentException("MOORING_PROXY_BUFFER_BUDGET_BYTES must be at least " + 2 * MooringProxy.MAX_BUFFERED_BODY
                    + " (twice the largest request body read whole), not " + budget);
        }
        return new ProxyConfig(
                port(env, "MOORING_PROXY_LISTEN_PORT", LISTEN_PORT),
                port(env, "MOORING_PROXY_ADMIN_PORT", ADMIN_PORT),
                upstream,
                healthPath == null || healthPath.isBlank() ? null : healthPath,
                port(env, "MOORING_PROXY_HEALTH_PORT", upstream),
                millis(env, "MOORING_PROXY_HEALTH_PERIOD_MS", 5_000),
                preStopDelay,
                drainTimeout,
                millis(env, "MOORING_PROXY_IDLE_KEEPALIVE_MS", 5_000),
                "sse".equals(env.get("MOORING_PROXY_TRANSPORT")),
                path(env, "MOORING_PROXY_CHECK_SETTINGS"),
                millis(env, "MOORING_PROXY_STARTUP_TIMEOUT_MS", 60_000),
                path(env, "MOORING_PROXY_SESSION_KEYS"),
                env.getOrDefault("MOORING_PROXY_SERVER", "mcp-server"),
                timeout(env, "MOORING_PROXY_SESSION_MAX_AGE_MS", SESSION_MAX_AGE),
                drainToken == null || drainToken.isBlank() ? null : drainToken,
                gracePeriod,
                new Limits(budget,
                        timeout(env, "MOORING_PROXY_CLIENT_IDLE_TIMEOUT_MS", Limits.DEFAULTS.clientIdleTimeout()),
                        timeout(env, "MOORING_PROXY_HEADER_TIMEOUT_MS", Limits.DEFAULTS.headerTimeout()),
                        timeout(env, "MOORING_PROXY_BODY_TIMEOUT_MS", Limits.DEFAULTS.bodyTimeout())));
    }

    private static Duration timeout(Map<String, String> env, String name, Duration fallback) {
        Duration value = millis(env, name, fallback.toMillis());
        if (value.isZero()) {
            throw new IllegalArgumentException(name + " must be a number of milliseconds, 1 or more, not 0");
        }
        return value;
    }

    private static Path path(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : Path.of(value);
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        long value = number(env, name, fallback);
        if (value < 1 || value > 65535) {
            throw new IllegalArgumentException(name + " must be a port between 1 and 65535, not " + value);
        }
        return (int) value;
    }

    private static Duration millis(Map<String, String> env, String name, long fallback) {
        long value = number(env, name, fallback);
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be a number of milliseconds, 0 or more, not " + value);
        }
        return Duration.ofMillis(value);
    }

    private static long number(Map<String, String> env, String name, long fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'");
        }
    }
}
