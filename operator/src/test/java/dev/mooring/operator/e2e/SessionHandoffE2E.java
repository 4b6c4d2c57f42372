package dev.mooring.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.cluster.TestNamespace;
import dev.mooring.operator.model.ProxySidecar;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Session handoff on the node: a server of the 2025 protocol (a stateful server on the official TypeScript SDK v1;
 * `make bench-rollouts` adds the reference server) under 20 official-SDK workers (10 on the v1 client, 10 on v2) through a NodePort, while
 * the spec changes three times and the server is scaled in from 3 replicas to 2. With handoff (the default) no call
 * fails and, without any affinity, each replica takes within 25% of the average share of the calls; `make
 * bench-rollouts` runs the same scenario with {@code session.handoff: Off} beside it. Also: 10-second calls that stream progress finish through it all.
 */
@ExtendWith(InClusterOperator.class)
@Lasts(seconds = 300)
@ResourceLock(value = NodeShares.OPERATOR, mode = ResourceAccessMode.READ)
@ResourceLock(NodeShares.LOAD)
class SessionHandoffE2E {
    private static final int WORKERS_PER_SDK = 10;
    private static final Duration BALANCE_WINDOW = Duration.ofSeconds(60);
    private static final Pattern REQUESTS = Pattern.compile("(?m)^mooring_proxy_requests_total\\{[^}]*} (\\d+)$");

    @RegisterExtension
    static final TestNamespace NAMESPACE = TestNamespace.restricted();

    private final ServersOnTheNode servers = new ServersOnTheNode(NAMESPACE);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    record Kind(String name, ServerSpec spec, String tool, String arguments) {
    }

    /** What one server went through: the load of each client SDK and the calls each replica took while three served. */
    record Figures(JsonNode v1, JsonNode v2, List<Long> perReplica) {
    }

    private static final Kind SDK_V1 = new Kind("ts-sdk-v1", ServerSpec.sdkV1(), "wait", "{\"ms\":500}");
    /**
     * The official SDK's server in `make test`; `make bench-rollouts` runs the reference server too, whose three JVM
     * replicas and three rollouts took five of the suite's minutes on the 2-core node for the same assertions.
     */
    private static final List<Kind> KINDS = Comparisons.ENABLED
            ? List.of(new Kind("reference", ServerSpec.reference().set("health.path", "/health"), "sleep", "{\"ms\":500}"), SDK_V1)
            : List.of(SDK_V1);

    @Test
    void sessionsSurviveRolloutsAndScaleInWithoutAffinity() throws Exception {
        Map<String, Figures[]> figures = new LinkedHashMap<>();
        JsonNode streams = null;
        for (Kind kind : KINDS) {
            String handoff = kind.name() + "-handoff";
            String pinned = kind.name() + "-pinned";
            // Handoff Off (ClientIP affinity) is a comparison for `make bench-rollouts`, which asserts its losses are 404s only.
            Map<String, String> modes = new LinkedHashMap<>(Map.of(handoff, "Reinitialize"));
            if (Comparisons.ENABLED) {
                modes.put(pinned, "Off");
            }
            modes.forEach((name, mode) -> servers.apply(name, spec(kind, mode, 3, 0)));
            Map<String, String> revisions = new LinkedHashMap<>();
            modes.keySet().forEach(name -> revisions.put(name, servers.awaitReady(name).getStatus().getRevision()));
            McpServer ready = servers.get(handoff);
            assertThat(ready.getStatus().getSessionHandoff()).isEqualTo("On");
            assertThat(ready.getStatus().getVerification().getSessionIssuing()).as("sessions, as seen through the proxy").isTrue();
            assertThat(NAMESPACE.client().services().inNamespace(NAMESPACE.name()).withName(handoff).get().getSpec().getSessionAffinity())
                    .as("no affinity needed").isEqualTo("None");
            if (Comparisons.ENABLED) {
                assertThat(NAMESPACE.client().services().inNamespace(NAMESPACE.name()).withName(pinned).get().getSpec().getSessionAffinity())
                        .isEqualTo("ClientIP");
            }

            Map<String, SdkLoad[]> loads = new LinkedHashMap<>();
            SdkLoad progress = null;
            try {
                for (String name : modes.keySet()) {
                    URI endpoint = servers.endpointThroughNodePort(name);
                    loads.put(name, new SdkLoad[] {new SdkLoad(endpoint, WORKERS_PER_SDK, kind.tool(), kind.arguments(), "v1"),
                            new SdkLoad(endpoint, WORKERS_PER_SDK, kind.tool(), kind.arguments(), "v2")});
                }
                if (kind.name().equals("ts-sdk-v1")) {
                    progress = new SdkLoad(servers.endpointThroughNodePort(handoff), 4, "progress", "{\"seconds\":10}", "v2");
                }
                loads.values().forEach(pair -> List.of(pair).forEach(SdkLoad::awaitEveryWorkerServed));
                Map<String, Map<String, Long>> before = new LinkedHashMap<>();
                for (String name : modes.keySet()) {
                    before.put(name, callsPerPod(name));
                }
                Thread.sleep(BALANCE_WINDOW.toMillis());
                Map<String, List<Long>> shares = new LinkedHashMap<>();
                for (String name : modes.keySet()) {
                    shares.put(name, delta(before.get(name), callsPerPod(name)));
                }

                for (int change = 1; change <= 3; change++) {
                    int generation = change;
                    modes.forEach((name, mode) -> servers.apply(name, spec(kind, mode, 3, generation)));
                    modes.keySet().forEach(name -> revisions.put(name, servers.awaitRolledOutFrom(name, revisions.get(name), 3)));
                }
                modes.forEach((name, mode) -> servers.apply(name, spec(kind, mode, 2, 3)));
                modes.keySet().forEach(name -> servers.awaitOnly(name, revisions.get(name), 2));
                Thread.sleep(5_000);
                Figures[] pair = new Figures[2];
                pair[0] = new Figures(loads.get(handoff)[0].stop(), loads.get(handoff)[1].stop(), shares.get(handoff));
                if (Comparisons.ENABLED) {
                    pair[1] = new Figures(loads.get(pinned)[0].stop(), loads.get(pinned)[1].stop(), shares.get(pinned));
                }
                figures.put(kind.name(), pair);
                if (progress != null) {
                    streams = progress.stop();
                }
            } finally {
                loads.values().forEach(pair -> List.of(pair).forEach(SdkLoad::close));
                if (progress != null) {
                    progress.close();
                }
            }
            modes.keySet().forEach(servers::delete);
        }

        System.out.println(table(figures));
        System.out.println("session handoff: 10 s progress streams through ts-sdk-v1-handoff: " + streams);
        for (Kind kind : KINDS) {
            Figures withHandoff = figures.get(kind.name())[0];
            for (JsonNode load : List.of(withHandoff.v1(), withHandoff.v2())) {
                assertThat(load.path("failed").asInt()).as(kind.name() + ": calls failed with handoff: " + load.path("errors") + " at " + load.path("firstFailures")).isZero();
                assertThat(load.path("succeeded").asInt()).isPositive();
            }
            List<Long> shares = withHandoff.perReplica();
            assertThat(shares).as(kind.name() + ": three replicas took calls").hasSize(3);
            double mean = shares.stream().mapToLong(Long::longValue).average().orElseThrow();
            assertThat(shares).as(kind.name() + ": calls per replica while three serve, each within 25% of their mean " + Math.round(mean))
                    .allSatisfy(calls -> assertThat((double) calls).isBetween(mean * 0.75, mean * 1.25));
        }
        for (Kind kind : Comparisons.ENABLED ? KINDS : List.<Kind>of()) {
            Figures withoutHandoff = figures.get(kind.name())[1];
            for (JsonNode load : List.of(withoutHandoff.v1(), withoutHandoff.v2())) {
                assertThat(load.path("failed").asInt() - load.path("sessionsEndedWith404").asInt())
                        .as(kind.name() + ": without handoff, calls that failed other than on sessions whose replica went away: " + load.path("errors"))
                        .isZero();
            }
        }
        assertThat(streams.path("failed").asInt()).as("progress streams that failed: " + streams.path("errors")).isZero();
        assertThat(streams.path("succeeded").asInt()).isPositive();
        assertThat(streams.path("progressNotifications").asInt()).as("progress reached the clients while the calls ran")
                .isGreaterThan(streams.path("succeeded").asInt());
    }

