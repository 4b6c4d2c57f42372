package dev.mooring.operator.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mooring.operator.api.v1alpha1.status.VerificationResult;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Reads the one JSON line mcp-smoke leaves in its pod's termination message. */
public final class SmokeReportParser {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SmokeReportParser() {
    }

    /** The report, or empty when the text is not mcp-smoke's JSON line (a crash left logs there instead). */
    public static Optional<VerificationResult> parse(String terminationMessage) {
        if (terminationMessage == null || terminationMessage.isBlank()) {
            return Optional.empty();
        }
        JsonNode line;
        try {
            line = JSON.readTree(terminationMessage.strip());
        } catch (IOException e) {
            return Optional.empty();
        }
        if (line == null || !line.isObject() || !line.has("ok")) {
            return Optional.empty();
        }
        VerificationResult result = new VerificationResult();
        boolean ok = line.path("ok").asBoolean(false);
        result.setResult(ok ? VerificationResult.PASSED : VerificationResult.FAILED);
        result.setProtocolVersion(text(line, "protocolVersion"));
        result.setServerName(text(line, "serverName"));
        result.setServerVersion(text(line, "serverVersion"));
        result.setToolCount(line.path("toolCount").isInt() ? line.get("toolCount").asInt() : null);
        result.setToolSchemaSha256(text(line, "toolSchemaSha256"));
        result.setSessionIssuing(line.path("sessionIssuing").isBoolean() ? line.get("sessionIssuing").asBoolean() : null);
        Map<String, Long> latency = new LinkedHashMap<>();
        line.path("latencyMs").fields().forEachRemaining(e -> latency.put(e.getKey(), e.getValue().asLong()));
        result.setLatencyMs(latency.isEmpty() ? null : latency);
        result.setMessage(ok ? null : Optional.ofNullable(text(line, "error")).orElse("mcp-smoke reported a failure without a reason"));
        return Optional.of(result);
    }

    private static String text(JsonNode line, String field) {
        JsonNode value = line.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
