package dev.mooring.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

@JsonIgnoreProperties(ignoreUnknown = true)
public class SessionSpec {

    @Default("Auto")
    @JsonPropertyDescription("Auto (the default): the Service pins clients to a pod by client IP while more than one replica serves a server that issues Mcp-Session-Id, and does not when the server is known to be stateless. ClientIP or None force the choice.")
    @JsonFormat(with = JsonFormat.Feature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
    private SessionAffinity affinity = SessionAffinity.Auto;

    public SessionAffinity getAffinity() { return affinity; }
    public void setAffinity(SessionAffinity affinity) { this.affinity = affinity; }
}