    /** Requests each pod's proxy has counted, from its /metrics on the pod's IP. */
    private Map<String, Long> callsPerPod(String name) throws IOException, InterruptedException {
        Map<String, Long> calls = new LinkedHashMap<>();
        for (Pod pod : servers.pods(name)) {
            if (pod.getMetadata().getDeletionTimestamp() != null || pod.getStatus().getPodIP() == null) {
                continue;
            }
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://" + pod.getStatus().getPodIP() + ":" + ProxySidecar.ADMIN_PORT + "/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
            long total = 0;
            Matcher matcher = REQUESTS.matcher(metrics);
            while (matcher.find()) {
                total += Long.parseLong(matcher.group(1));
            }
            calls.put(pod.getMetadata().getName(), total);
        }
        return calls;
    }

    private static List<Long> delta(Map<String, Long> before, Map<String, Long> after) {
        List<Long> shares = new ArrayList<>();
        after.forEach((pod, calls) -> shares.add(calls - before.getOrDefault(pod, 0L)));
        return shares;
    }

    private static ServerSpec spec(Kind kind, String handoff, int replicas, int change) {
        return kind.spec().copy().replicas(replicas).set("session.handoff", handoff).env("DEPLOYED_CHANGE", change);
    }

    private static String table(Map<String, Figures[]> figures) {
        StringBuilder out = new StringBuilder(("session handoff: official SDK clients, %d workers on v1 and %d on v2 per server, 500 ms calls,"
                + " 3 rolling updates and a scale-in from 3 to 2, NodePort on 127.0.0.1%n").formatted(WORKERS_PER_SDK, WORKERS_PER_SDK));
        out.append("%-10s | %-44s | %-44s%n".formatted("server", "handoff (no affinity)", "handoff Off (ClientIP affinity)"));
        out.append("%-10s | %-44s | %-44s%n".formatted("", "failed/calls v1, v2 (404); calls per replica", "failed/calls v1, v2 (404); calls per replica"));
        figures.forEach((kind, pair) -> out.append("%-10s | %-44s | %-44s%n".formatted(kind, cell(pair[0]), cell(pair[1]))));
        figures.forEach((kind, pair) -> {
            if (pair[1] != null) {
                out.append("  ").append(kind).append(" handoff Off errors: ")
                        .append(pair[1].v1().path("errors")).append(' ').append(pair[1].v2().path("errors")).append('\n');
            }
        });
        return out.toString();
    }

    private static String cell(Figures f) {
        return f == null ? "(bench-rollouts)" : "%d/%d, %d/%d (%d); %s".formatted(f.v1().path("failed").asInt(), f.v1().path("calls").asInt(), f.v2().path("failed").asInt(),
                f.v2().path("calls").asInt(), f.v1().path("sessionsEndedWith404").asInt() + f.v2().path("sessionsEndedWith404").asInt(), f.perReplica());
    }
}
