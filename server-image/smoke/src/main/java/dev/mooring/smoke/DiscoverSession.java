package dev.mooring.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * MCP 2026-07-28, stateless: no handshake and no session; every request carries its protocol version in
 * {@code _meta} and in the MCP-Protocol-Version, Mcp-Method (and Mcp-Name) headers, and server/discover
 * tells what the server supports. No Java library speaks this revision yet; when the MCP Java SDK does,
 * this class is what it replaces.
 */
final class DiscoverSession implements McpSession {
    static final String VERSION = "2026-07-28";
    static final String VERSION_KEY = "io.modelcontextprotocol/protocolVersion";
    static final String CLIENT_INFO_KEY = "io.modelcontextprotocol/clientInfo";
    static final String CLIENT_CAPABILITIES_KEY = "io.modelcontextprotocol/clientCapabilities";
    static final String SERVER_INFO_KEY = "io.modelcontextprotocol/serverInfo";

    /** The server does not speak this revision; the caller falls back to the initialize handshake. */
    static final class NotSupported extends RuntimeException {
        NotSupported(String why) {
            super(why, null, false, false);
        }
    }

    private final URI url;
    private final HttpExchange http;
    private final JsonRpc rpc = new JsonRpc();

    DiscoverSession(URI url, HttpExchange http) {
        this.url = url;
        this.http = http;
    }

    @Override
    public Handshake handshake() {
        HttpExchange.Answer answer = http.post(url, enveloped("server/discover", null), headers("server/discover", null));
        JsonNode response = answer.response().orElse(null);
        if (answer.status() != 200 || response == null || !response.has("result")
                || !response.path("result").path("supportedVersions").isArray()) {
            throw new NotSupported("server/discover answered HTTP " + answer.status());
        }
        JsonNode result = response.get("result");
        boolean supported = false;
        for (JsonNode version : result.get("supportedVersions")) {
            supported |= VERSION.equals(version.asText());
        }
        if (!supported) {
            throw new NotSupported("the server supports " + result.get("supportedVersions"));
        }
        JsonNode info = result.path("_meta").path(SERVER_INFO_KEY);
        return new Handshake(VERSION, info.path("name").asText(null), info.path("version").asText(null), answer.sessionId().isPresent());
    }

    @Override
    public JsonNode request(String method, ObjectNode params) {
        String name = params != null && params.has("name") ? params.get("name").asText() : null;
        HttpExchange.Answer answer = http.post(url, enveloped(method, params), headers(method, name));
        return JsonRpc.resultOf(InitializeSession.expectResponse(answer, method), method);
    }

    private ObjectNode enveloped(String method, ObjectNode params) {
        ObjectNode withMeta = params == null ? JsonRpc.JSON.createObjectNode() : params.deepCopy();
        ObjectNode meta = withMeta.putObject("_meta");
        meta.put(VERSION_KEY, VERSION);
        meta.set(CLIENT_INFO_KEY, JsonRpc.clientInfo());
        meta.set(CLIENT_CAPABILITIES_KEY, JsonRpc.JSON.createObjectNode());
        return rpc.request(method, withMeta);
    }

    private static Map<String, String> headers(String method, String name) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("MCP-Protocol-Version", VERSION);
        headers.put("Mcp-Method", method);
        if (name != null) {
            headers.put("Mcp-Name", name);
        }
        return headers;
    }

    @Override
    public void close() {
    }
}
