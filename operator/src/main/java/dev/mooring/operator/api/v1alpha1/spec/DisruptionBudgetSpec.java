package dev.mooring.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

@JsonIgnoreProperties(ignoreUnknown = true)
public class DisruptionBudgetSpec {

    @Default("true")
    @JsonPropertyDescription("Whether Mooring keeps a PodDisruptionBudget (maxUnavailable 1) while the Deployment runs 2 or more replicas (as set in spec.replicas, or by an autoscaler when it is unset).")
    private Boolean enabled = true;

    public Boolean getEnabled() { return enabled; }
    public void setEnabled(Boolean enabled) { this.enabled = enabled; }
}
