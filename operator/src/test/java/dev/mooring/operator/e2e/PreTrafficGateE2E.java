package dev.mooring.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.cluster.TestNamespace;
import dev.mooring.operator.model.Annotations;
import dev.mooring.operator.model.ProxySidecar;
import dev.mooring.operator.model.ServerDeployment;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The first gate on the node, under load from the official SDK clients: a revision with each of the reference
 * server's fault switches, and a third-party server (TypeScript SDK v1) whose tool list changed, rolled out to a
 * server with the check before traffic (`make bench-rollouts` rolls the same revisions out without it beside, the
 * second gate alone, and prints both with the time a good revision takes). With the gate no call fails, the pods that served before keep serving, and the rollback is done (no pod of the bad
 * revision left) within 30 s of the first bad pod's server starting; status and events name the pod and the reason.
 */
@ExtendWith(InClusterOperator.class)
@Lasts(seconds = 135)
@ResourceLock(value = NodeShares.OPERATOR, mode = ResourceAccessMode.READ)
@ResourceLock(NodeShares.LOAD)
class PreTrafficGateE2E {
    private static final int WORKERS = 20;
    private static final Duration ROLLBACK_WITHIN = Duration.ofSeconds(30);
    /**
     * What the side without the gate waits for a revision that never turns ready. Long enough for a good pod on a
     * starved node (45 s from creation to ready seen in CI), which would otherwise be rolled back as stalled.
     */
    private static final Duration PROGRESS_DEADLINE = Duration.ofSeconds(60);
    private static final Duration SCENARIO_TIMEOUT = Duration.ofMinutes(4);
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final TestNamespace NAMESPACE = TestNamespace.restricted();

    private final ServersOnTheNode servers = new ServersOnTheNode(NAMESPACE);

    /** A server kind, and the revisions that break it: the fault's env value and what the pod's check says. */
    record Kind(String name, ServerSpec spec, String faultVariable, String tool, String arguments, String sdk,
                List<Fault> faults) {
    }

    record Fault(String value, String reason) {
    }

    /** What one side of one scenario came to. */
    record Outcome(JsonNode load, Duration rollback, String reason) {
    }

    private static final List<Kind> KINDS = List.of(
            new Kind("reference", ServerSpec.reference().set("health.path", "/health").expectedTools("echo", "sleep", "status"),
                    "MCP_FAULTS", "sleep", "{\"ms\":500}", "v2", List.of(
                    new Fault("fail-initialize", "fail-initialize"),
                    new Fault("drop-tool:sleep", "expected tools missing: sleep"),
                    new Fault("fail-health", "the MCP check passed but the server is not ready"))),
            new Kind("ts-sdk-v1", ServerSpec.sdkV1().expectedTools("echo", "add"), "HIDE_TOOLS", "wait", "{\"ms\":500}", "v1", List.of(
                    new Fault("add", "expected tools missing: add"))));

