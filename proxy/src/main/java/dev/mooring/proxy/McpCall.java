package dev.mooring.proxy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Set;

/**
 * The MCP method and tool name of a request, for metrics: from the 2026-07-28 `Mcp-Method` / `Mcp-Name` headers
 * when the client sends them, else from the JSON-RPC body. Both come from clients, so only known methods become
 * label values and tool names are bounded in length (ProxyMetrics bounds how many).
 */
record McpCall(String method, String tool) {
    static final int PEEK_LIMIT = 64 * 1024;
    static final McpCall NONE = new McpCall("none", "");
    private static final Set<String> METHODS = Set.of("initialize", "ping", "server/discover", "tools/list", "tools/call",
            "resources/list", "resources/read", "resources/templates/list", "resources/subscribe", "resources/unsubscribe",
            "prompts/list", "prompts/get", "completion/complete", "logging/setLevel", "notifications/initialized",
            "notifications/cancelled", "notifications/progress", "notifications/roots/list_changed");
    private static final int TOOL_NAME_LIMIT = 128;

    static McpCall of(String methodHeader, String nameHeader, String httpMethod, Buffer peekedBody) {
        if (methodHeader != null) {
            return named(methodHeader, nameHeader);
        }
        if (!"POST".equals(httpMethod)) {
            return new McpCall(httpMethod.equals("GET") ? "stream" : httpMethod.toLowerCase(Locale.ROOT), "");
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
        boolean named = method.equals("tools/call") || method.equals("prompts/get");
        if (!named || name == null) {
            return new McpCall(method, "");
        }
        return new McpCall(method, name.length() > TOOL_NAME_LIMIT ? name.substring(0, TOOL_NAME_LIMIT) : name);
    }

}
