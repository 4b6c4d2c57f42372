package dev.mooring.proxy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The MCP method and tool name of a request, for metrics: from the 2026-07-28 `Mcp-Method` / `Mcp-Name` headers
 * when the client sends them, else from the JSON-RPC body, else from the HTTP method. All come from clients, so a
 * method label is always one of {@link #METHOD_LABELS} and tool names are bounded in length (ProxyMetrics bounds how
 * many).
 */
record McpCall(String method, String tool) {
    static final int PEEK_LIMIT = 64 * 1024;
    static final McpCall NONE = new McpCall("none", "");
    private static final Set<String> METHODS = Set.of("initialize", "ping", "server/discover", "tools/list", "tools/call",
            "resources/list", "resources/read", "resources/templates/list", "resources/subscribe", "resources/unsubscribe",
            "prompts/list", "prompts/get", "completion/complete", "logging/setLevel", "notifications/initialized",
            "notifications/cancelled", "notifications/progress", "notifications/roots/list_changed");
    /** The methods whose calls name a tool or prompt: the only ones with a tool label. */
    static final Set<String> NAMED_METHODS = Set.of("tools/call", "prompts/get");
    /**
     * Requests other than POST by their HTTP method (a GET opens a stream); a client may send any token as a method
     * (300 made-up ones made 300 series once), so those not listed count as "other".
     */
    private static final Map<String, String> HTTP_METHODS = Map.of("GET", "stream", "DELETE", "delete", "HEAD", "head",
            "OPTIONS", "options", "PUT", "put", "PATCH", "patch");
    /** Every method label there is: ProxyMetrics has a series per label and outcome, and a histogram per label. */
    static final Set<String> METHOD_LABELS = Stream.of(METHODS.stream(), HTTP_METHODS.values().stream(),
            Stream.of("other", "batch", "response", "unparsable")).flatMap(s -> s).collect(Collectors.toUnmodifiableSet());
    private static final int TOOL_NAME_LIMIT = 128;

    static McpCall of(String methodHeader, String nameHeader, String httpMethod, Buffer peekedBody) {
        if (methodHeader != null) {
            return named(methodHeader, nameHeader);
        }
        if (!"POST".equals(httpMethod)) {
            return new McpCall(HTTP_METHODS.getOrDefault(httpMethod, "other"), "");
        }
        if (peekedBody == null || peekedBody.length() == 0 || peekedBody.length() >= PEEK_LIMIT) {
            return new McpCall("other", "");
        }
        try {
            String text = peekedBody.toString().stripLeading();
            if (text.startsWith("[")) {
                return new McpCall("batch", "");
            }
            JsonObject message = new JsonObject(text);
            if (!(message.getValue("method") instanceof String method)) {
                return new McpCall("response", "");
            }
            JsonObject params = message.getValue("params") instanceof JsonObject p ? p : new JsonObject();
            return named(method, params.getValue("name") instanceof String name ? name : null);
        } catch (RuntimeException e) {
            return new McpCall("unparsable", "");
        }
    }

    private static McpCall named(String method, String name) {
        if (!METHODS.contains(method)) {
            return new McpCall("other", "");
        }
        if (!NAMED_METHODS.contains(method) || name == null) {
            return new McpCall(method, "");
        }
        return new McpCall(method, name.length() > TOOL_NAME_LIMIT ? name.substring(0, TOOL_NAME_LIMIT) : name);
    }

}
