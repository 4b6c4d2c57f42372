package dev.mooring.operator.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;
import java.util.Objects;

/** What the verification Job's MCP client found for one revision, copied from its termination message. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class VerificationResult {
    public static final String PASSED = "Passed";
    public static final String FAILED = "Failed";
    /** The check never reached a server (refused until its timeout, or its Job left no report): no verdict, retried. */
    public static final String COULD_NOT_RUN = "CouldNotRun";

    @JsonPropertyDescription("The revision that was checked.")
    private String revision;
    @JsonPropertyDescription("Passed, Failed, or CouldNotRun (the check never reached the server; it is retried with backoff and judges nothing).")
    private String result;
    @JsonPropertyDescription("Which verification settings were checked: a hash of spec.verification as the check runs it. A verdict holds only for the revision and the settings it was made with.")
    private String check;
    @JsonPropertyDescription("Which gate decided: Pod (a new pod's proxy ran the MCP check against its own server before the pod took traffic), Service (the verification Job checked the rolled-out revision through its Service), or Rollout (the rollout passed its progress deadline before any check; a revision with nothing to roll back to, or held, is checked once it has rolled out after all).")
    private String gate;
    @JsonPropertyDescription("Which attempt at this revision and check this was; attempts after the first follow checks that could not run.")
    private Integer attempt;
    @JsonPropertyDescription("The verification Job that ran the check.")
    private String job;
    @JsonPropertyDescription("The MCP protocol version the server answered with.")
    private String protocolVersion;
    @JsonPropertyDescription("The server's name, as it introduced itself.")
    private String serverName;
    @JsonPropertyDescription("The server's version, as it introduced itself.")
    private String serverVersion;
    @JsonPropertyDescription("How many tools the server lists.")
    private Integer toolCount;
    @JsonPropertyDescription("SHA-256 of the tool schema in mcp-smoke's canonical form.")
    private String toolSchemaSha256;
    @JsonPropertyDescription("Whether the server issues Mcp-Session-Id (decides session.affinity Auto).")
    private Boolean sessionIssuing;
    @JsonPropertyDescription("Milliseconds per step: handshake, toolsList, call, total.")
    private Map<String, Long> latencyMs;
    @JsonPropertyDescription("Why the check failed, in words; empty when it passed.")
    private String message;
    @JsonPropertyDescription("When the check finished (RFC 3339).")
    private String finishedAt;

    public boolean passed() {
        return PASSED.equals(result);
    }

    public boolean couldNotRun() {
        return COULD_NOT_RUN.equals(result);
    }

    /** Whether this verdict is about that revision as checked with those settings. */
    public boolean isFor(String revision, String check) {
        return Objects.equals(this.revision, revision) && Objects.equals(this.check, check);
    }

    public String getGate() { return gate; }
    public void setGate(String gate) { this.gate = gate; }
    public String getCheck() { return check; }
    public void setCheck(String check) { this.check = check; }
    public Integer getAttempt() { return attempt; }
    public void setAttempt(Integer attempt) { this.attempt = attempt; }

    public String getRevision() { return revision; }
    public void setRevision(String revision) { this.revision = revision; }
    public String getResult() { return result; }
    public void setResult(String result) { this.result = result; }
    public String getJob() { return job; }
    public void setJob(String job) { this.job = job; }
    public String getProtocolVersion() { return protocolVersion; }
    public void setProtocolVersion(String protocolVersion) { this.protocolVersion = protocolVersion; }
    public String getServerName() { return serverName; }
    public void setServerName(String serverName) { this.serverName = serverName; }
    public String getServerVersion() { return serverVersion; }
    public void setServerVersion(String serverVersion) { this.serverVersion = serverVersion; }
    public Integer getToolCount() { return toolCount; }
    public void setToolCount(Integer toolCount) { this.toolCount = toolCount; }
    public String getToolSchemaSha256() { return toolSchemaSha256; }
    public void setToolSchemaSha256(String toolSchemaSha256) { this.toolSchemaSha256 = toolSchemaSha256; }
    public Boolean getSessionIssuing() { return sessionIssuing; }
    public void setSessionIssuing(Boolean sessionIssuing) { this.sessionIssuing = sessionIssuing; }
    public Map<String, Long> getLatencyMs() { return latencyMs; }
    public void setLatencyMs(Map<String, Long> latencyMs) { this.latencyMs = latencyMs; }
    public String getMessage() { return message; }
    public void setMessage(String message) { this.message = message; }
    public String getFinishedAt() { return finishedAt; }
    public void setFinishedAt(String finishedAt) { this.finishedAt = finishedAt; }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof VerificationResult v)) return false;
        return Objects.equals(revision, v.revision) && Objects.equals(result, v.result) && Objects.equals(job, v.job)
                && Objects.equals(check, v.check) && Objects.equals(gate, v.gate) && Objects.equals(attempt, v.attempt)
                && Objects.equals(protocolVersion, v.protocolVersion) && Objects.equals(serverName, v.serverName)
                && Objects.equals(serverVersion, v.serverVersion) && Objects.equals(toolCount, v.toolCount)
                && Objects.equals(toolSchemaSha256, v.toolSchemaSha256) && Objects.equals(sessionIssuing, v.sessionIssuing)
                && Objects.equals(latencyMs, v.latencyMs) && Objects.equals(message, v.message) && Objects.equals(finishedAt, v.finishedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(revision, result, job);
    }
}
