package dev.mooring.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonIgnoreProperties(ignoreUnknown = true)
public class SessionSpec {

    @Default("Auto")
    @JsonPropertyDescription("Auto (the default): no affinity while sessions are handed over (handoff Reinitialize) or the server is known to be stateless; otherwise the Service pins clients to a pod by client IP while more than one replica serves a server that issues Mcp-Session-Id. ClientIP or None force the choice.")
    @JsonFormat(with = JsonFormat.Feature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
    private SessionAffinity affinity = SessionAffinity.Auto;

    @Default("Reinitialize")
    @JsonPropertyDescription("Reinitialize (the default): the Mooring proxy gives clients its own Mcp-Session-Id, a sealed token, and a replica that meets a session it does not know (another replica opened it, or the pod that held it is gone) opens it again on its own server by replaying the client's initialize; sessions survive rollouts and scale-in, and affinity Auto needs no ClientIP. Off (quoted in YAML, \"Off\", which YAML 1.1 reads as false otherwise): sessions stay on the pod whose server opened them; choose it for servers whose session holds state a new session cannot rebuild (resource subscriptions, an elicitation in flight). Needs the proxy and Streamable HTTP.")
    @JsonFormat(with = JsonFormat.Feature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
    private SessionHandoffMode handoff = SessionHandoffMode.Reinitialize;

    public static final String DEFAULT_MAX_AGE = "24h";

    @Default(DEFAULT_MAX_AGE)
    @Size(max = 32)
    @ValidationRule(value = Durations.RULE_PREFIX + "duration(self) >= duration('1m') && duration(self) <= duration('720h')",
            message = "session.maxAge must be a duration between 1m and 720h, such as 24h")
    @JsonPropertyDescription("With handoff Reinitialize: how long after it was issued a session token opens. An older one is answered 404 Session not found, as the MCP transport asks, and the client starts a new session; the session it named is closed on its server. Changing it rolls the pods.")
    private String maxAge = DEFAULT_MAX_AGE;

    public String getMaxAge() { return maxAge; }
    public void setMaxAge(String maxAge) { this.maxAge = maxAge; }
    public SessionHandoffMode getHandoff() { return handoff; }
    public void setHandoff(SessionHandoffMode handoff) { this.handoff = handoff; }
    public SessionAffinity getAffinity() { return affinity; }
    public void setAffinity(SessionAffinity affinity) { this.affinity = affinity; }
}
