package dev.mooring.operator.model;

import dev.mooring.operator.api.v1alpha1.McpServer;
import java.util.LinkedHashMap;
import java.util.Map;

/** The app.kubernetes.io labels Mooring puts on what it creates, and the selector of the server's pods. */
public final class Labels {
    public static final String NAME = "app.kubernetes.io/name";
    public static final String INSTANCE = "app.kubernetes.io/instance";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String PART_OF = "app.kubernetes.io/part-of";

    public static final String MANAGER = "mooring";
    public static final String SERVER_COMPONENT = "mcp-server";

    private Labels() {
    }

    /** Selects the server's pods and nothing else (verification Job pods carry another component). */
    public static Map<String, String> selector(McpServer server) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(INSTANCE, server.getMetadata().getName());
        labels.put(COMPONENT, SERVER_COMPONENT);
        return labels;
    }

    public static Map<String, String> standard(McpServer server, String component) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(NAME, server.getMetadata().getName());
        labels.put(INSTANCE, server.getMetadata().getName());
        labels.put(COMPONENT, component);
        labels.put(PART_OF, "mooring");
        labels.put(MANAGED_BY, MANAGER);
        return labels;
    }

    public static Map<String, String> server(McpServer server) {
        return standard(server, SERVER_COMPONENT);
    }
}
