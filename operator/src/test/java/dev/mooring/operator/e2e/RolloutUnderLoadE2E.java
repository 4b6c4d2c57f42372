package dev.mooring.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.cluster.TestNamespace;
import dev.mooring.operator.model.Annotations;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The promise Mooring exists for, counted the way agents see it: official MCP SDK clients (one Client per worker, 20
 * workers, 500 ms calls, any error a failed call, no retries) call tools through a NodePort on 127.0.0.1 while the
 * spec changes three times. The server: a stateless 2026-07-28 server on the TypeScript SDK v2 whose SIGTERM handler
 * answers 503 (what most drain guides advise). The second change is a rotation of a Secret the server's env names,
 * which the operator rolls out and verifies by itself. With the proxy no call fails; `make bench-rollouts` runs the
 * same server without the proxy beside it and prints both. Servers with 2025 sessions are rolled out under the same
 * load in SessionHandoffE2E; a reference to a Secret that does not exist is in ReferencedObjectsE2E.
 */
@ExtendWith(InClusterOperator.class)
@Lasts(seconds = 150)
@ResourceLock(value = NodeShares.OPERATOR, mode = ResourceAccessMode.READ)
@ResourceLock(NodeShares.LOAD)
class RolloutUnderLoadE2E {
    private static final int WORKERS = 20;
    private static final int ROLLOUTS = 3;
    /** Which of the changes rotates the Secret instead of editing the spec. */
    private static final int ROTATION = 2;
    /**
     * How long the comparison's load lasts: 20 workers at a little under 2 calls a second each (500 ms calls), about
     * 5,500 calls on an idle node, 4,500 on a starved one.
     */
    private static final Duration MIN_LOAD = Duration.ofSeconds(165);

    @RegisterExtension
    static final TestNamespace NAMESPACE = TestNamespace.restricted();

    private final ServersOnTheNode servers = new ServersOnTheNode(NAMESPACE);

    record Kind(String name, ServerSpec spec, String tool, String arguments, String sdk, boolean sessions) {
    }

    private static final List<Kind> KINDS = List.of(
            new Kind("stateless-503", ServerSpec.peers("stateless-503-server.mjs"), "wait", "{\"ms\":500}", "v2", false));

    @Test
    void noCallFailsThroughTheProxyWhileTheSpecChangesThreeTimes() throws Exception {
        Map<String, JsonNode> figures = new LinkedHashMap<>();
        Map<String, Long> loadSeconds = new LinkedHashMap<>();
        double rotated = -1;
        for (Kind kind : KINDS) {
            List<String> names = new ArrayList<>(List.of(kind.name() + "-proxy"));
            if (Comparisons.ENABLED) {
                names.add(kind.name() + "-plain");
            }
            Map<String, String> revisions = new LinkedHashMap<>();
            servers.putSecret(SECRET, "first");
            NAMESPACE.client().configMaps().inNamespace(NAMESPACE.name()).resource(new ConfigMapBuilder().withNewMetadata().withName(SETTINGS)
                    .endMetadata().withData(Map.of("LOG_LEVEL", "info")).build()).serverSideApply();
            names.forEach(name -> servers.apply(name, spec(kind, name.endsWith("-proxy"), 0)));
            names.forEach(name -> revisions.put(name, servers.awaitReady(name).getStatus().getRevision()));

            Map<String, SdkLoad> loads = new LinkedHashMap<>();
            try {
                names.forEach(name -> loads.put(name, new SdkLoad(servers.endpointThroughNodePort(name), WORKERS, kind.tool(), kind.arguments(), kind.sdk())));
                loads.values().forEach(SdkLoad::awaitEveryWorkerServed);
                long started = System.nanoTime();
                for (int change = 1; change <= ROLLOUTS; change++) {
                    int generation = change;
                    if (change == ROTATION) {
                        rotated = rotate(names, revisions);
                        continue;
                    }
                    names.forEach(name -> servers.apply(name, spec(kind, name.endsWith("-proxy"), generation)));
                    names.forEach(name -> revisions.put(name, servers.awaitRolledOutFrom(name, revisions.get(name), 2)));
                }
                // A comparison wants as many calls on both sides as earlier runs had; the test needs only the rollouts.
                long remaining = Comparisons.ENABLED ? MIN_LOAD.toMillis() - (System.nanoTime() - started) / 1_000_000 : 0;
                Thread.sleep(Math.max(5_000, remaining));
                loadSeconds.put(kind.name(), (System.nanoTime() - started) / 1_000_000_000);
                loads.forEach((name, load) -> figures.put(name, load.stop()));
            } finally {
                loads.values().forEach(SdkLoad::close);
            }
            names.forEach(servers::delete);
        }

        System.out.println(table(figures));
        System.out.printf("rollout under load: the Secret rotation rolled out and verified %.1f s after the change%n", rotated);
        assertThat(servers.events("RolloutStarted")).isNotEmpty();
        for (Kind kind : KINDS) {
            JsonNode proxied = figures.get(kind.name() + "-proxy");
            assertThat(proxied.path("calls").asLong()).as(kind.name() + " calls with the proxy over " + loadSeconds.get(kind.name()) + " s")
                    .isGreaterThanOrEqualTo(minCalls(loadSeconds.get(kind.name())));
            long notSessionLoss = proxied.path("failed").asLong() - (kind.sessions() ? proxied.path("sessionsEndedWith404").asLong() : 0);
            assertThat(notSessionLoss).as(kind.name() + " calls failed through the proxy, other than sessions ended with 404: " + proxied.path("errors") + " at " + proxied.path("firstFailures"))
                    .isZero();
        }
    }

