package dev.mooring.operator.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mooring.operator.api.v1alpha1.status.VerificationResult;
import java.io.IOException;
import java.util.Optional;

/**
 * What a new pod's proxy says of the MCP check it runs before the pod takes traffic, read from its {@code /ready}:
 * {"state": checking|failed|ready|unready|draining, "check": ID, "reason": ..., "report": {mcp-smoke's line}}.
 *
 * @param pod    the pod's name
 * @param state  the proxy's word for where the check stands
 * @param check  the settings the proxy checked with (VerificationJob.check); a verdict counts only for the current ones
 * @param reason why the pod is not ready, in the check's words
 * @param report what mcp-smoke found, when the check reached the server
 */
public record PodCheck(String pod, String state, String check, String reason, Optional<VerificationResult> report) {
    public static final String GATE = "Pod";
    private static final ObjectMapper JSON = new ObjectMapper();

    public boolean failed(String currentCheck) {
        return "failed".equals(state) && currentCheck.equals(check);
    }

    public boolean checking() {
        return "checking".equals(state);
    }

    /** Empty when the body is not the proxy's answer (an older proxy, or something else on the port). */
    public static Optional<PodCheck> parse(String pod, String body) {
        JsonNode ready;
        try {
            ready = JSON.readTree(body == null ? "" : body.strip());
        } catch (IOException e) {
            return Optional.empty();
        }
        if (ready == null || !ready.isObject() || !ready.path("state").isTextual()) {
            return Optional.empty();
        }
        JsonNode report = ready.path("report");
        return Optional.of(new PodCheck(pod, ready.get("state").asText(), text(ready, "check"),
                Optional.ofNullable(text(ready, "reason")).map(SmokeReportParser::printable).orElse("the proxy gave no reason"),
                report.isObject() ? SmokeReportParser.parse(report.toString()).map(SmokeReportParser.Report::result) : Optional.empty()));
    }

    /** The verdict this failure makes for its revision: Failed, by the pod gate, in words that name the pod. */
    public VerificationResult verdict(String revision, String checkNow, String finishedAt) {
        VerificationResult result = report.orElseGet(VerificationResult::new);
        result.setRevision(revision);
        result.setCheck(checkNow);
        result.setGate(GATE);
        result.setResult(VerificationResult.FAILED);
        result.setMessage("pod " + pod + " failed the MCP check: " + reason);
        result.setFinishedAt(finishedAt);
        return result;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
