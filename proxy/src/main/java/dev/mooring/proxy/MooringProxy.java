package dev.mooring.proxy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.time.Clock;
import java.time.Instant;

/**
 * The proxy: the MCP port the Service targets, forwarded to the server on 127.0.0.1, and the admin port the kubelet
 * and Prometheus use (/ready, /live, /drain, /metrics).
 */
public final class MooringProxy implements Exchange.Listener {
    /** The header the server container's preStop sends /drain with, carrying the proxy's MOORING_PROXY_DRAIN_TOKEN. */
    public static final String DRAIN_TOKEN_HEADER = "X-Mooring-Drain-Token";
    static final String LOOPBACK = "127.0.0.1";
    /**
     * Upstream connections idle this long are dropped before the server drops them (Node.js closes idle ones after
     * 5 s). That narrows the race, it cannot close it: on a starved node the proxy learns late that a response ended,
     * so a call can still meet a connection the server is closing (2 resets in 6,935 calls with the node's CPUs
     * saturated); such a call is sent again on a fresh connection (see {@link #resend}).
     */
    private static final int UPSTREAM_IDLE_SECONDS = 2;
    /** Larger POST bodies are never an initialize worth handing over, and are streamed rather than held. */
    static final long MAX_BUFFERED_BODY = 4L * 1024 * 1024;
    static final long MAX_CONNECTION_AGE_MILLIS = 2_000;
    private static final String OVER_BUDGET = new JsonObject().put("jsonrpc", "2.0").putNull("id").put("error", new JsonObject()
            .put("code", -32000).put("message", "the Mooring proxy is holding its limit of buffered request bytes; retry shortly")).encode();

    private final Vertx vertx;
    private final ProxyConfig config;
    private final Traffic traffic = new Traffic();
    private final BufferBudget budget;
    private final ProxyMetrics metrics;
    private final BoundedBody bodies;
    private final ConnectionTimeouts mcpTimeouts;
    private final ConnectionTimeouts adminTimeouts;
    private final HttpClient upstream;
    /** For a request sent again after a kept-alive connection failed under it: a connection nobody used before. */
    private final HttpClient fresh;
    /** Upstream connections that carried a request already: only a call on one of these meets a stale connection. */
    private final java.util.Set<HttpConnection> usedUpstream = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final UpstreamReadiness readiness;
    private final PodDrain drain;
    private final StartupGate gate;
    private final SessionHandoff handoff;
    private final String keepAlive;
    private HttpServer mcp;
    private HttpServer admin;
    private long sweep;
    private long sessionSweep = -1;

