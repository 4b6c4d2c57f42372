package dev.mooring.proxy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A 2025-style MCP endpoint for handoff tests, as strict as the official SDKs: initialize opens a session, any other
 * request must name a session this server opened (404 otherwise), DELETE closes it. It answers with the session
 * it saw, and can forget every session as a restarted server would, or be slow to answer calls. It records the
 * sessions it was asked to close and the Authorization each MCP message came with.
 */
final class SessionServer implements AutoCloseable {
    final Map<String, String> sessions = new ConcurrentHashMap<>();
    final List<String> methods = new CopyOnWriteArrayList<>();
    final List<String> sessionHeaders = new CopyOnWriteArrayList<>();
    /** The Mcp-Session-Id of each DELETE, in the order they came. */
    final List<String> deleted = new CopyOnWriteArrayList<>();
    /** "method Authorization" of each message but DELETE ("null" for none), in the order they came. */
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    /** How long a request in a session (not initialize, not a notification) waits for its answer. */
    volatile long answerDelayMillis;
    /** What DELETE is answered, with no body, when not 0 (else 200, or 404 for a session this server does not hold). */
    volatile int deleteStatus;
    private final AtomicInteger opened = new AtomicInteger();
    private final Vertx vertx;
    private final HttpServer server;

    SessionServer(Vertx vertx) throws Exception {
        this.vertx = vertx;
        server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    int port() {
        return server.actualPort();
    }

    void restart() {
        sessions.clear();
    }

    private void handle(HttpServerRequest request) {
        String session = request.getHeader("Mcp-Session-Id");
        sessionHeaders.add(String.valueOf(session));
        if (request.method().name().equals("DELETE")) {
            boolean held = session != null && sessions.remove(session) != null;
            deleted.add(String.valueOf(session));
            request.response().setStatusCode(deleteStatus != 0 ? deleteStatus : held ? 200 : 404).end();
            return;
        }
        request.body().onSuccess(body -> {
            JsonObject message = body.toJsonObject();
            String method = message.getString("method");
            methods.add(method + (session == null ? "" : "@" + session));
            authorizations.add(method + " " + request.getHeader("Authorization"));
            if ("initialize".equals(method)) {
                String id = "upstream-" + opened.incrementAndGet();
                sessions.put(id, message.getJsonObject("params").encode());
                request.response().putHeader("Mcp-Session-Id", id).putHeader("Content-Type", "text/event-stream")
                        .end("event: message\ndata: " + new JsonObject().put("jsonrpc", "2.0").put("id", message.getValue("id"))
                                .put("result", new JsonObject().put("protocolVersion", "2025-06-18")).encode() + "\n\n");
            } else if (session == null || !sessions.containsKey(session)) {
                request.response().setStatusCode(404).end("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32001,\"message\":\"Session not found\"}}");
            } else if (method.startsWith("notifications/")) {
                request.response().setStatusCode(202).end();
            } else {
                String result = new JsonObject().put("jsonrpc", "2.0").put("id", message.getValue("id"))
                        .put("result", new JsonObject().put("clientInfo", new JsonObject(sessions.get(session)).getJsonObject("clientInfo"))).encode();
                Runnable answer = () -> request.response().putHeader("Mcp-Session-Id", session)
                        .putHeader("Content-Type", "application/json").end(result);
                if (answerDelayMillis > 0) {
                    vertx.setTimer(answerDelayMillis, id -> answer.run());
                } else {
                    answer.run();
                }
            }
        });
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
}
