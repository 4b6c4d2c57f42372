package dev.mooring.proxy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A server behind the proxy in tests, with the behaviours the proxy must carry: /echo returns what it received
 * (headers and body), /slow answers after ?ms=, /events streams ?n= SSE events 100 ms apart (n=0: forever),
 * /die starts a stream and drops the connection, /health answers 200, /idle-closed answers a connection's first
 * request and closes the connection on the next one unanswered (a server closing a kept-alive connection for
 * idleness just as a request reaches it), /closed closes every connection unanswered.
 */
final class Upstream implements AutoCloseable {
    final Map<String, String> lastHeaders = new ConcurrentHashMap<>();
    final java.util.concurrent.atomic.AtomicInteger healthChecks = new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicInteger closedUnanswered = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.Set<io.vertx.core.http.HttpConnection> answeredOnce = ConcurrentHashMap.newKeySet();
    private final Vertx vertx;
    private final HttpServer server;

    Upstream(Vertx vertx) throws Exception {
        this(vertx, 0);
    }

    /** On a given port: the same server started again, as the kubelet restarts a container. */
    Upstream(Vertx vertx, int port) throws Exception {
        this.vertx = vertx;
        this.server = vertx.createHttpServer().requestHandler(this::handle).listen(port, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    int port() {
        return server.actualPort();
    }

    private void handle(HttpServerRequest request) {
        lastHeaders.clear();
        request.headers().forEach(h -> lastHeaders.put(h.getKey().toLowerCase(), h.getValue()));
        switch (request.path()) {
            case "/echo" -> request.body().onSuccess(body -> request.response()
                    .putHeader("Mcp-Session-Id", "upstream-session").putHeader("Content-Type", "application/octet-stream")
                    .end(body));
            case "/slow" -> request.body().onSuccess(body -> vertx.setTimer(Long.parseLong(request.getParam("ms")),
                    id -> request.response().end("slow done")));
            case "/events" -> stream(request, Integer.parseInt(request.getParam("n")), 0);
            case "/die" -> {
                request.response().setChunked(true).putHeader("Content-Type", "text/event-stream").write("data: first\n\n");
                vertx.setTimer(200, id -> request.connection().close());
            }
            case "/idle-closed" -> {
                if (answeredOnce.add(request.connection())) {
                    request.body().onSuccess(body -> request.response().end("answered"));
                } else {
                    closedUnanswered.incrementAndGet();
                    request.connection().close();
                }
            }
            case "/closed" -> {
                closedUnanswered.incrementAndGet();
                request.connection().close();
            }
            case "/health" -> {
                healthChecks.incrementAndGet();
                request.response().end("ok");
            }
            default -> request.response().setStatusCode(404).end();
        }
    }

    private void stream(HttpServerRequest request, int events, int sent) {
        if (sent == 0) {
            request.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
        }
        if (events > 0 && sent == events) {
            request.response().end();
            return;
        }
        if (request.response().closed()) {
            return;
        }
        request.response().write("id: " + sent + "\ndata: event " + sent + "\n\n");
        vertx.setTimer(100, id -> stream(request, events, sent + 1));
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
}
