package dev.mooring.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonIgnoreProperties(ignoreUnknown = true)
public class DrainSpec {
    public static final String DEFAULT_TIMEOUT = "25s";
    public static final String DEFAULT_PRE_STOP_DELAY = "5s";

    @Default(DEFAULT_TIMEOUT)
    @Size(max = 32)
    @ValidationRule(value = Durations.RULE_PREFIX + "duration(self) >= duration('1s') && duration(self) <= duration('1h')",
            message = "drain.timeout must be a duration between 1s and 1h, such as 25s or 2m")
    @JsonPropertyDescription("How long the server may take, after SIGTERM, to finish in-flight calls and close its streams. Passed to the container as DRAIN_TIMEOUT_MS; the pod's terminationGracePeriodSeconds is preStopDelay + timeout + 5s.")
    private String timeout = DEFAULT_TIMEOUT;

    @Default(DEFAULT_PRE_STOP_DELAY)
    @Size(max = 32)
    @ValidationRule(value = Durations.RULE_PREFIX + "duration(self) <= duration('60s')",
            message = "drain.preStopDelay must be a duration between 0s and 60s, such as 5s")
    @JsonPropertyDescription("How long a terminating pod keeps serving before it gets SIGTERM, so that every proxy has stopped sending it new traffic. 0s turns the preStop hook off.")
    private String preStopDelay = DEFAULT_PRE_STOP_DELAY;

    public String getTimeout() { return timeout; }
    public void setTimeout(String timeout) { this.timeout = timeout; }
    public String getPreStopDelay() { return preStopDelay; }
    public void setPreStopDelay(String preStopDelay) { this.preStopDelay = preStopDelay; }
}
