package dev.mooring.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.mooring.operator.api.v1alpha1.status.RollbackRecord;
import dev.mooring.operator.api.v1alpha1.status.SessionKeyStatus;
import dev.mooring.operator.api.v1alpha1.status.VerificationResult;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What Mooring observed. Written only by the operator, and only when something in it changed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class McpServerStatus {

    @JsonPropertyDescription("The metadata.generation this status describes.")
    private Long observedGeneration;

    @JsonPropertyDescription("Ready, Progressing, Verified and Degraded, each with a reason, a message and the generation it describes.")
    private List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("Pods the Deployment wants.")
    private Integer replicas;

    @JsonPropertyDescription("Pods that pass their readiness probe.")
    private Integer readyReplicas;

    @JsonPropertyDescription("Pods of the current revision.")
    private Integer updatedReplicas;

    @JsonPropertyDescription("Pods available to serve.")
    private Integer availableReplicas;

    @JsonPropertyDescription("Revision of the pod template Mooring is rolling out or serving: a hash of the rendered template.")
    private String revision;

    @JsonPropertyDescription("In-cluster URL of the MCP endpoint behind the Service.")
    private String endpoint;

    @JsonPropertyDescription("The pods' terminationGracePeriodSeconds as derived: preStopDelay + drain.timeout + 5s.")
    private Long terminationGracePeriodSeconds;

    @JsonPropertyDescription("Whether the pods run the Mooring proxy: On, Off (spec.proxy.enabled is false) or Unsupported (the cluster is older than Kubernetes 1.29, which has no native sidecars; the pods run without it).")
    private String proxy;

    @JsonPropertyDescription("Whether sessions are handed over between replicas (spec.session.handoff): On, Off, or Unsupported (no proxy, or the legacy SSE transport).")
    private String sessionHandoff;

    @JsonPropertyDescription("The key in the Secret <name>-mcp-session that the proxies seal session tokens with, and its rotation; set once Mooring created it.")
    private SessionKeyStatus sessionKey;

    @JsonPropertyDescription("The last revision that passed verification.")
    private String lastVerifiedRevision;
    @JsonPropertyDescription("The verification settings (a hash, as in verification.check) lastVerifiedRevision passed with; after an edit of spec.verification the live revision is checked again.")
    private String lastVerifiedCheck;

    @JsonPropertyDescription("The latest verification: what the MCP client found for which revision.")
    private VerificationResult verification;

    @JsonPropertyDescription("The last automatic rollback, if any.")
    private RollbackRecord rollback;

    public Long getObservedGeneration() { return observedGeneration; }
    public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
    public List<Condition> getConditions() { return conditions; }
    public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
    public Integer getReplicas() { return replicas; }
    public void setReplicas(Integer replicas) { this.replicas = replicas; }
    public Integer getReadyReplicas() { return readyReplicas; }
    public void setReadyReplicas(Integer readyReplicas) { this.readyReplicas = readyReplicas; }
    public Integer getUpdatedReplicas() { return updatedReplicas; }
    public void setUpdatedReplicas(Integer updatedReplicas) { this.updatedReplicas = updatedReplicas; }
    public Integer getAvailableReplicas() { return availableReplicas; }
    public void setAvailableReplicas(Integer availableReplicas) { this.availableReplicas = availableReplicas; }
    public String getRevision() { return revision; }
    public void setRevision(String revision) { this.revision = revision; }
    public String getEndpoint() { return endpoint; }
    public void setEndpoint(String endpoint) { this.endpoint = endpoint; }
    public Long getTerminationGracePeriodSeconds() { return terminationGracePeriodSeconds; }
    public void setTerminationGracePeriodSeconds(Long seconds) { this.terminationGracePeriodSeconds = seconds; }
    public String getLastVerifiedCheck() { return lastVerifiedCheck; }
    public void setLastVerifiedCheck(String lastVerifiedCheck) { this.lastVerifiedCheck = lastVerifiedCheck; }
    public String getLastVerifiedRevision() { return lastVerifiedRevision; }
    public void setLastVerifiedRevision(String lastVerifiedRevision) { this.lastVerifiedRevision = lastVerifiedRevision; }
    public VerificationResult getVerification() { return verification; }
    public void setVerification(VerificationResult verification) { this.verification = verification; }
    public RollbackRecord getRollback() { return rollback; }
    public void setRollback(RollbackRecord rollback) { this.rollback = rollback; }
    public String getSessionHandoff() { return sessionHandoff; }
    public void setSessionHandoff(String sessionHandoff) { this.sessionHandoff = sessionHandoff; }
    public SessionKeyStatus getSessionKey() { return sessionKey; }
    public void setSessionKey(SessionKeyStatus sessionKey) { this.sessionKey = sessionKey; }
    public String getProxy() { return proxy; }
    public void setProxy(String proxy) { this.proxy = proxy; }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof McpServerStatus s)) return false;
        return Objects.equals(observedGeneration, s.observedGeneration) && Objects.equals(conditions, s.conditions)
                && Objects.equals(replicas, s.replicas) && Objects.equals(readyReplicas, s.readyReplicas)
                && Objects.equals(updatedReplicas, s.updatedReplicas) && Objects.equals(availableReplicas, s.availableReplicas)
                && Objects.equals(revision, s.revision) && Objects.equals(endpoint, s.endpoint)
                && Objects.equals(terminationGracePeriodSeconds, s.terminationGracePeriodSeconds)
                && Objects.equals(lastVerifiedRevision, s.lastVerifiedRevision) && Objects.equals(verification, s.verification)
                && Objects.equals(lastVerifiedCheck, s.lastVerifiedCheck)
                && Objects.equals(rollback, s.rollback) && Objects.equals(proxy, s.proxy)
                && Objects.equals(sessionHandoff, s.sessionHandoff) && Objects.equals(sessionKey, s.sessionKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(observedGeneration, conditions, revision, readyReplicas);
    }
}
