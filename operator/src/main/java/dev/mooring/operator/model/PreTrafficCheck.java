package dev.mooring.operator.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.api.v1alpha1.spec.HealthSpec;
import dev.mooring.operator.api.v1alpha1.spec.VerificationSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.List;
import java.util.Map;

/**
 * The first gate: the MCP check each new pod's proxy runs against its own server before the pod turns ready. Its
 * settings live in a ConfigMap the proxy reads (not in the pod template), so that editing spec.verification changes
 * what new pods are checked for without rolling the pods that serve.
 */
public final class PreTrafficCheck {
    public static final String COMPONENT = "mcp-check";
    static final String KEY = "check.json";
    static final String MOUNT = "/etc/mooring/check";
    static final String SETTINGS = MOUNT + "/" + KEY;
    static final String VOLUME = "mooring-mcp-check";
    private static final ObjectMapper JSON = new ObjectMapper();

    private PreTrafficCheck() {
    }

    public static String configMapName(McpServer server) {
        return server.getMetadata().getName() + "-" + COMPONENT;
    }

    /** Whether new pods are checked before traffic: verification on, beforeTraffic on, and a proxy to do it. */
    public static boolean active(McpServer server, ClusterCapabilities capabilities) {
        VerificationSpec verification = server.getSpec().getVerification();
        return ProxySidecar.runsFor(server.getSpec(), capabilities) && Boolean.TRUE.equals(verification.getEnabled())
                && !Boolean.FALSE.equals(verification.getBeforeTraffic());
    }

    public static ConfigMap configMap(McpServer server, ClusterCapabilities capabilities) {
        ObjectNode settings = JSON.createObjectNode();
        boolean active = active(server, capabilities);
        settings.put("check", active ? VerificationJob.check(server) : "");
        var args = settings.putArray("args");
        if (active) {
            args(server).forEach(args::add);
        }
        return new ConfigMapBuilder()
                .withMetadata(ChildMetadata.of(server).withName(configMapName(server))
                        .withLabels(Labels.standard(server, COMPONENT)).build())
                .withData(Map.of(KEY, settings.toString()))
                .build();
    }

    /** mcp-smoke's command line of the verification Job, aimed at the pod's own server instead of the Service. */
    static List<String> args(McpServer server) {
        List<String> command = VerificationJob.command(server, server.getSpec().getVerification());
        List<String> args = new java.util.ArrayList<>(command.subList(1, command.size()));
        args.set(args.indexOf("--url") + 1, "http://127.0.0.1:" + server.getSpec().getTransport().getPort()
                + server.getSpec().getTransport().effectivePath());
        return args;
    }

    /** What the proxy needs besides the ConfigMap: a server still starting is given health.startupTimeout. */
    static long startupTimeoutMillis(HealthSpec health) {
        return dev.mooring.operator.api.v1alpha1.spec.Durations.parse(health.getStartupTimeout()).toMillis();
    }
}
