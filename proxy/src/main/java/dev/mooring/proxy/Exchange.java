package dev.mooring.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * One request through the proxy and its response, streamed both ways with backpressure: a chunk is written on
 * as it arrives (an SSE event reaches the client when the server flushes it), and reading pauses while the other
 * side's write queue is full. Headers pass untouched except the hop-by-hop ones, which belong to each connection.
 */
final class Exchange {
    static final String SESSION = "Mcp-Session-Id";
    /** With HTTP2-Settings, which comes with an h2c upgrade the proxy does not make (it belongs to that connection too). */
    static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
            "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "http2-settings");

    /**
     * How the session id is translated for session handoff: the server's own id sent upstream, the id the client gets
     * for the one the server answers with, and what to do when the server says it does not know the session (404).
     */
    record SessionRewrite(String upstreamSession, UnaryOperator<String> toClient, Consumer<Exchange> onUpstream404) {
    }

    interface Listener {
        boolean draining();

        /**
         * Whether this response should end its connection so that the client's next one is balanced afresh.
         *
         * @param session the session the client goes on with after this response, or null
         */
        boolean recycle(HttpConnection connection, String session);

        void becameStream(Exchange exchange);

        void finished(Exchange exchange, String outcome);

        /** Whether this upstream connection carried a request before (and so may be one the server is closing). */
        boolean reused(HttpConnection upstreamConnection);

        /** Sends a whole request again, on a fresh upstream connection. */
        void resend(Exchange exchange, HttpServerRequest request, Buffer body, SessionRewrite rewrite);
    }

    private final HttpServerRequest request;
    private final HttpServerResponse response;
    private final Listener listener;
    private final long startNanos = System.nanoTime();
    private final Buffer peeked = Buffer.buffer();
    private HttpClientRequest upstream;
    private boolean stream;
    private boolean done;
    private boolean toldToClose;
    private String sessionSeen;
    private Buffer body;
    private SessionRewrite rewrite;
    private boolean retried;
    private boolean upstreamReused;
    private boolean resent;
    private boolean closeAfter;
    private long buffered;

    Exchange(HttpServerRequest request, Listener listener) {
        this.request = request;
        this.response = request.response();
        this.listener = listener;
        // Set before the upstream connection exists: a client that leaves while it is being opened must not stay in flight.
        request.exceptionHandler(e -> clientGone());
        response.closeHandler(v -> clientGone());
    }

    HttpConnection connection() {
        return request.connection();
    }

    boolean isStream() {
        return stream;
    }

    /** A GET stream: in Streamable HTTP, the channel for server-initiated messages, which no call waits on. */
    boolean isStandaloneStream() {
        return stream && "GET".equals(request.method().name());
    }

    long startNanos() {
        return startNanos;
    }

    /** The MCP method and tool, once the request body has been read. */
    McpCall call() {
        return McpCall.of(request.getHeader("Mcp-Method"), request.getHeader("Mcp-Name"), request.method().name(), peeked);
    }

    /** Takes bytes of the proxy's buffer budget: the request body this exchange holds, given back when it finishes. */
    void holdBuffered(long bytes) {
        buffered += bytes;
    }

    long buffered() {
        return buffered;
    }

    /** Whether the server opened an MCP session in this response (it names one the request did not carry). */
    boolean openedSession() {
        return sessionSeen != null && request.getHeader(SESSION) == null;
    }

    /** Forwards a request whose body was read already (session handoff), with its session id translated. */
    void forward(HttpClientRequest upstream, Buffer body, SessionRewrite rewrite) {
        this.body = body;
        this.rewrite = rewrite;
        forward(upstream);
    }

    void forward(HttpClientRequest upstream) {
        if (done) {
            upstream.reset();
            return;
        }
        this.upstream = upstream;
        upstreamReused = listener.reused(upstream.connection());
        copyHeaders(request.headers(), upstream.headers());
        if (rewrite != null && rewrite.upstreamSession() != null) {
            upstream.headers().set(SESSION, rewrite.upstreamSession());
        }
        String forwardedFor = request.getHeader("X-Forwarded-For");
        String client = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        upstream.putHeader("X-Forwarded-For", forwardedFor == null ? client : forwardedFor + ", " + client);
        if (request.getHeader(HttpHeaders.CONTENT_LENGTH) == null && request.headers().contains(HttpHeaders.TRANSFER_ENCODING, "chunked", true)) {
            upstream.setChunked(true);
        }
        // Events of a request given up for a resend are ignored: the request sent again answers for the exchange.
        upstream.response().onComplete(ar -> {
            if (this.upstream != upstream) {
                return;
            }
            if (ar.succeeded()) {
                respond(ar.result());
            } else {
                upstreamFailed(ar.cause());
            }
        });
        upstream.exceptionHandler(e -> {
            if (this.upstream == upstream) {
                upstreamFailed(e);
            }
        });
        if (body != null) {
            peeked.appendBuffer(body, 0, Math.min(body.length(), McpCall.PEEK_LIMIT - peeked.length()));
            upstream.headers().remove(HttpHeaders.CONTENT_LENGTH);
            upstream.end(body);
            return;
        }
        request.handler(chunk -> {
            if (peeked.length() < McpCall.PEEK_LIMIT) {
                peeked.appendBuffer(chunk, 0, Math.min(chunk.length(), McpCall.PEEK_LIMIT - peeked.length()));
            }
            upstream.write(chunk);
            if (upstream.writeQueueFull()) {
                request.pause();
                upstream.drainHandler(v -> request.resume());
            }
        });
        request.endHandler(v -> upstream.end());
        request.resume();
    }

