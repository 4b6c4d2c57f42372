package dev.mooring.operator.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mooring.operator.api.v1alpha1.status.VerificationResult;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the one JSON line mcp-smoke leaves in its pod's termination message. Everything in it that the server
 * chose (its name, version, error texts) is made safe for conditions and events: no control characters, bounded.
 */
public final class SmokeReportParser {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_TEXT = 1024;

    /** @param reached false when the check never connected to a server: it could not run */
    public record Report(VerificationResult result, boolean reached) {
    }

    private SmokeReportParser() {
    }

    /** The report, or empty when the text is not mcp-smoke's JSON line (a crash left logs there instead). */
    public static Optional<Report> parse(String terminationMessage) {
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
        return Optional.of(new Report(result, line.path("reached").asBoolean(true)));
    }

    private static String text(JsonNode line, String field) {
        JsonNode value = line.get(field);
        return value == null || value.isNull() ? null : printable(value.asText());
    }

    /** Control characters become spaces and the text is cut at {@link #MAX_TEXT} characters. */
    static String printable(String text) {
        String flat = text.codePoints()
                .map(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT ? ' ' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return flat.length() > MAX_TEXT ? flat.substring(0, MAX_TEXT) + "..." : flat;
    }
}
