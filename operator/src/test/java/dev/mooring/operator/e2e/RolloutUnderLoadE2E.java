package dev.mooring.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.cluster.TestNamespace;
import dev.mooring.operator.model.Annotations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The promise Mooring exists for, counted the way agents see it: official MCP SDK clients (one Client per worker, 20
 * workers, 500 ms calls, any error a failed call, no retries) call tools through a NodePort on 127.0.0.1 while the
 * spec changes three times. The server: a stateless 2026-07-28 server on the TypeScript SDK v2 whose SIGTERM handler
 * answers 503 (what most drain guides advise), side by side with and without the Mooring proxy. With the proxy no
 * call fails. Servers with 2025 sessions are rolled out under the same load in SessionHandoffE2E.
 */
@ExtendWith(InClusterOperator.class)
class RolloutUnderLoadE2E {
    private static final int WORKERS = 20;
    private static final int ROLLOUTS = 3;
    /**
     * 20 workers at a little under 2 calls a second each (500 ms calls): about 5,500 calls on an idle node, 4,500 on
     * a starved one.
     */
    private static final Duration MIN_LOAD = Duration.ofSeconds(165);
    /**
     * A load that kept running: one call per worker every two seconds at least. Not a speed target, a guard against
     * a run whose clients stalled and so could not have met the rollouts.
     */
    private static final int MIN_CALLS = WORKERS * (int) MIN_LOAD.toSeconds() / 2;
    private static final Duration ROLLOUT_TIMEOUT = Duration.ofMinutes(3);

    @RegisterExtension
    static final TestNamespace NAMESPACE = TestNamespace.restricted();

    private final ServersOnTheNode servers = new ServersOnTheNode(NAMESPACE);

    record Kind(String name, String image, String spec, String tool, String arguments, String sdk, boolean sessions) {
    }

    private static final List<Kind> KINDS = List.of(
            new Kind("stateless-503", ServersOnTheNode.PEERS_IMAGE, "args: [stateless-503-server.mjs]\n", "wait", "{\"ms\":500}", "v2", false));

    @Test
    void noCallFailsThroughTheProxyWhileTheSpecChangesThreeTimes() throws Exception {
        Map<String, JsonNode> figures = new LinkedHashMap<>();
        for (Kind kind : KINDS) {
            String proxied = kind.name() + "-proxy";
            String plain = kind.name() + "-plain";
            servers.apply(proxied, kind.image(), spec(kind, true, 0));
            servers.apply(plain, kind.image(), spec(kind, false, 0));
            List<String> revisions = new ArrayList<>(List.of(servers.awaitReady(proxied).getStatus().getRevision(),
                    servers.awaitReady(plain).getStatus().getRevision()));

            long started = System.nanoTime();
            try (SdkLoad withProxy = new SdkLoad(servers.endpointThroughNodePort(proxied), WORKERS, kind.tool(), kind.arguments(), kind.sdk());
                 SdkLoad withoutProxy = new SdkLoad(servers.endpointThroughNodePort(plain), WORKERS, kind.tool(), kind.arguments(), kind.sdk())) {
                Thread.sleep(5_000);
                for (int change = 1; change <= ROLLOUTS; change++) {
                    servers.apply(proxied, kind.image(), spec(kind, true, change));
                    servers.apply(plain, kind.image(), spec(kind, false, change));
                    revisions.set(0, awaitRolledOutFrom(proxied, revisions.get(0)));
                    revisions.set(1, awaitRolledOutFrom(plain, revisions.get(1)));
                }
                long remaining = MIN_LOAD.toMillis() - (System.nanoTime() - started) / 1_000_000;
                Thread.sleep(Math.max(5_000, remaining));
                figures.put(proxied, withProxy.stop());
                figures.put(plain, withoutProxy.stop());
            }
            servers.delete(proxied);
            servers.delete(plain);
        }

        System.out.println(table(figures));
        for (Kind kind : KINDS) {
            JsonNode proxied = figures.get(kind.name() + "-proxy");
            assertThat(proxied.path("calls").asInt()).as(kind.name() + " calls with the proxy").isGreaterThanOrEqualTo(MIN_CALLS);
            long notSessionLoss = proxied.path("failed").asLong() - (kind.sessions() ? proxied.path("sessionsEndedWith404").asLong() : 0);
            assertThat(notSessionLoss).as(kind.name() + " calls failed through the proxy, other than sessions ended with 404: " + proxied.path("errors") + " at " + proxied.path("firstFailures"))
                    .isZero();
        }
    }

    private static String spec(Kind kind, boolean proxy, int change) {
        return kind.spec() + """
                replicas: 2
                proxy:
                  enabled: %s
                env:
                - name: DEPLOYED_CHANGE
                  value: "%d"
                """.formatted(proxy, change);
    }

    private static String table(Map<String, JsonNode> figures) {
        StringBuilder out = new StringBuilder("rollout under load: official SDK clients, %d workers, 500 ms calls, %d rolling updates%n"
                .formatted(WORKERS, ROLLOUTS));
        out.append("%-14s | %-22s | %-22s%n".formatted("server", "with the Mooring proxy", "without it"));
        out.append("%-14s | %-22s | %-22s%n".formatted("", "failed / calls (404)", "failed / calls (404)"));
        for (Kind kind : KINDS) {
            out.append("%-14s | %-22s | %-22s%n".formatted(kind.name(), cell(figures.get(kind.name() + "-proxy")), cell(figures.get(kind.name() + "-plain"))));
        }
        figures.forEach((name, f) -> out.append("  ").append(name).append(" errors: ").append(f.path("errors")).append('\n'));
        return out.toString();
    }

    private static String cell(JsonNode f) {
        return "%d / %d (%d)".formatted(f.path("failed").asInt(), f.path("calls").asInt(), f.path("sessionsEndedWith404").asInt());
    }

    /** Waits until two ready pods of a new revision serve and none of the old one is left, even terminating. */
    private String awaitRolledOutFrom(String name, String oldRevision) {
        McpServer server = await(name + " new revision").atMost(ROLLOUT_TIMEOUT).pollInterval(Duration.ofMillis(250))
                .until(() -> servers.get(name), s -> ServersOnTheNode.ready(s) && !oldRevision.equals(s.getStatus().getRevision()));
        String revision = server.getStatus().getRevision();
        await(name + " old pods gone").atMost(ROLLOUT_TIMEOUT).pollInterval(Duration.ofMillis(250)).until(() -> servers.pods(name),
                pods -> pods.size() == 2 && pods.stream().allMatch(p -> p.getMetadata().getDeletionTimestamp() == null
                        && revision.equals(p.getMetadata().getAnnotations().get(Annotations.REVISION))));
        return revision;
    }
}
