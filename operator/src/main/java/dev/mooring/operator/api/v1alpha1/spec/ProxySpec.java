package dev.mooring.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

@JsonIgnoreProperties(ignoreUnknown = true)
public class ProxySpec {
    @Default("true")
    @JsonPropertyDescription("Runs the Mooring proxy in every pod, in front of the server: it owns the drain (the server gets SIGTERM only when nothing is in flight), readiness (the health path if set, else a TCP connect) and per-tool metrics. false renders the pods without it, as Mooring did before the proxy.")
    private Boolean enabled = true;

    @JsonPropertyDescription("CPU and memory of the proxy container. Default: requests 50m CPU and 64Mi memory, limit 128Mi memory.")
    private ResourceRequirements resources;

    public boolean isEnabled() {
        return !Boolean.FALSE.equals(enabled);
    }

    public Boolean getEnabled() { return enabled; }
    public void setEnabled(Boolean enabled) { this.enabled = enabled; }
    public ResourceRequirements getResources() { return resources; }
    public void setResources(ResourceRequirements resources) { this.resources = resources; }
}
