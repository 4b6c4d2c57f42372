package dev.mooring.operator;

import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.api.v1alpha1.McpServerSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/** McpServers as the API server hands them to the operator: defaults filled in, uid and generation set. */
public final class TestServers {
    /**
     * A node label no node carries: servers that select it keep their pods Pending, so the tests against the API
     * server see what the Deployment controller does without pulling the made-up images from anywhere.
     */
    public static final String NO_NODE_LABEL = "mooring.dev/test-no-such-node";

    private TestServers() {
    }

    public static McpServer server(String name) {
        McpServer server = new McpServer();
        server.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("team-a")
                .withUid("0f6c1b4e-1111-2222-3333-444455556666").withGeneration(1L).build());
        McpServerSpec spec = new McpServerSpec();
        spec.setImage("registry.example.com/weather-mcp:1.0");
        server.setSpec(spec);
        return server;
    }
}
