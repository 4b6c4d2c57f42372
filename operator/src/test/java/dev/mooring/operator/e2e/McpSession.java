package dev.mooring.operator.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An MCP client over Streamable HTTP (2025-11-25) that behaves as the specification asks of clients: on 404
 * for its session it starts a new one, and on 503 with Retry-After it waits and tries again. Everything else
 * that is not a result is a failed call. The end-to-end tests count both kinds separately.
 */
final class McpSession {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Re-initializing is what the spec asks after a 404; a client gives up only after this many in a row. */
    private static final int MAX_ATTEMPTS = 10;

    private final HttpClient http;
    private final URI endpoint;
    private final AtomicLong ids = new AtomicLong();
    private final LoadFigures figures;
    private String sessionId;

    /*
     * HTTP/1.1, as the MCP SDKs' clients speak it over plain HTTP. (Over h2c, the JDK 17 client fails every
     * open stream when a server sends GOAWAY, even streams the server finishes: JDK-8335181, fixed in JDK 24.)
     */
    static HttpClient httpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    McpSession(HttpClient http, URI endpoint, LoadFigures figures) {
        this.http = http;
        this.endpoint = endpoint;
        this.figures = figures;
    }

    /** Calls a tool and returns its result; throws when the call failed in a way a client cannot recover from. */
    JsonNode callTool(String name, String argumentsJson) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            if (sessionId == null) {
                initialize();
            }
            HttpResponse<String> response = post("{\"jsonrpc\":\"2.0\",\"id\":" + ids.incrementAndGet()
                    + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + name + "\",\"arguments\":" + argumentsJson + "}}");
            if (response.statusCode() == 404 && attempt < MAX_ATTEMPTS) {
                // The replica that held the session is gone; the call never ran there. The spec: start a new session.
                figures.sessionRestarts.incrementAndGet();
                sessionId = null;
                continue;
            }
            if (response.statusCode() != 200) {
                throw new IOException("tools/call " + name + " answered HTTP " + response.statusCode() + ": " + response.body());
            }
            JsonNode message = message(response);
            if (message.has("error") || message.path("result").path("isError").asBoolean(false)) {
                throw new IOException("tools/call " + name + " failed: " + message);
            }
            return message.get("result");
        }
    }

    private void initialize() throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            sessionId = null;
            HttpResponse<String> response = post("{\"jsonrpc\":\"2.0\",\"id\":" + ids.incrementAndGet()
                    + ",\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
                    + "\"clientInfo\":{\"name\":\"mooring-e2e\",\"version\":\"1\"}}}");
            if (response.statusCode() == 503 && attempt < MAX_ATTEMPTS) {
                figures.retriesAfter503.incrementAndGet();
                Thread.sleep(1000 * response.headers().firstValueAsLong("Retry-After").orElse(1));
                continue;
            }
            if (response.statusCode() != 200) {
                throw new IOException("initialize answered HTTP " + response.statusCode() + ": " + response.body());
            }
            sessionId = response.headers().firstValue("Mcp-Session-Id")
                    .orElseThrow(() -> new IOException("initialize answered without Mcp-Session-Id"));
            HttpResponse<String> initialized = post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            if (initialized.statusCode() == 404 && attempt < MAX_ATTEMPTS) {
                // The replica began to drain between the two requests and ended the new session: start another.
                figures.sessionRestarts.incrementAndGet();
                continue;
            }
            if (initialized.statusCode() != 202 && initialized.statusCode() != 200) {
                throw new IOException("notifications/initialized answered HTTP " + initialized.statusCode());
            }
            return;
        }
    }

    /**
     * A refused connection never carried the request, so trying again is safe; HTTP clients do so. The figures
     * count these retries: refused connects are what a Service sends to a replica it has not yet forgotten.
     */
    private HttpResponse<String> post(String body) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return send(body);
            } catch (java.net.ConnectException e) {
                if (attempt == MAX_ATTEMPTS) {
                    throw e;
                }
                figures.connectRetries.incrementAndGet();
                Thread.sleep(200L * attempt);
            }
        }
    }

    private HttpResponse<String> send(String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", "2025-11-25")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (sessionId != null) {
            request.header("Mcp-Session-Id", sessionId);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The JSON-RPC answer, whether the server sent it as JSON or as one event of an SSE stream. */
    private static JsonNode message(HttpResponse<String> response) throws IOException {
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (!contentType.startsWith("text/event-stream")) {
            return JSON.readTree(response.body());
        }
        for (String line : response.body().split("\r?\n")) {
            if (line.startsWith("data:")) {
                JsonNode event = JSON.readTree(line.substring(5).trim());
                if (event.has("id") && (event.has("result") || event.has("error"))) {
                    return event;
                }
            }
        }
        throw new IOException("the event stream ended without an answer: " + response.body());
    }
}
