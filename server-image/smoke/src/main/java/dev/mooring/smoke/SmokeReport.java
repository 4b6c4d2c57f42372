package dev.mooring.smoke;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The one JSON line mcp-smoke prints and leaves in the termination message. */
final class SmokeReport {
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
    final Map<String, Long> latencyMs = new LinkedHashMap<>();

    boolean ok() {
        return error == null;
    }

    String toJson() {
        return toJson(true);
    }

    /** The line, without the tool names if it would not fit in a termination message. */
    String toJsonWithin(int limit) {
        String full = toJson(true);
        if (full.getBytes(StandardCharsets.UTF_8).length <= limit) {
            return full;
        }
        String shorter = toJson(false);
        if (shorter.getBytes(StandardCharsets.UTF_8).length <= limit) {
            return shorter;
        }
        error = error.substring(0, Math.min(error.length(), 1000)) + "...";
        return toJson(false);
    }

    private String toJson(boolean withTools) {
        ObjectNode line = JsonRpc.JSON.createObjectNode();
        line.put("ok", ok());
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
