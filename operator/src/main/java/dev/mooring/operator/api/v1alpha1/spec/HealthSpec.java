package dev.mooring.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonIgnoreProperties(ignoreUnknown = true)
public class HealthSpec {
    public static final String DEFAULT_STARTUP_TIMEOUT = "60s";

    @Size(max = 1024)
    @ValidationRule(value = "self.matches('^/[!-~]*$')", message = "health.path must start with '/' and contain no spaces or control characters")
    @JsonPropertyDescription("HTTP path of the server's readiness check, for example /health; it must answer 2xx while the server takes calls. When unset, a pod is ready once the server accepts TCP connections on its port. With the proxy, the proxy asks this path and owns the drain; without it, the path must also answer 503 once the server drains.")
    private String path;

    @Min(1)
    @Max(65535)
    @JsonPropertyDescription("Port of the health endpoints. Defaults to transport.port.")
    private Integer port;

    @Size(max = 1024)
    @ValidationRule(value = "self.matches('^/[!-~]*$')", message = "health.livenessPath must start with '/' and contain no spaces or control characters")
    @JsonPropertyDescription("HTTP path of a liveness check that stays 200 while the server drains (for example /livez). When unset, liveness is a TCP connect to the port, which a draining server passes.")
    private String livenessPath;

    @Default(DEFAULT_STARTUP_TIMEOUT)
    @Size(max = 32)
    @ValidationRule(value = Durations.RULE_PREFIX + "duration(self) >= duration('1s') && duration(self) <= duration('1h')",
            message = "health.startupTimeout must be a duration between 1s and 1h, such as 60s or 5m")
    @JsonPropertyDescription("How long a new pod may take to start listening before the kubelet restarts it.")
    private String startupTimeout = DEFAULT_STARTUP_TIMEOUT;

    @Default("5")
    @Min(1)
    @Max(300)
    @JsonPropertyDescription("Seconds between two probes.")
    private Integer periodSeconds = 5;

    @Default("2")
    @Min(1)
    @Max(60)
    @JsonPropertyDescription("Seconds a probe may take.")
    private Integer timeoutSeconds = 2;

    @Default("3")
    @Min(1)
    @Max(30)
    @JsonPropertyDescription("Consecutive failures after which a pod counts as not ready (readiness) or is restarted (liveness).")
    private Integer failureThreshold = 3;

    public String getPath() { return path; }
    public void setPath(String path) { this.path = path; }
    public Integer getPort() { return port; }
    public void setPort(Integer port) { this.port = port; }
    public String getLivenessPath() { return livenessPath; }
    public void setLivenessPath(String livenessPath) { this.livenessPath = livenessPath; }
    public String getStartupTimeout() { return startupTimeout; }
    public void setStartupTimeout(String startupTimeout) { this.startupTimeout = startupTimeout; }
    public Integer getPeriodSeconds() { return periodSeconds; }
    public void setPeriodSeconds(Integer periodSeconds) { this.periodSeconds = periodSeconds; }
    public Integer getTimeoutSeconds() { return timeoutSeconds; }
    public void setTimeoutSeconds(Integer timeoutSeconds) { this.timeoutSeconds = timeoutSeconds; }
    public Integer getFailureThreshold() { return failureThreshold; }
    public void setFailureThreshold(Integer failureThreshold) { this.failureThreshold = failureThreshold; }
}