    @Test
    void aBrokenRevisionNeverServesACallAndIsRolledBackWithinSeconds() throws Exception {
        Map<String, Outcome[]> figures = new LinkedHashMap<>();
        List<String> goodRollouts = new ArrayList<>();
        for (Kind kind : KINDS) {
            String gated = kind.name() + "-gated";
            String open = kind.name() + "-open";
            // The side without the gate is a comparison for `make bench-rollouts`: nothing asserts a promise on it.
            List<String> names = Comparisons.ENABLED ? List.of(gated, open) : List.of(gated);
            int generation = 0;
            Map<String, String> good = new LinkedHashMap<>();
            names.forEach(name -> servers.apply(name, spec(kind, name.equals(gated), 0, "")));
            names.forEach(name -> good.put(name, servers.awaitReady(name).getStatus().getRevision()));

            for (Fault fault : kind.faults()) {
                generation++;
                int revision = generation;
                Set<String> servingBefore = uids(servers.pods(gated));
                Map<String, SdkLoad> loads = new LinkedHashMap<>();
                Map<String, Outcome> outcomes = new LinkedHashMap<>();
                try {
                    names.forEach(name -> loads.put(name, new SdkLoad(servers.endpointThroughNodePort(name), WORKERS, kind.tool(), kind.arguments(), kind.sdk())));
                    loads.values().forEach(SdkLoad::awaitEveryWorkerServed);
                    names.forEach(name -> servers.apply(name, spec(kind, name.equals(gated), revision, fault.value())));
                    Map<String, Instant> rolledBack = awaitRollbacks(good, gated, servingBefore);
                    loads.forEach((name, load) -> outcomes.put(name, new Outcome(load.stop(), since(name, rolledBack.get(name)),
                            servers.get(name).getStatus().getRollback().getReason())));
                } finally {
                    loads.values().forEach(SdkLoad::close);
                }
                Outcome withGate = outcomes.get(gated);
                figures.put(kind.name() + " " + fault.value(), new Outcome[] {withGate, outcomes.get(open)});

                McpServer after = servers.get(gated);
                String failedPod = podNamed(after.getStatus().getRollback().getReason());
                assertThat(after.getStatus().getRollback().getReason()).as(kind.name() + " " + fault.value())
                        .startsWith("pod " + failedPod + " failed the MCP check: ").contains(fault.reason());
                assertThat(after.getStatus().getVerification().getGate()).isEqualTo("Pod");
                assertThat(servers.events("RolledBack")).filteredOn(e -> gated.equals(e.getInvolvedObject().getName()))
                        .anySatisfy(e -> assertThat(e.getMessage()).contains(after.getStatus().getRollback().getFrom(), failedPod, fault.reason()));
                assertThat(servers.events("VerificationFailed")).filteredOn(e -> gated.equals(e.getInvolvedObject().getName()))
                        .anySatisfy(e -> assertThat(e.getMessage()).contains("revision " + after.getStatus().getRollback().getFrom()
                                + ": pod " + failedPod + " failed the MCP check"));
                assertThat(withGate.load().path("failed").asInt()).as(kind.name() + " " + fault.value() + ": calls failed with the gate: "
                        + withGate.load().path("errors") + " at " + withGate.load().path("firstFailures")).isZero();
                assertThat(withGate.load().path("succeeded").asInt()).isPositive();
                assertThat(withGate.rollback()).as(kind.name() + " " + fault.value() + ": from the first failing pod to the rollback")
                        .isLessThanOrEqualTo(ROLLBACK_WITHIN);
                assertThat(uids(servers.pods(gated))).as("the pods that served before serve still, none restarted").isEqualTo(servingBefore);
            }

            if (Comparisons.ENABLED) {
                // A revision that passes: the gate costs the check's own time, measured beside the same rollout without it.
                generation++;
                int revision = generation;
                Instant start = Instant.now();
                names.forEach(name -> servers.apply(name, spec(kind, name.equals(gated), revision, "")));
                Map<String, Instant> done = awaitRolledOut(names, good);
                goodRollouts.add("%-10s | %5.1f s | %5.1f s | %s".formatted(kind.name(), seconds(start, done.get(gated)),
                        seconds(start, done.get(open)), checkTimes(gated)));
            }
            names.forEach(servers::delete);
        }

        System.out.println(table(figures, goodRollouts));
    }

