package dev.mooring.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

@JsonIgnoreProperties(ignoreUnknown = true)
public class RolloutSpec {

    @Default("1")
    @ValidationRule(value = "self >= 1", message = "rollout.maxSurge must be at least 1: a new pod has to start before an old one stops")
    @Max(100)
    @JsonDeserialize(using = SaturatingInteger.class)
    @JsonPropertyDescription("How many pods above the desired count a rollout may start at once.")
    private Integer maxSurge = 1;

    @ValidationRule(value = "self == 0", message = "rollout.maxUnavailable is always 0: Mooring never stops a serving pod before its replacement is ready")
    @JsonPropertyDescription("Always 0 and may be left out. It exists so that asking for anything else is refused with an explanation instead of being ignored.")
    private Integer maxUnavailable;

    @Default("600")
    @Min(30)
    @Max(86400)
    @JsonPropertyDescription("Seconds a rollout may go without progress before Mooring reports it as Degraded.")
    private Integer progressDeadlineSeconds = 600;

    public Integer getMaxSurge() { return maxSurge; }
    public void setMaxSurge(Integer maxSurge) { this.maxSurge = maxSurge; }
    public Integer getMaxUnavailable() { return maxUnavailable; }
    public void setMaxUnavailable(Integer maxUnavailable) { this.maxUnavailable = maxUnavailable; }
    public Integer getProgressDeadlineSeconds() { return progressDeadlineSeconds; }
    public void setProgressDeadlineSeconds(Integer progressDeadlineSeconds) { this.progressDeadlineSeconds = progressDeadlineSeconds; }
}