    /** No connection to the server: the client gets a 502 that says so. */
    void forwardFailed(Throwable cause) {
        if (done) {
            return;
        }
        readRest();
        upstreamFailed(cause);
    }

    /** Answers from the proxy itself, without the server: a session token that does not open here, or a failed replay. */
    void answerLocally(int status, String json) {
        if (done) {
            return;
        }
        readRest();
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        markConnection();
        done = true;
        response.end(json).onComplete(ar -> listener.finished(this, outcome(status)));
    }

    /** Answers from the proxy itself and closes the connection after: what is left of the request will not be waited for. */
    void answerLocallyAndClose(int status, String json) {
        closeAfter = true;
        answerLocally(status, json);
    }

    /**
     * Reads what is left of a request answered without forwarding it, so that its connection serves the client's next
     * one. A request read whole already (session handoff reads it first) is not resumed: an HTTP/2 request throws
     * then, and its answer was never sent (mcp-smoke's DELETE waited for its timeout).
     */
    private void readRest() {
        if (!request.isEnded()) {
            request.resume();
        }
    }

    private void respond(HttpClientResponse answer) {
        if (done) {
            answer.request().reset();
            return;
        }
        if (answer.statusCode() == 404 && rewrite != null && rewrite.onUpstream404() != null && !retried) {
            // The server forgot the session (it restarted): opened again, the request is sent once more.
            retried = true;
            answer.body().onComplete(ignored -> rewrite.onUpstream404().accept(this));
            return;
        }
        response.setStatusCode(answer.statusCode());
        response.setStatusMessage(answer.statusMessage());
        copyHeaders(answer.headers(), response.headers());
        sessionSeen = answer.getHeader(SESSION);
        if (rewrite != null && sessionSeen != null) {
            // The server's own session id leaves the pod only for a session that was not handed over.
            response.headers().set(SESSION, rewrite.toClient().apply(sessionSeen));
        }
        if (answer.getHeader(HttpHeaders.CONTENT_LENGTH) == null) {
            response.setChunked(true);
        }
        String type = answer.getHeader(HttpHeaders.CONTENT_TYPE);
        if (type != null && type.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
            stream = true;
            listener.becameStream(this);
        }
        markConnection();
        answer.handler(chunk -> {
            response.write(chunk);
            if (response.writeQueueFull()) {
                answer.pause();
                response.drainHandler(v -> answer.resume());
            }
        });
        answer.exceptionHandler(e -> {
            // The server died mid-response: the client must see a broken response, not a short one that looks whole.
            if (!done) {
                response.reset();
                finish("upstream_reset");
            }
        });
        answer.endHandler(v -> {
            if (!done) {
                endThenFinish(outcome(answer.statusCode()));
            }
        });
    }

    /** Keep-alive while serving; `Connection: close` once draining, so the client's next call opens a connection elsewhere. */
    private void markConnection() {
        String session = response.headers().get(SESSION) != null ? response.headers().get(SESSION) : request.getHeader(SESSION);
        if (closeAfter || listener.draining() || listener.recycle(request.connection(), session)) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
            toldToClose = true;
        }
    }

    /**
     * Whether this response told the client not to reuse the connection. Only then may the proxy close it when the
     * response ends: a client told nothing returns the connection to its pool and may send the next call on it at
     * once, which a close would fail.
     */
    boolean toldToClose() {
        return toldToClose;
    }

    private void upstreamFailed(Throwable cause) {
        if (done) {
            return;
        }
        if (!response.headWritten() && body != null && upstreamReused && !resent) {
            resent = true;
            upstream = null;
            listener.resend(this, request, body, rewrite);
            return;
        }
        if (response.headWritten()) {
            response.reset();
            finish("upstream_reset");
            return;
        }
        response.setStatusCode(502).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        markConnection();
        done = true;
        response.end("{\"error\":\"the MCP server did not answer the Mooring proxy\",\"detail\":\"" + jsonEscape(String.valueOf(cause.getMessage())) + "\"}")
                .onComplete(ar -> listener.finished(this, "upstream_unavailable"));
    }

    private void clientGone() {
        if (done) {
            return;
        }
        finish("client_gone");
        if (upstream != null) {
            upstream.reset();
        }
    }

    /** Ends an SSE stream cleanly at the drain's deadline: the client sees a finished response and may resume elsewhere. */
    void endStream() {
        if (done) {
            return;
        }
        endThenFinish("stream_ended_by_drain");
        if (upstream != null) {
            upstream.reset();
        }
    }

    /** Reports the exchange once its last byte is written, so that a connection closed then loses nothing. */
    private void endThenFinish(String outcome) {
        done = true;
        response.end().onComplete(ar -> listener.finished(this, outcome));
    }

    private void finish(String outcome) {
        done = true;
        listener.finished(this, outcome);
    }

    static String outcome(int status) {
        return status < 400 ? "ok" : status < 500 ? "client_error" : "server_error";
    }

    static void copyHeaders(MultiMap from, MultiMap to) {
        from.forEach(header -> {
            if (!HOP_BY_HOP.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                to.add(header.getKey(), header.getValue());
            }
        });
    }

    private static String jsonEscape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c >= 0x20) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
