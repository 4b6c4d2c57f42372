package dev.mooring.proxy;

import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import java.time.Clock;
import java.time.Instant;

/**
 * The proxy: the MCP port the Service targets, forwarded to the server on 127.0.0.1, and the admin port the kubelet
 * and Prometheus use (/ready, /live, /drain, /metrics).
 */
public final class MooringProxy implements Exchange.Listener {
    static final String LOOPBACK = "127.0.0.1";
    /**
     * Upstream connections idle this long are dropped before the server drops them (Node.js closes idle ones after
     * 5 s): a call sent on a connection the server is closing would fail.
     */
    private static final int UPSTREAM_IDLE_SECONDS = 2;

    private final Vertx vertx;
    private final ProxyConfig config;
    private final Traffic traffic = new Traffic();
    private final ProxyMetrics metrics = new ProxyMetrics(traffic::inFlightCalls, traffic::openStreams);
    private final HttpClient upstream;
    private final UpstreamReadiness readiness;
    private final Drainer drainer;
    private final StartupGate gate;
    private final String keepAlive;
    private HttpServer mcp;
    private HttpServer admin;

    public MooringProxy(Vertx vertx, ProxyConfig config) {
        this.vertx = vertx;
        this.config = config;
        this.upstream = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
                .setKeepAliveTimeout(UPSTREAM_IDLE_SECONDS).setMaxInitialLineLength(8192).setMaxHeaderSize(64 * 1024),
                new PoolOptions().setHttp1MaxSize(1024).setMaxWaitQueueSize(-1));
        HttpClient probes = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
        this.readiness = new UpstreamReadiness(config, probes, vertx.createNetClient(new NetClientOptions().setConnectTimeout(2_000)));
        this.drainer = new Drainer(vertx, traffic, metrics, config);
        this.gate = config.checkSettings() == null ? StartupGate.open(Instant.now())
                : new StartupGate(Instant.now(), config.startupTimeout());
        this.keepAlive = "timeout=" + Math.max(1, config.idleKeepAlive().toSeconds());
    }

    public Future<Void> start() {
        HttpServerOptions options = new HttpServerOptions().setHost("0.0.0.0").setMaxHeaderSize(64 * 1024).setMaxInitialLineLength(8192);
        mcp = vertx.createHttpServer(new HttpServerOptions(options).setPort(config.listenPort()))
                .connectionHandler(connection -> traffic.connected(connection, System.currentTimeMillis()))
                .requestHandler(this::forward);
        admin = vertx.createHttpServer(new HttpServerOptions(options).setPort(config.adminPort())).requestHandler(this::administer);
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
        return CompositeFuture.all(mcp.close(), admin.close(), upstream.close()).mapEmpty();
    }

    private void forward(HttpServerRequest request) {
        request.pause();
        Exchange exchange = new Exchange(request, this);
        traffic.opened(exchange);
        if (!draining()) {
            request.response().putHeader("Keep-Alive", keepAlive);
        }
        RequestOptions options = new RequestOptions().setMethod(request.method()).setHost(LOOPBACK)
                .setPort(config.upstreamPort()).setURI(request.uri());
        upstream.request(options).onComplete(ar -> {
            if (ar.succeeded()) {
                exchange.forward(ar.result());
            } else {
                exchange.forwardFailed(ar.cause());
            }
        });
    }

    private void administer(HttpServerRequest request) {
        switch (request.path()) {
            case "/live" -> request.response().end("live\n");
            case "/ready" -> ready(request);
            case "/drain" -> drainer.drain().onSuccess(summary -> request.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(summary.encode() + "\n"));
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

    @Override
    public boolean draining() {
        return drainer.draining();
    }

    @Override
    public void becameStream(Exchange exchange) {
        traffic.becameStream(exchange);
    }

    @Override
    public void finished(Exchange exchange, String outcome) {
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
                .put("preStopDelayMs", config.preStopDelay().toMillis()).put("drainTimeoutMs", config.drainTimeout().toMillis());
    }
}
