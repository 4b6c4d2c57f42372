package dev.mooring.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonIgnoreProperties(ignoreUnknown = true)
public class TransportSpec {
    public static final int DEFAULT_PORT = 3000;

    @Default("streamable-http")
    @JsonPropertyDescription("streamable-http (MCP 2025-03-26 and later, including the stateless 2026-07-28 generation) or sse (the 2024-11-05 HTTP+SSE transport).")
    @JsonFormat(with = JsonFormat.Feature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
    private TransportType type = TransportType.STREAMABLE_HTTP;

    @Default("3000")
    @Min(1)
    @Max(65535)
    @JsonPropertyDescription("Container port the server listens on.")
    private Integer port = DEFAULT_PORT;

    @Size(max = 1024)
    @ValidationRule(value = "self.matches('^/[!-~]*$')", message = "transport.path must start with '/' and contain no spaces or control characters")
    @JsonPropertyDescription("HTTP path of the MCP endpoint. Defaults to /mcp for streamable-http and /sse for sse.")
    private String path;

    /** The path clients use: the one set, or the transport's conventional one. */
    public String effectivePath() {
        return path != null ? path : type.defaultPath();
    }

    public TransportType getType() { return type; }
    public void setType(TransportType type) { this.type = type; }
    public Integer getPort() { return port; }
    public void setPort(Integer port) { this.port = port; }
    public String getPath() { return path; }
    public void setPath(String path) { this.path = path; }
}
