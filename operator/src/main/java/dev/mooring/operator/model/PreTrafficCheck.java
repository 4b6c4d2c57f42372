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
 * settings live in a ConfigMap the proxy reads (not in the pod template), one entry per revision
 * ({@code <revision>.json}, the file its pods' proxies are pointed at), so that editing spec.verification rolls no
 * pod: the entry of a revision on its way follows the edit, while the entry of the revision that serves verified is
 * kept as it was, so that a pod replacing one of its pods is never judged by a check its revision did not pass.
 */
public final class PreTrafficCheck {
    public static final String COMPONENT = "mcp-check";
    /** The single entry before entries were kept per revision: pods of templates kept from then still read it. */
    static final String KEY = "check.json";
    static final String SETTINGS_VARIABLE = "MOORING_PROXY_CHECK_SETTINGS";
    /** Entries kept: a revision's entry goes once this many newer ones were written (its template is long gone by then). */
    static final int ENTRIES = ServerDeployment.REVISION_HISTORY + 2;
    private static final java.util.regex.Pattern ENTRY = java.util.regex.Pattern.compile("^[a-z0-9]{1,32}\\.json$");
    static final String MOUNT = "/etc/mooring/check";
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

    /**
     * The ConfigMap with the entries it holds now, the entries of {@code revisions} written for the current settings
     * unless one is {@code kept} (the revision that serves verified) and written already, and the oldest entries
     * dropped beyond {@link #ENTRIES}.
     *
     * @param revisions the revisions whose pods may start now: the one rendered, and the one applied instead (a rollback's)
     * @param kept      the revision whose entry never changes once written, or null
     */
    public static ConfigMap configMap(McpServer server, ClusterCapabilities capabilities, java.util.Collection<String> revisions,
                                      java.util.Optional<ConfigMap> actual, String kept) {
        Map<String, String> entries = new java.util.TreeMap<>();
        actual.map(ConfigMap::getData).ifPresent(data -> data.forEach((key, value) -> {
            if (ENTRY.matcher(key).matches()) {
                entries.put(key, value);
            }
        }));
        long next = entries.values().stream().mapToLong(PreTrafficCheck::order).max().orElse(0) + 1;
        for (String revision : new java.util.LinkedHashSet<>(revisions)) {
            String key = revision + ".json";
            String written = entries.get(key);
            if (written == null || !revision.equals(kept)) {
                long order = order(written);
                entries.put(key, settings(server, capabilities, order > 0 ? order : next++));
            }
        }
        List<String> oldestFirst = entries.entrySet().stream().filter(e -> revisions.stream().noneMatch(r -> e.getKey().equals(r + ".json")))
                .sorted(java.util.Comparator.comparingLong(e -> order(e.getValue()))).map(Map.Entry::getKey).toList();
        for (int i = 0; entries.size() > ENTRIES && i < oldestFirst.size(); i++) {
            entries.remove(oldestFirst.get(i));
        }
        return new ConfigMapBuilder()
                .withMetadata(ChildMetadata.of(server).withName(configMapName(server))
                        .withLabels(Labels.standard(server, COMPONENT)).build())
                .withData(entries)
                .build();
    }

    /**
     * Points the proxy of a rendered template at its revision's entry; after the revision is named, of which the
     * pointer is no part.
     */
    static void pointAt(io.fabric8.kubernetes.api.model.PodTemplateSpec template, String revision) {
        ProxySidecar.addToEnvironment(template, SETTINGS_VARIABLE, MOUNT + "/" + revision + ".json");
    }

    private static String settings(McpServer server, ClusterCapabilities capabilities, long order) {
        ObjectNode settings = JSON.createObjectNode();
        boolean active = active(server, capabilities);
        settings.put("check", active ? VerificationJob.check(server) : "");
        var args = settings.putArray("args");
        if (active) {
            args(server).forEach(args::add);
        }
        settings.put("order", order);
        return settings.toString();
    }

    /** When an entry was first written, relative to the others; 0 for none (or the legacy check.json). */
    private static long order(String entry) {
        if (entry == null) {
            return 0;
        }
        try {
            return JSON.readTree(entry).path("order").asLong(0);
        } catch (java.io.IOException e) {
            return 0;
        }
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