    public MooringProxy(Vertx vertx, ProxyConfig config) {
        this.vertx = vertx;
        this.config = config;
        this.budget = new BufferBudget(config.limits().bufferBudget());
        this.metrics = new ProxyMetrics(traffic::inFlightCalls, traffic::openStreams, budget::held);
        this.bodies = new BoundedBody(vertx, MAX_BUFFERED_BODY, config.limits().bodyTimeout().toMillis(), budget);
        this.mcpTimeouts = new ConnectionTimeouts(config.limits(), metrics);
        this.adminTimeouts = new ConnectionTimeouts(config.limits(), metrics);
        this.upstream = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
                .setKeepAliveTimeout(UPSTREAM_IDLE_SECONDS).setMaxInitialLineLength(8192).setMaxHeaderSize(64 * 1024),
                new PoolOptions().setHttp1MaxSize(1024).setMaxWaitQueueSize(-1));
        this.fresh = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false).setMaxInitialLineLength(8192)
                .setMaxHeaderSize(64 * 1024), new PoolOptions().setHttp1MaxSize(64).setMaxWaitQueueSize(-1));
        HttpClient probes = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
        NetClient tcp = vertx.createNetClient(new NetClientOptions().setConnectTimeout(2_000));
        this.readiness = new UpstreamReadiness(config, probes, tcp);
        this.drain = new PodDrain(vertx, traffic, metrics, config, tcp);
        this.gate = config.checkSettings() == null ? StartupGate.open(Instant.now())
                : new StartupGate(Instant.now(), config.startupTimeout());
        this.keepAlive = "timeout=" + Math.max(1, config.idleKeepAlive().toSeconds());
        this.handoff = config.sessionKeys() == null || config.legacySse() ? null
                : new SessionHandoff(upstream, config.upstreamPort(), new SessionKeys(config.sessionKeys()), config.serverIdentity(),
                        config.sessionMaxAge());
    }

    public Future<Void> start() {
        // HTTP/1.1 only, though Vert.x accepts an h2c upgrade by default (and the JDK's client, mcp-smoke's, asks for one
        // on every new connection): the drain and the recycling of connections speak HTTP/1.1 (Connection: close,
        // Keep-Alive), which mean nothing in HTTP/2, where closing a connection fails the other calls on it.
        HttpServerOptions options = new HttpServerOptions().setHost("0.0.0.0").setMaxHeaderSize(64 * 1024).setMaxInitialLineLength(8192)
                .setHttp2ClearTextEnabled(false);
        mcp = vertx.createHttpServer(new HttpServerOptions(options).setPort(config.listenPort()))
                .connectionHandler(connection -> {
                    long now = System.currentTimeMillis();
                    traffic.connected(connection, now);
                    mcpTimeouts.connected(connection, now);
                })
                .requestHandler(this::forward);
        admin = vertx.createHttpServer(new HttpServerOptions(options).setPort(config.adminPort()))
                .connectionHandler(connection -> adminTimeouts.connected(connection, System.currentTimeMillis()))
                .requestHandler(this::administer);
        sweep = vertx.setPeriodic(sweepMillis(config.limits()), id -> {
            long now = System.currentTimeMillis();
            mcpTimeouts.sweep(now);
            adminTimeouts.sweep(now);
        });
        if (handoff != null) {
            // On the listeners' context (the calling thread's, which Vert.x keeps): SessionHandoff is event loop only.
            sessionSweep = vertx.setPeriodic(SessionHandoff.SWEEP_MILLIS, id -> handoff.sweep());
        }
        return Future.all(mcp.listen(), admin.listen()).<Void>mapEmpty().onSuccess(ignored -> {
            if (config.checkSettings() != null) {
                new StartupCheck(config.checkSettings(), gate, readiness, Clock.systemUTC()).start();
            }
        });
    }

    public int mcpPort() {
        return mcp.actualPort();
    }

    public int adminPort() {
        return admin.actualPort();
    }

    public Future<Void> close() {
        vertx.cancelTimer(sweep);
        vertx.cancelTimer(sessionSweep);
        return Future.all(mcp.close(), admin.close(), upstream.close(), fresh.close()).mapEmpty();
    }

    /** A connection past its header or idle timeout is closed at most a quarter of that timeout late, and at most a second. */
    private static long sweepMillis(ProxyConfig.Limits limits) {
        long shortest = Math.min(limits.headerTimeout().toMillis(), limits.clientIdleTimeout().toMillis());
        return Math.max(10, Math.min(1_000, shortest / 4));
    }

    private void forward(HttpServerRequest request) {
        request.pause();
        mcpTimeouts.requestStarted(request);
        Exchange exchange = new Exchange(request, this);
        traffic.opened(exchange);
        if (!draining()) {
            request.response().putHeader("Keep-Alive", keepAlive);
        }
        String session = request.getHeader(Exchange.SESSION);
        boolean handoffActive = handoff != null && handoff.active();
        boolean token = handoffActive && SessionToken.looksLikeOne(session);
        if (token || smallPost(request)) {
            bodies.read(request, exchange::holdBuffered).onComplete(body -> {
                if (body.failed()) {
                    refuse(exchange, request, body.cause());
                } else if (token || (handoffActive && session == null)) {
                    handOver(exchange, request, token ? session : null, body.result());
                } else {
                    send(exchange, request, body.result(), null);
                }
            });
            return;
        }
        send(exchange, request, null, null);
    }

    /**
     * POSTs whose length is known and small are read whole before they are forwarded: one may be an initialize to
     * hand over, and a whole request can be sent again when a kept-alive upstream connection fails under it. Others
     * (streams, large or chunked bodies) stream through untouched.
     */
    private static boolean smallPost(HttpServerRequest request) {
        long length = BoundedBody.declaredLength(request);
        return request.method() == HttpMethod.POST && length >= 0 && length <= MAX_BUFFERED_BODY;
    }

    /** A request whose body the proxy would not read whole is answered here; the server never sees it. */
    private void refuse(Exchange exchange, HttpServerRequest request, Throwable cause) {
        if (cause instanceof BoundedBody.TooLarge) {
            exchange.answerLocally(413, "{\"error\":\"a request in an MCP session may carry at most " + MAX_BUFFERED_BODY + " bytes\"}");
        } else if (cause instanceof BoundedBody.OverBudget) {
            metrics.bufferRefused();
            request.response().putHeader("Retry-After", "1");
            exchange.answerLocally(503, OVER_BUDGET);
        } else if (cause instanceof BoundedBody.TimedOut) {
            metrics.clientTimedOut("body");
            exchange.answerLocallyAndClose(408, "{\"error\":\"the request body did not arrive within "
                    + config.limits().bodyTimeout().toMillis() + " ms\"}");
        }
    }

    private void handOver(Exchange exchange, HttpServerRequest request, String token, Buffer body) {
        if (token == null) {
            Exchange.SessionRewrite issue = !SessionHandoff.isInitialize(body) ? null
                    : new Exchange.SessionRewrite(null, upstreamSession -> issue(body, request, upstreamSession), null);
            send(exchange, request, body, issue);
            return;
        }
        if (request.method() == HttpMethod.DELETE) {
            endSession(exchange, request, token, body);
            return;
        }
        boolean known = handoff.knows(token);
        SessionHandoff.ClientRequest client = client(request);
        handoff.upstreamFor(token, client).onComplete(ar -> {
            if (ar.failed()) {
                sessionFailed(exchange, ar.cause());
                return;
            }
            java.util.function.Consumer<Exchange> again = !known ? null : retry -> {
                handoff.forget(token);
                handoff.upstreamFor(token, client).onComplete(replayed -> {
                    if (replayed.succeeded()) {
                        send(retry, request, body, new Exchange.SessionRewrite(replayed.result(), ignored -> token, null));
                    } else {
                        sessionFailed(retry, replayed.cause());
                    }
                });
            };
            send(exchange, request, body, new Exchange.SessionRewrite(ar.result(), ignored -> token, again));
        });
    }

    private static SessionHandoff.ClientRequest client(HttpServerRequest request) {
        return new SessionHandoff.ClientRequest(request.uri(), request.getHeader(HttpHeaders.AUTHORIZATION));
    }

    /** The id the client gets for the session its initialize opened: a token, or the server's own when none can carry it. */
    private String issue(Buffer initialize, HttpServerRequest request, String upstreamSession) {
        return handoff.issue(initialize, client(request), upstreamSession).orElseGet(() -> {
            metrics.sessionNotHandedOver();
            System.out.println(new JsonObject().put("event", "session-not-handed-over").put("initializeBytes", initialize.length())
                    .put("message", "the client's initialize is too large for a session token (at most " + SessionToken.MAX_LENGTH
                            + " characters): the session stays on this replica, under the server's own id").encode());
            return upstreamSession;
        });
    }

    /**
     * A DELETE ends the session on this replica whatever the server answers (clients send it when they are done, and
     * drop the id even when a server refuses with 405): the token is answered 404 here from then on. A replica whose
     * server never opened the session has nothing to close and answers itself; a server that had forgotten the
     * session (it restarted) is not given one again only to close it, and the client is told it is closed.
     */
    private void endSession(Exchange exchange, HttpServerRequest request, String token, Buffer body) {
        handoff.end(token).onComplete(ar -> {
            if (ar.failed()) {
                sessionFailed(exchange, ar.cause());
            } else if (ar.result().isEmpty()) {
                exchange.answerLocally(200, "{}");
            } else {
                send(exchange, request, body, new Exchange.SessionRewrite(ar.result().get(), ignored -> token,
                        forgotten -> forgotten.answerLocally(200, "{}")));
            }
        });
    }

    /**
     * When the token's session cannot be had here: 404, as a server answers a session it does not hold, for a token
     * that does not open here or whose session ended; 502 when opening it again on the server failed.
     */
    private static void sessionFailed(Exchange exchange, Throwable cause) {
        boolean unknown = cause instanceof SessionHandoff.UnknownSession;
        exchange.answerLocally(unknown ? 404 : 502, new JsonObject().put("jsonrpc", "2.0").putNull("id").put("error", new JsonObject()
                .put("code", unknown ? -32001 : -32603)
                .put("message", unknown ? "Session not found" : "the Mooring proxy could not open the session again: " + cause.getMessage()))
                .encode());
    }

    private void send(Exchange exchange, HttpServerRequest request, Buffer body, Exchange.SessionRewrite rewrite) {
        send(upstream, exchange, request, body, rewrite);
    }

    private void send(HttpClient client, Exchange exchange, HttpServerRequest request, Buffer body, Exchange.SessionRewrite rewrite) {
        RequestOptions options = new RequestOptions().setMethod(request.method()).setHost(LOOPBACK)
                .setPort(config.upstreamPort()).setURI(request.uri());
        client.request(options).onComplete(ar -> {
            if (ar.failed()) {
                exchange.forwardFailed(ar.cause());
            } else if (body == null) {
                exchange.forward(ar.result());
            } else {
                exchange.forward(ar.result(), body, rewrite);
            }
        });
    }

    private void administer(HttpServerRequest request) {
        adminTimeouts.requestStarted(request);
        switch (request.path()) {
            case "/live" -> request.response().end("live\n");
            case "/ready" -> ready(request);
            case "/drain" -> drain.handle(request);
            case "/metrics" -> request.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
                    .end(metrics.scrape());
            default -> request.response().setStatusCode(404).end("the proxy's admin port serves /ready, /live, /drain and /metrics\n");
        }
    }

    /**
     * 200 once the pod may take calls, else 503; the body is JSON that says why, which the operator reads to roll
     * back a revision whose pods fail the MCP check: {"state": checking|failed|unready|draining|ready, ...}.
     */
    private void ready(HttpServerRequest request) {
        request.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        if (draining()) {
            request.response().setStatusCode(503).end(new JsonObject().put("state", "draining").encode() + "\n");
            return;
        }
        StartupGate.Snapshot startup = gate.snapshot();
        if (startup.state() != StartupGate.State.PASSED) {
            request.response().setStatusCode(503).end(new JsonObject().put("state", startup.state().name().toLowerCase())
                    .put("check", startup.check()).put("attempts", startup.attempts()).put("reason", startup.reason())
                    .put("report", startup.report() == null ? null : new JsonObject(startup.report())).encode() + "\n");
            return;
        }
        readiness.check().onComplete(ar -> request.response().setStatusCode(ar.succeeded() ? 200 : 503)
                .end(new JsonObject().put("state", ar.succeeded() ? "ready" : "unready")
                        .put("reason", ar.succeeded() ? null : ar.cause().getMessage()).encode() + "\n"));
    }

    /**
     * With session handoff a client may move to any replica, so a connection older than MAX_CONNECTION_AGE is told to
     * close: the client's next connection is balanced afresh by the Service, and load spreads over all replicas
     * (kube-proxy balances connections, and clients keep theirs open for as long as they run). A session that was not
     * handed over (the client holds the server's own id) lives on this replica only: its connection is kept.
     */
    @Override
    public boolean recycle(HttpConnection connection, String session) {
        return handoff != null && handoff.active() && (session == null || SessionToken.looksLikeOne(session))
                && traffic.age(connection, System.currentTimeMillis()) >= MAX_CONNECTION_AGE_MILLIS;
    }

    @Override
    public boolean reused(HttpConnection upstreamConnection) {
        if (usedUpstream.add(upstreamConnection)) {
            upstreamConnection.closeHandler(v -> usedUpstream.remove(upstreamConnection));
            return false;
        }
        return true;
    }

    /**
     * A whole request whose kept-alive upstream connection failed before any answer: what a server closing that
     * connection for idleness as the request reached it looks like (it never read the request), so it goes again
     * once, on a connection of its own. A request that fails on a fresh connection is not sent again: there the
     * server may have read it.
     */
    @Override
    public void resend(Exchange exchange, HttpServerRequest request, Buffer body, Exchange.SessionRewrite rewrite) {
        metrics.upstreamResent();
        send(fresh, exchange, request, body, rewrite);
    }

    @Override
    public boolean draining() {
        return drain.draining();
    }

    @Override
    public void becameStream(Exchange exchange) {
        traffic.becameStream(exchange);
    }

    @Override
    public void finished(Exchange exchange, String outcome) {
        budget.release(exchange.buffered());
        traffic.closed(exchange, System.currentTimeMillis());
        metrics.request(exchange.call(), outcome, System.nanoTime() - exchange.startNanos());
        if (exchange.openedSession()) {
            metrics.sessionSeen();
        }
        if (exchange.toldToClose()) {
            exchange.connection().close();
        }
    }

    /** The configuration as one JSON log line, so that the pod's log says what this proxy was told. */
    JsonObject describe() {
        return new JsonObject().put("event", "started").put("listenPort", mcpPort()).put("adminPort", adminPort())
                .put("upstream", LOOPBACK + ":" + config.upstreamPort())
                .put("readiness", config.healthPath() == null ? "tcp" : "GET " + config.healthPath() + " on " + config.healthPort())
                .put("mcpCheck", config.checkSettings() == null ? null : config.checkSettings().toString())
                .put("sessionHandoff", handoff == null ? "off" : handoff.active() ? "on" : "no key yet")
                .put("sessionMaxAgeMs", config.sessionMaxAge().toMillis())
                .put("preStopDelayMs", config.preStopDelay().toMillis()).put("drainTimeoutMs", config.drainTimeout().toMillis())
                .put("drainToken", config.drainToken() != null).put("gracePeriodMs", config.gracePeriod().toMillis())
                .put("bufferBudgetBytes", config.limits().bufferBudget())
                .put("clientIdleTimeoutMs", config.limits().clientIdleTimeout().toMillis())
                .put("headerTimeoutMs", config.limits().headerTimeout().toMillis())
                .put("bodyTimeoutMs", config.limits().bodyTimeout().toMillis());
    }
}
