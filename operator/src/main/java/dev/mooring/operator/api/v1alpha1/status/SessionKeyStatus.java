package dev.mooring.operator.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** Where the key that seals session tokens stands, in the Secret <name>-mcp-session (its values are never shown). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class SessionKeyStatus {
    @JsonPropertyDescription("The id of the key the proxies seal new session tokens with.")
    private String sealing;
    @JsonPropertyDescription("Since when it seals (RFC 3339); the key rotates after the operator's session key rotation period.")
    private String since;
    @JsonPropertyDescription("A new key in the Secret that proxies accept and will seal with once every pod has it, or empty.")
    private String staged;
    @JsonPropertyDescription("When the staged key was added (RFC 3339).")
    private String stagedAt;

    public String getSealing() { return sealing; }
    public void setSealing(String sealing) { this.sealing = sealing; }
    public String getSince() { return since; }
    public void setSince(String since) { this.since = since; }
    public String getStaged() { return staged; }
    public void setStaged(String staged) { this.staged = staged; }
    public String getStagedAt() { return stagedAt; }
    public void setStagedAt(String stagedAt) { this.stagedAt = stagedAt; }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionKeyStatus k && Objects.equals(sealing, k.sealing) && Objects.equals(since, k.since)
                && Objects.equals(staged, k.staged) && Objects.equals(stagedAt, k.stagedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sealing, since, staged, stagedAt);
    }
}
