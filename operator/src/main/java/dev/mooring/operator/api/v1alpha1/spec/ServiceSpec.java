package dev.mooring.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

@JsonIgnoreProperties(ignoreUnknown = true)
public class ServiceSpec {

    @Default("80")
    @Min(1)
    @Max(65535)
    @JsonPropertyDescription("Port of the Service (named mcp); it forwards to transport.port.")
    private Integer port = 80;

    public Integer getPort() { return port; }
    public void setPort(Integer port) { this.port = port; }
}
