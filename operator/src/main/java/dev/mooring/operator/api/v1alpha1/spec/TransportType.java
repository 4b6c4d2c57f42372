package dev.mooring.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The HTTP transport an MCP server speaks. */
public enum TransportType {
    /** MCP 2025-03-26 and later, including the stateless 2026-07-28 generation: POST to one endpoint. */
    @JsonProperty("streamable-http") STREAMABLE_HTTP("/mcp"),
    /** MCP 2024-11-05's HTTP+SSE transport: GET an event stream, POST messages. */
    @JsonProperty("sse") SSE("/sse");

    private final String defaultPath;

    TransportType(String defaultPath) {
        this.defaultPath = defaultPath;
    }

    public String defaultPath() {
        return defaultPath;
    }
}
