package dev.mooring.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * MCP 2025-03-26 .. 2025-11-25 over Streamable HTTP: the initialize handshake, then requests that carry
 * the session id when the server issued one.
 */
final class InitializeSession implements McpSession {
    static final String OFFERED_VERSION = "2025-11-25";
    static final Set<String> KNOWN_VERSIONS = Set.of("2025-11-25", "2025-06-18", "2025-03-26");

    private final URI url;
    private final HttpExchange http;
    private final JsonRpc rpc = new JsonRpc();
    private String sessionId;
    private String protocolVersion;

    InitializeSession(URI url, HttpExchange http) {
        this.url = url;
        this.http = http;
    }

    @Override
    public Handshake handshake() {
        HttpExchange.Answer answer = http.post(url, rpc.request("initialize", JsonRpc.initializeParams(OFFERED_VERSION)), Map.of());
        JsonNode result = JsonRpc.resultOf(expectResponse(answer, "initialize"), "initialize");
        protocolVersion = result.path("protocolVersion").asText();
        if (!KNOWN_VERSIONS.contains(protocolVersion)) {
            throw new SmokeFailure("initialize: the server chose protocol version '" + protocolVersion + "', which mcp-smoke does not speak");
        }
        sessionId = answer.sessionId().orElse(null);
        HttpExchange.Answer initialized = http.post(url, JsonRpc.notification("notifications/initialized"), headers());
        if (initialized.status() >= 300) {
            throw new SmokeFailure("notifications/initialized: HTTP " + initialized.status() + " " + JsonRpc.abbreviate(initialized.body()));
        }
        JsonNode info = result.path("serverInfo");
        return new Handshake(protocolVersion, info.path("name").asText(null), info.path("version").asText(null), sessionId != null);
    }

    @Override
    public JsonNode request(String method, ObjectNode params) {
        return JsonRpc.resultOf(expectResponse(http.post(url, rpc.request(method, params), headers()), method), method);
    }

    private Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("MCP-Protocol-Version", protocolVersion);
        if (sessionId != null) {
            headers.put("Mcp-Session-Id", sessionId);
        }
        return headers;
    }

    static JsonNode expectResponse(HttpExchange.Answer answer, String method) {
        if (answer.status() != 200) {
            String retry = answer.status() == 503 ? " (the server is unavailable or draining)" : "";
            throw new SmokeFailure(method + ": HTTP " + answer.status() + retry + (answer.body().isBlank() ? "" : ": " + JsonRpc.abbreviate(answer.body())));
        }
        return answer.response().orElseThrow(() -> new SmokeFailure(method + ": the server sent no JSON-RPC response"));
    }

    @Override
    public void close() {
        if (sessionId != null) {
            http.delete(url, headers());
        }
    }
}
