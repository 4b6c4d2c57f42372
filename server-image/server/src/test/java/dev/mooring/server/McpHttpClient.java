package dev.mooring.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** Bare Streamable HTTP requests, for tests that need to hold a call open or look at status codes. */
final class McpHttpClient {
    /** HTTP/1.1, as the MCP SDKs' clients speak it over plain HTTP. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final URI endpoint;
    private String sessionId;

    McpHttpClient(URI endpoint) {
        this.endpoint = endpoint;
    }

    /** A client that continues a session some other replica issued. */
    static McpHttpClient continuing(URI endpoint, String sessionId) {
        McpHttpClient client = new McpHttpClient(endpoint);
        client.sessionId = sessionId;
        return client;
    }

    HttpResponse<String> initialize() throws IOException, InterruptedException {
        HttpResponse<String> response = post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"drain-test\",\"version\":\"1\"}}}");
        sessionId = response.headers().firstValue("Mcp-Session-Id").orElse(null);
        if (sessionId != null) {
            post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        }
        return response;
    }

    HttpResponse<String> callTool(int id, String name, String argumentsJson) throws IOException, InterruptedException {
        return post("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + name
                + "\",\"arguments\":" + argumentsJson + "}}");
    }

    Optional<String> sessionId() {
        return Optional.ofNullable(sessionId);
    }

    private HttpResponse<String> post(String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (sessionId != null) {
            request.header("Mcp-Session-Id", sessionId);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
