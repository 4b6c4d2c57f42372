package dev.mooring.smoke;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The one JSON line mcp-smoke prints and leaves in the termination message. */
public final class SmokeReport {
    static final int TERMINATION_LIMIT = 4096;

    String url;
    String transport;
    String protocolVersion;
    String serverName;
    String serverVersion;
    Boolean sessionIssuing;
    List<String> tools;
    String toolSchemaSha256;
    String error;
    /** False when no connection to a server was ever made: the check could not run. */
    boolean reached = true;
    int attempts;
    final Map<String, Long> latencyMs = new LinkedHashMap<>();

    public boolean ok() {
        return error == null;
    }

    /** False when the check never connected to a server: it judged nothing. */
    public boolean reached() {
        return reached;
    }

    /** Why the check failed, or null when it passed. */
    public String error() {
        return error;
    }

    public String toJson() {
        return toJson(true);
    }

    /**
     * The line, within {@code limit} bytes whatever the server sent: without the tool names if need be, then
     * with what came from the server (its name, version, the error) cut short.
     */
    public String toJsonWithin(int limit) {
        String full = toJson(true);
        if (bytes(full) <= limit) {
            return full;
        }
        String shorter = toJson(false);
        if (bytes(shorter) <= limit) {
            return shorter;
        }
        protocolVersion = cut(protocolVersion, 40);
        serverName = cut(serverName, 200);
        serverVersion = cut(serverVersion, 100);
        url = cut(url, 500);
        error = cut(error, 1000);
        return toJson(false);
    }

    private static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String cut(String text, int chars) {
        return text == null || text.length() <= chars ? text : text.substring(0, chars) + "...";
    }

    private String toJson(boolean withTools) {
        ObjectNode line = JsonRpc.JSON.createObjectNode();
        line.put("ok", ok());
        line.put("reached", reached);
        line.put("attempts", attempts);
        line.put("url", url);
        line.put("transport", transport);
        line.put("protocolVersion", protocolVersion);
        line.put("serverName", serverName);
        line.put("serverVersion", serverVersion);
        if (tools != null) {
            line.put("toolCount", tools.size());
            if (withTools) {
                ArrayNode names = line.putArray("tools");
                tools.forEach(names::add);
            }
        } else {
            line.putNull("toolCount");
        }
        line.put("toolSchemaSha256", toolSchemaSha256);
        if (sessionIssuing == null) {
            line.putNull("sessionIssuing");
        } else {
            line.put("sessionIssuing", sessionIssuing);
        }
        ObjectNode latency = line.putObject("latencyMs");
        latencyMs.forEach(latency::put);
        line.put("error", error);
        return line.toString();
    }
}
