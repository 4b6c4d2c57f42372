package dev.mooring.operator.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/**
 * The last automatic rollback. Mooring holds the `to` revision for as long as the spec renders the `from`
 * revision with the same verification settings: edits that leave the pod template alone (replicas, the Service,
 * the disruption budget) never bring the known-bad revision back.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class RollbackRecord {
    @JsonPropertyDescription("The revision that failed verification.")
    private String from;
    @JsonPropertyDescription("The last verified revision, put back.")
    private String to;
    @JsonPropertyDescription("Why: the verification's message.")
    private String reason;
    @JsonPropertyDescription("When (RFC 3339).")
    private String at;
    @JsonPropertyDescription("The metadata.generation that was rolled back, for the record.")
    private Long generation;
    @JsonPropertyDescription("The verification settings (a hash) `from` failed with; the hold ends when they change, so a corrected check can try the revision again.")
    private String check;

    public String getFrom() { return from; }
    public void setFrom(String from) { this.from = from; }
    public String getTo() { return to; }
    public void setTo(String to) { this.to = to; }
    public String getReason() { return reason; }
    public void setReason(String reason) { this.reason = reason; }
    public String getAt() { return at; }
    public void setAt(String at) { this.at = at; }
    public String getCheck() { return check; }
    public void setCheck(String check) { this.check = check; }
    public Long getGeneration() { return generation; }
    public void setGeneration(Long generation) { this.generation = generation; }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof RollbackRecord r)) return false;
        return Objects.equals(from, r.from) && Objects.equals(to, r.to) && Objects.equals(reason, r.reason)
                && Objects.equals(at, r.at) && Objects.equals(generation, r.generation)
                && Objects.equals(check, r.check);
    }

    @Override
    public int hashCode() {
        return Objects.hash(from, to, generation);
    }
}