    /**
     * A load that kept running: one call per worker every two seconds at least. Not a speed target, a guard against
     * a run whose clients stalled and so could not have met the rollouts.
     */
    private static long minCalls(long seconds) {
        return WORKERS * seconds / 2;
    }

    /**
     * Rotates the Secret every server reads, without touching a spec: each rolls out a new revision whose pod template
     * carries a new hash of what it reads, and is verified. Returns the seconds from the rotation to the last rollout.
     */
    private double rotate(List<String> names, Map<String, String> revisions) {
        Map<String, String> hashes = new LinkedHashMap<>();
        names.forEach(name -> hashes.put(name, templateHash(name)));
        assertThat(hashes.values()).as("pod templates carry the hash of what they read").allSatisfy(h -> assertThat(h).isNotBlank());
        servers.putSecret(SECRET, "second");
        long started = System.nanoTime();
        for (String name : names) {
            revisions.put(name, servers.awaitRolledOutFrom(name, revisions.get(name), 2));
            McpServer after = servers.get(name);
            assertThat(after.getStatus().getLastVerifiedRevision()).as(name + " verified after the rotation").isEqualTo(after.getStatus().getRevision());
            assertThat(templateHash(name)).as(name + ": the hash of what it reads").isNotEqualTo(hashes.get(name));
        }
        return (System.nanoTime() - started) / 1e9;
    }

    private String templateHash(String name) {
        return NAMESPACE.client().apps().deployments().inNamespace(NAMESPACE.name()).withName(name).get()
                .getSpec().getTemplate().getMetadata().getAnnotations().get(Annotations.REFERENCED_DATA);
    }

    private static final String SECRET = "weather-api";
    private static final String SETTINGS = "weather-settings";

    private static ServerSpec spec(Kind kind, boolean proxy, int change) {
        return kind.spec().copy().replicas(2).set("proxy.enabled", proxy).env("DEPLOYED_CHANGE", change)
                .envFromSecret("API_TOKEN", SECRET, "token").envFromConfigMap(SETTINGS);
    }

    private static String table(Map<String, JsonNode> figures) {
        StringBuilder out = new StringBuilder("rollout under load: official SDK clients, %d workers, 500 ms calls, %d rolling updates%n"
                .formatted(WORKERS, ROLLOUTS));
        out.append("%-14s | %-22s | %-22s%n".formatted("server", "with the Mooring proxy", "without it"));
        out.append("%-14s | %-22s | %-22s%n".formatted("", "failed / calls (404)", "failed / calls (404)"));
        for (Kind kind : KINDS) {
            JsonNode plain = figures.get(kind.name() + "-plain");
            out.append("%-14s | %-22s | %-22s%n".formatted(kind.name(), cell(figures.get(kind.name() + "-proxy")), plain == null ? "(bench-rollouts)" : cell(plain)));
        }
        figures.forEach((name, f) -> out.append("  ").append(name).append(" errors: ").append(f.path("errors")).append('\n'));
        return out.toString();
    }

    private static String cell(JsonNode f) {
        return "%d / %d (%d)".formatted(f.path("failed").asInt(), f.path("calls").asInt(), f.path("sessionsEndedWith404").asInt());
    }
}
