package dev.mooring.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

@JsonIgnoreProperties(ignoreUnknown = true)
public class VerificationSpec {
    public static final String DEFAULT_TIMEOUT = "60s";

    @Default("true")
    @JsonPropertyDescription("Whether new revisions are checked with a real MCP client: each pod before it takes traffic (beforeTraffic), and the revision through its Service once it has rolled out.")
    private Boolean enabled = true;

    @Default("true")
    @JsonPropertyDescription("Whether every new pod must pass the same MCP check against its own server (by the Mooring proxy, on 127.0.0.1) before it is ready. A revision that fails it never takes a call: the rolling update stalls while the old pods serve, and Mooring acts on onFailure within seconds. Needs spec.proxy.enabled; the check after the rollout (a Job through the Service) runs either way.")
    private Boolean beforeTraffic = true;

    @JsonPropertyDescription("Tool names the server must list.")
    @Size(max = 100)
    @ValidationRule(value = "self.all(t, t.size() > 0 && t.size() <= 128 && !t.contains(',') && t.trim() == t)",
            message = "verification.expectedTools entries must be tool names: not empty, at most 128 characters, no commas and no surrounding spaces")
    private List<@Size(min = 1, max = 128) String> expectedTools;

    @Size(max = 64)
    @ValidationRule(value = "self.matches('^[0-9a-f]{64}$')",
            message = "verification.toolSchemaSha256 must be 64 lowercase hex characters: the toolSchemaSha256 that mcp-smoke reports")
    @JsonPropertyDescription("SHA-256 of the server's tool schema in mcp-smoke's canonical form. A revision whose tools differ fails verification.")
    private String toolSchemaSha256;

    @JsonPropertyDescription("A tool call the smoke check makes; the call must succeed.")
    private ToolCallSpec call;

    @Size(max = 253)
    @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$')",
            message = "verification.headersSecret must be the name of a Secret in the McpServer's namespace")
    @JsonPropertyDescription("A Secret in the McpServer's namespace whose keys are HTTP header names (for example Authorization) and whose values are sent with every request of the check, for servers that need credentials. It is mounted into the Job's pod, never written into the Job's spec.")
    private String headersSecret;

    @Default(DEFAULT_TIMEOUT)
    @Size(max = 32)
    @ValidationRule(value = Durations.RULE_PREFIX + "duration(self) >= duration('1s') && duration(self) <= duration('30m')",
            message = "verification.timeout must be a duration between 1s and 30m, such as 60s")
    @JsonPropertyDescription("How long the smoke check may take in all.")
    private String timeout = DEFAULT_TIMEOUT;

    @Size(max = 32)
    @ValidationRule(value = Durations.RULE_PREFIX + "duration(self) >= duration('1m') && duration(self) <= duration('168h')",
            message = "verification.interval must be a duration between 1m and 168h, such as 1h")
    @JsonPropertyDescription("Re-verify the live revision this often (off when unset): the verification Job runs again through the Service. A failure makes the server Degraded (reason ReverificationFailed) without a rollback; a changed tool schema is an event (ToolSchemaChanged) and counts in mooring_tool_schema_changes_total, so tools that drift without a deploy are noticed.")
    private String interval;

    @Default("Rollback")
    @JsonPropertyDescription("Rollback (the default) puts the last verified revision back when a new one fails; Hold leaves it and reports Degraded.")
    @JsonFormat(with = JsonFormat.Feature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
    private OnFailure onFailure = OnFailure.Rollback;

    public Boolean getEnabled() { return enabled; }
    public void setEnabled(Boolean enabled) { this.enabled = enabled; }
    public Boolean getBeforeTraffic() { return beforeTraffic; }
    public void setBeforeTraffic(Boolean beforeTraffic) { this.beforeTraffic = beforeTraffic; }
    public List<String> getExpectedTools() { return expectedTools; }
    public void setExpectedTools(List<String> expectedTools) { this.expectedTools = expectedTools; }
    public String getToolSchemaSha256() { return toolSchemaSha256; }
    public void setToolSchemaSha256(String toolSchemaSha256) { this.toolSchemaSha256 = toolSchemaSha256; }
    public ToolCallSpec getCall() { return call; }
    public void setCall(ToolCallSpec call) { this.call = call; }
    public String getHeadersSecret() { return headersSecret; }
    public void setHeadersSecret(String headersSecret) { this.headersSecret = headersSecret; }
    public String getTimeout() { return timeout; }
    public void setTimeout(String timeout) { this.timeout = timeout; }
    public String getInterval() { return interval; }
    public void setInterval(String interval) { this.interval = interval; }
    public OnFailure getOnFailure() { return onFailure; }
    public void setOnFailure(OnFailure onFailure) { this.onFailure = onFailure; }
}
