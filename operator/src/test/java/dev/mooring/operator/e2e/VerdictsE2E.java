package dev.mooring.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.cluster.TestNamespace;
import dev.mooring.operator.model.Annotations;
import dev.mooring.operator.model.Labels;
import dev.mooring.operator.model.ServerDeployment;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Verdicts that are about the revision they name: the first check of a new server never meets a Service that
 * does not route yet, a changed tool list is caught even while old pods drain, a verdict belongs to the settings
 * it was made with, scale-to-zero and lost Job pods judge nothing, a rollback finds its template without the
 * ReplicaSets, a stalled rollout is rolled back, and handing replicas to an autoscaler keeps every pod.
 * These are verdicts of the second gate (the Job through the Service), so the servers here turn the first one
 * off (verification.beforeTraffic: false); PreTrafficGateE2E tests the first.
 */
@ExtendWith(InClusterOperator.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VerdictsE2E {
    private static final Duration TIMEOUT = Duration.ofMinutes(4);
    /**
     * Ten servers (or five of two replicas) starting at once on a 2-core node: a reference server's JVM took more
     * than the default 60 s to listen in CI, and each startup-probe kill starts it over. Not what these tests judge.
     */
    private static final String MANY_AT_ONCE = "health:\n  startupTimeout: 3m\n";

    @RegisterExtension
    static final TestNamespace NAMESPACE = TestNamespace.restricted();

    private final ServersOnTheNode servers = new ServersOnTheNode(NAMESPACE);

    @Test
    @Order(1)
    void aFirstRevisionIsVerifiedOnItsFirstAttemptTenTimesOutOfTen() {
        List<String> names = IntStream.rangeClosed(1, 10).mapToObj(i -> "first-" + i).toList();
        names.forEach(name -> servers.apply(name, "replicas: 1\n" + MANY_AT_ONCE));
        for (String name : names) {
            McpServer server = await(name + " verified").atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1))
                    .until(() -> servers.get(name), s -> ServersOnTheNode.ready(s) || verdict(s) != null);
            assertThat(server.getStatus().getVerification().getResult()).as(name + ": " + server.getStatus().getVerification().getMessage())
                    .isEqualTo("Passed");
            assertThat(server.getStatus().getVerification().getAttempt()).as(name + " passed on its first attempt").isEqualTo(1);
            assertThat(jobsOf(name)).as(name + ": one Job").hasSize(1);
        }
        assertThat(servers.events("VerificationCouldNotRun")).isEmpty();
        assertThat(servers.events("VerificationFailed")).isEmpty();
        names.forEach(this::delete);
    }

    @Test
    @Order(2)
    void aChangedToolListUnderLoadFailsVerificationAndRollsBackEveryTime() throws Exception {
        List<String> names = List.of("tools-1", "tools-2", "tools-3", "tools-4", "tools-5");
        names.forEach(name -> servers.apply(name, toolsSpec("0", "", null)));
        Map<String, McpServer> good = names.stream().collect(Collectors.toMap(n -> n, servers::awaitReady));
        String hash = good.get("tools-1").getStatus().getVerification().getToolSchemaSha256();
        names.forEach(name -> servers.apply(name, toolsSpec("0", "", hash)));
        for (String name : names) {
            McpServer pinned = await(name + " verified with the hash pinned").atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1))
                    .until(() -> servers.get(name), s -> ServersOnTheNode.ready(s)
                            && s.getStatus().getLastVerifiedCheck().equals(s.getStatus().getVerification().getCheck())
                            && !s.getStatus().getLastVerifiedCheck().equals(good.get(name).getStatus().getLastVerifiedCheck()));
            good.put(name, pinned);
        }

        List<SdkLoad> loads = new ArrayList<>();
        Map<String, String> lastBad = new java.util.HashMap<>();
        try {
            names.forEach(name -> loads.add(new SdkLoad(servers.endpointThroughNodePort(name), 2)));
            for (int round = 1; round <= 2; round++) {
                String generation = Integer.toString(round);
                names.forEach(name -> servers.apply(name, toolsSpec(generation, "drop-tool:sleep", hash)));
                for (String name : names) {
                    String goodRevision = good.get(name).getStatus().getRevision();
                    McpServer rolledBack = await(name + " rolled back in round " + round).atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1))
                            .until(() -> servers.get(name), s -> s.getStatus().getRollback() != null
                                    && !s.getStatus().getRollback().getFrom().equals(lastBad.get(name))
                                    && goodRevision.equals(s.getStatus().getRevision()) && ServersOnTheNode.ready(s));
                    lastBad.put(name, rolledBack.getStatus().getRollback().getFrom());
                    assertThat(rolledBack.getStatus().getRollback().getReason()).as(name + ", round " + round).contains("tool schema changed");
                    assertThat(rolledBack.getStatus().getVerification().getToolCount()).as("the check reached the new revision").isEqualTo(2);
                }
            }
        } finally {
            for (SdkLoad load : loads) {
                JsonNode figures = load.stop();
                System.out.println("verdicts e2e: TypeScript SDK load during 10 bad rollouts and their rollbacks: " + figures);
                load.close();
            }
        }
        assertThat(servers.events("RolledBack")).hasSize(10);
        names.forEach(this::delete);
    }

    @Test
    @Order(3)
    void fixingExpectedToolsAfterAFailureChecksAgainWithoutRestartingPods() {
        servers.apply("expect", expectSpec("[echo, forecast]"));
        McpServer failed = await("failed verification").atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> servers.get("expect"), s -> "Failed".equals(verdict(s)));
        assertThat(ServersOnTheNode.condition(failed, "Degraded")).isEqualTo("True/VerificationFailed");
        Set<String> pods = podUids("expect");

        servers.apply("expect", expectSpec("[echo]"));
        McpServer fixed = servers.awaitReady("expect");
        assertThat(fixed.getStatus().getVerification().getResult()).isEqualTo("Passed");
        assertThat(fixed.getStatus().getRevision()).isEqualTo(failed.getStatus().getRevision());
        assertThat(podUids("expect")).as("no pod was restarted").isEqualTo(pods);
        assertThat(jobsOf("expect")).hasSize(2);
        assertThat(ServersOnTheNode.condition(fixed, "Degraded")).startsWith("False");
    }

    @Test
    @Order(4)
    void aServerScaledToZeroIsNeitherCheckedNorFailed() throws InterruptedException {
        servers.apply("idle", "replicas: 0\n");
        McpServer idle = await("scaled to zero").atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> servers.get("idle"), s -> ServersOnTheNode.condition(s, "Verified").equals("Unknown/ScaledToZero"));
        TimeUnit.SECONDS.sleep(5);
        assertThat(jobsOf("idle")).isEmpty();
        assertThat(ServersOnTheNode.condition(servers.get("idle"), "Degraded")).startsWith("False");

        servers.apply("idle", "replicas: 1\n");
        McpServer running = servers.awaitReady("idle");
        assertThat(running.getStatus().getLastVerifiedRevision()).isEqualTo(idle.getStatus().getRevision());
        servers.apply("idle", "replicas: 0\n");
        await("scaled to zero again").atMost(TIMEOUT).until(() -> servers.get("idle"),
                s -> s.getStatus().getReadyReplicas() == 0 && ServersOnTheNode.condition(s, "Degraded").startsWith("False"));
        assertThat(jobsOf("idle")).hasSize(1);
    }

    @Test
    @Order(5)
    void aCompletedJobPassesEvenWhenItsPodIsGoneBeforeTheOperatorReadsIt() {
        servers.apply("lost", slowCheckSpec("1"));
        servers.awaitReady("lost");
        servers.apply("lost", slowCheckSpec("2"));
        String revision = await("new revision").atMost(TIMEOUT).until(() -> servers.get("lost").getStatus().getRevision(),
                r -> !r.equals(servers.get("lost").getStatus().getLastVerifiedRevision()));
        Job job = await("its verification Job").atMost(TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> jobsOf("lost").stream().filter(j -> revision.equals(j.getMetadata().getAnnotations().get(Annotations.REVISION)))
                        .findFirst().orElse(null), j -> j != null);
        scaleOperator(0);
        try {
            await("the Job completes").atMost(TIMEOUT).until(() -> complete(job.getMetadata().getName()));
            NAMESPACE.client().pods().inNamespace(NAMESPACE.name()).withLabel("job-name", job.getMetadata().getName()).delete();
            await("its pod is gone").atMost(TIMEOUT)
                    .until(() -> NAMESPACE.client().pods().inNamespace(NAMESPACE.name()).withLabel("job-name", job.getMetadata().getName()).list().getItems().isEmpty());
        } finally {
            scaleOperator(1);
        }
        McpServer verified = servers.awaitReady("lost");
        assertThat(verified.getStatus().getLastVerifiedRevision()).isEqualTo(revision);
        assertThat(verified.getStatus().getVerification().getResult()).isEqualTo("Passed");
        assertThat(verified.getStatus().getVerification().getJob()).isEqualTo(job.getMetadata().getName());
    }

    @Test
    @Order(6)
    void aRollbackFindsItsTemplateWhenTheReplicaSetsAreGone() throws InterruptedException {
        servers.apply("kept", keptSpec("1", ""));
        String goodRevision = servers.awaitReady("kept").getStatus().getRevision();
        servers.apply("kept", keptSpec("2", "drop-tool:sleep"));
        String badRevision = await("bad revision").atMost(TIMEOUT).until(() -> servers.get("kept").getStatus().getRevision(),
                r -> !goodRevision.equals(r));
        await("its verification Job").atMost(TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> jobsOf("kept").stream().anyMatch(j -> badRevision.equals(j.getMetadata().getAnnotations().get(Annotations.REVISION))));
        scaleOperator(0);
        try {
            deleteReplicaSets("kept", goodRevision::equals);
        } finally {
            scaleOperator(1);
        }
        McpServer rolledBack = await("rolled back").atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> servers.get("kept"),
                s -> ServersOnTheNode.ready(s) && goodRevision.equals(s.getStatus().getRevision()));
        assertThat(rolledBack.getStatus().getRollback().getFrom()).isEqualTo(badRevision);
        assertThat(ServersOnTheNode.condition(rolledBack, "Degraded")).isEqualTo("True/VerificationFailed");

        deleteReplicaSets("kept", badRevision::equals);
        TimeUnit.SECONDS.sleep(10);
        assertThat(ServerDeployment.revision(NAMESPACE.client().apps().deployments().inNamespace(NAMESPACE.name()).withName("kept").get()))
                .as("held while the spec renders the bad revision").isEqualTo(goodRevision);
    }

    @Test
    @Order(7)
    void aCrashLoopingRevisionIsRolledBackAtItsProgressDeadline() {
        servers.apply("crashy", crashSpec("1", ""));
        String goodRevision = servers.awaitReady("crashy").getStatus().getRevision();
        servers.apply("crashy", crashSpec("2", "exit-at-start"));
        McpServer rolledBack = await("rolled back").atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> servers.get("crashy"),
                s -> s.getStatus().getRollback() != null && ServersOnTheNode.ready(s) && goodRevision.equals(s.getStatus().getRevision()));
        assertThat(rolledBack.getStatus().getRollback().getReason()).contains("the rollout stalled");
        assertThat(servers.events("RolledBack")).filteredOn(e -> "crashy".equals(e.getInvolvedObject().getName()))
                .singleElement().satisfies(e -> assertThat(e.getMessage()).contains("stalled"));
    }

    @Test
    @Order(8)
    void handingReplicasToAnAutoscalerKeepsEveryPodUnderLoad() {
        servers.apply("scaled", "replicas: 3\n");
        servers.awaitReady("scaled");
        URI endpoint = servers.endpointThroughNodePort("scaled");
        JsonNode figures;
        try (SdkLoad load = new SdkLoad(endpoint, 10)) {
            servers.apply("scaled", "");
            await("the spec without replicas reconciled").atMost(TIMEOUT).until(() -> servers.get("scaled"),
                    s -> s.getSpec().getReplicas() == null && s.getMetadata().getGeneration().equals(s.getStatus().getObservedGeneration()));
            await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(20)).until(() -> runningPods("scaled") == 3
                    && NAMESPACE.client().apps().deployments().inNamespace(NAMESPACE.name()).withName("scaled").get().getSpec().getReplicas() == 3);
            figures = load.stop();
        }
        System.out.println("verdicts e2e: TypeScript SDK load while replicas went from 3 to unset: " + figures);
        assertThat(figures.path("failed").asInt()).as("failed calls: " + figures.path("errors")).isZero();
        assertThat(figures.path("succeeded").asInt()).isPositive();

        servers.apply("scaled", "env:\n- name: ROLLED\n  value: \"yes\"\n");
        McpServer rolled = await("rolled out without spec.replicas").atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> servers.get("scaled"), s -> ServersOnTheNode.ready(s) && s.getStatus().getReplicas() == 3);
        assertThat(rolled.getStatus().getReadyReplicas()).isEqualTo(3);
    }

    private static String toolsSpec(String generation, String faults, String hash) {
        return """
                replicas: 2
                drain:
                  timeout: 10s
                  preStopDelay: 2s
                env:
                - name: DEPLOYED_GENERATION
                  value: "%s"
                - name: MCP_FAULTS
                  value: "%s"
                verification:
                  beforeTraffic: false
                %s""".formatted(generation, faults, hash == null ? "" : "  toolSchemaSha256: " + hash + "\n") + MANY_AT_ONCE;
    }

    private static String expectSpec(String tools) {
        return """
                replicas: 1
                verification:
                  beforeTraffic: false
                  expectedTools: %s
                """.formatted(tools);
    }

    private static String slowCheckSpec(String generation) {
        return """
                replicas: 1
                env:
                - name: DEPLOYED_GENERATION
                  value: "%s"
                verification:
                  beforeTraffic: false
                  call:
                    tool: sleep
                    arguments: {ms: 8000}
                """.formatted(generation);
    }

    private static String keptSpec(String generation, String faults) {
        return """
                replicas: 1
                env:
                - name: DEPLOYED_GENERATION
                  value: "%s"
                - name: MCP_FAULTS
                  value: "%s"
                verification:
                  beforeTraffic: false
                  expectedTools: [echo, sleep, status]
                """.formatted(generation, faults);
    }

    private static String crashSpec(String generation, String faults) {
        return """
                replicas: 1
                rollout:
                  progressDeadlineSeconds: 30
                env:
                - name: DEPLOYED_GENERATION
                  value: "%s"
                - name: MCP_FAULTS
                  value: "%s"
                verification:
                  beforeTraffic: false
                """.formatted(generation, faults);
    }

    private static String verdict(McpServer server) {
        return server == null || server.getStatus() == null || server.getStatus().getVerification() == null ? null
                : server.getStatus().getVerification().getResult();
    }

    private List<Job> jobsOf(String server) {
        return NAMESPACE.client().batch().v1().jobs().inNamespace(NAMESPACE.name()).withLabel(Labels.INSTANCE, server).list().getItems();
    }

    private boolean complete(String job) {
        Job j = NAMESPACE.client().batch().v1().jobs().inNamespace(NAMESPACE.name()).withName(job).get();
        return j.getStatus() != null && j.getStatus().getSucceeded() != null && j.getStatus().getSucceeded() > 0;
    }

    private Set<String> podUids(String server) {
        return servers.pods(server).stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
    }

    private long runningPods(String server) {
        return servers.pods(server).stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .filter(p -> "Running".equals(p.getStatus().getPhase())).count();
    }

    private void deleteReplicaSets(String server, Predicate<String> revision) {
        NAMESPACE.client().apps().replicaSets().inNamespace(NAMESPACE.name()).withLabel(Labels.INSTANCE, server).list().getItems().stream()
                .filter(rs -> revision.test(rs.getSpec().getTemplate().getMetadata().getAnnotations().get(Annotations.REVISION)))
                .forEach(rs -> NAMESPACE.client().resource(rs).delete());
    }

    private static void scaleOperator(int replicas) {
        var operator = NAMESPACE.client().apps().deployments().inNamespace(InClusterOperator.NAMESPACE).withName(InClusterOperator.NAME);
        operator.scale(replicas);
        if (replicas == 0) {
            await("operator stopped").atMost(TIMEOUT).until(() -> NAMESPACE.client().pods().inNamespace(InClusterOperator.NAMESPACE)
                    .withLabel("app.kubernetes.io/name", InClusterOperator.NAME).list().getItems().isEmpty());
        } else {
            operator.waitUntilCondition(InClusterOperator::available, 120, TimeUnit.SECONDS);
        }
    }

    private void delete(String server) {
        NAMESPACE.client().resources(McpServer.class).inNamespace(NAMESPACE.name()).withName(server).delete();
    }
}