    /**
     * Polls both servers until each has rolled back to its good revision and no pod of the bad one is left; meanwhile
     * every pod that served the gated server before must stay ready. Returns when each got there.
     */
    private Map<String, Instant> awaitRollbacks(Map<String, String> goodRevisions, String gated, Set<String> servingBefore) {
        Map<String, Instant> rolledBack = new LinkedHashMap<>();
        await("rollbacks").atMost(SCENARIO_TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
            List<Pod> gatedPods = servers.pods(gated);
            List<String> notServing = gatedPods.stream().filter(p -> servingBefore.contains(p.getMetadata().getUid()) && !ready(p))
                    .map(p -> p.getMetadata().getName()).toList();
            assertThat(notServing).as("pods of the good revision that stopped serving while the bad one was checked").isEmpty();
            goodRevisions.forEach((name, good) -> {
                for (Pod pod : name.equals(gated) ? gatedPods : servers.pods(name)) {
                    if (!good.equals(revisionOf(pod))) {
                        serverStarted(pod).ifPresent(started -> badServersStarted.merge(name + "/" + revisionOf(pod), started,
                                (a, b) -> a.isBefore(b) ? a : b));
                    }
                }
                if (!rolledBack.containsKey(name) && rolledBackTo(name, good)) {
                    rolledBack.put(name, Instant.now());
                }
            });
            return rolledBack.size() == goodRevisions.size();
        });
        return rolledBack;
    }

    private boolean rolledBackTo(String name, String good) {
        McpServer server = servers.get(name);
        if (server.getStatus() == null || server.getStatus().getRollback() == null || !good.equals(server.getStatus().getRevision())) {
            return false;
        }
        String bad = server.getStatus().getRollback().getFrom();
        return servers.pods(name).stream().noneMatch(p -> bad.equals(revisionOf(p)));
    }

    /**
     * When the server of the first pod of each bad revision ("server/revision") started, noted while its pods exist:
     * no pod can fail its check before its server runs.
     */
    private final Map<String, Instant> badServersStarted = new LinkedHashMap<>();

    private static java.util.Optional<Instant> serverStarted(Pod pod) {
        return pod.getStatus() == null ? java.util.Optional.empty() : pod.getStatus().getContainerStatuses().stream()
                .filter(c -> ServerDeployment.CONTAINER.equals(c.getName()) && c.getState() != null && c.getState().getRunning() != null)
                .map(c -> Instant.parse(c.getState().getRunning().getStartedAt())).findFirst();
    }

    private Duration since(String name, Instant rolledBack) {
        McpServer server = servers.get(name);
        Instant started = badServersStarted.get(name + "/" + server.getStatus().getRollback().getFrom());
        assertThat(started).as(name + ": a server of the bad revision was seen running").isNotNull();
        return Duration.between(started, rolledBack);
    }

    private Map<String, Instant> awaitRolledOut(List<String> names, Map<String, String> before) {
        Map<String, Instant> done = new LinkedHashMap<>();
        await("good rollouts").atMost(SCENARIO_TIMEOUT).pollInterval(Duration.ofMillis(250)).until(() -> {
            for (String name : names) {
                McpServer server = servers.get(name);
                if (done.containsKey(name) || server.getStatus() == null || before.get(name).equals(server.getStatus().getRevision())) {
                    continue;
                }
                String revision = server.getStatus().getRevision();
                List<Pod> pods = servers.pods(name);
                if (pods.size() == 2 && pods.stream().allMatch(p -> revision.equals(revisionOf(p)) && ready(p)
                        && p.getMetadata().getDeletionTimestamp() == null)) {
                    done.put(name, Instant.now());
                }
            }
            return done.size() == names.size();
        });
        return done;
    }

    /** The pod check's own time in each new pod, from its proxy's log line. */
    private String checkTimes(String name) {
        List<String> times = new ArrayList<>();
        for (Pod pod : servers.pods(name)) {
            String log = NAMESPACE.client().pods().inNamespace(NAMESPACE.name()).withName(pod.getMetadata().getName())
                    .inContainer(ProxySidecar.CONTAINER).getLog();
            log.lines().filter(l -> l.contains("\"event\":\"mcp-check\"") && l.contains("\"state\":\"passed\"")).forEach(line -> {
                try {
                    times.add(JSON.readTree(line).path("report").path("latencyMs").path("total").asLong() + " ms");
                } catch (java.io.IOException e) {
                    times.add("unreadable");
                }
            });
        }
        return String.join(", ", times);
    }

    private static String table(Map<String, Outcome[]> figures, List<String> goodRollouts) {
        StringBuilder out = new StringBuilder(("pre-traffic gate: official SDK clients, %d workers per server, 500 ms calls, NodePort on 127.0.0.1;"
                + " a broken revision rolled out to each server; progressDeadlineSeconds %d%n").formatted(WORKERS, PROGRESS_DEADLINE.toSeconds()));
        out.append("%-28s | %-32s | %-32s%n".formatted("revision", "gate on: failed/calls, rollback", "gate off: failed/calls, rollback"));
        figures.forEach((scenario, pair) -> out.append("%-28s | %-32s | %-32s%n".formatted(scenario, cell(pair[0]), cell(pair[1]))));
        figures.forEach((scenario, pair) -> {
            out.append("  ").append(scenario).append(" gate on:  ").append(pair[0].reason()).append('\n');
            if (pair[1] != null) {
                out.append("  ").append(scenario).append(" gate off: ").append(pair[1].reason()).append("; errors ").append(pair[1].load().path("errors")).append('\n');
            }
        });
        if (!goodRollouts.isEmpty()) {
            out.append("a good revision, 2 replicas, from apply to rolled out:%n%-10s | %-7s | %-7s | %s%n"
                    .formatted("server", "gate on", "gate off", "the pod check's own time, per new pod"));
            goodRollouts.forEach(line -> out.append(line).append('\n'));
        }
        return out.toString();
    }

    private static String cell(Outcome outcome) {
        return outcome == null ? "(bench-rollouts)" : "%d / %d, %.1f s".formatted(outcome.load().path("failed").asInt(), outcome.load().path("calls").asInt(),
                outcome.rollback().toMillis() / 1000.0);
    }

    private static ServerSpec spec(Kind kind, boolean gate, int generation, String fault) {
        return kind.spec().copy().set("verification.beforeTraffic", gate).replicas(2).set("rollout.progressDeadlineSeconds", PROGRESS_DEADLINE.toSeconds())
                .drain("10s", "2s").env("DEPLOYED_GENERATION", generation).env(kind.faultVariable(), fault);
    }

    private static String podNamed(String reason) {
        return reason.startsWith("pod ") ? reason.substring(4, reason.indexOf(' ', 4)) : "";
    }

    private static Set<String> uids(List<Pod> pods) {
        return pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).map(p -> p.getMetadata().getUid())
                .collect(Collectors.toSet());
    }

    private static String revisionOf(Pod pod) {
        return pod.getMetadata().getAnnotations().get(Annotations.REVISION);
    }

    private static boolean ready(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }
}
