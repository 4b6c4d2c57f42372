package dev.mooring.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.cluster.TestNamespace;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Verdicts that are about the revision they name: the first check of a new server never meets a Service that
 * does not route yet, a verdict belongs to the settings it was made with, scale-to-zero judges nothing, a stalled
 * rollout is rolled back, and handing replicas to an autoscaler keeps every pod (ChangedToolListE2E has the changed
 * tool lists, VerificationE2E those that need the operator stopped), and Hold leaves a failed revision
 * live and says so. The servers are the official TypeScript SDK v1 server (tools echo, add, wait, progress;
 * HIDE_TOOLS hides some): ten of them start at once on a 2-core node within seconds, where ten reference-server JVMs
 * took more than a minute to listen.
 * These are verdicts of the second gate (the Job through the Service), so the servers here turn the first one
 * off (verification.beforeTraffic: false); PreTrafficGateE2E tests the first. The operator is only read here, and the
 * light load of these servers measures nothing but the zero failures of a spec change that rolls nothing, so this
 * class runs beside another.
 */
@ExtendWith(InClusterOperator.class)
@Lasts(seconds = 230)
@ResourceLock(value = NodeShares.OPERATOR, mode = ResourceAccessMode.READ)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VerdictsE2E {
    private static final Duration TIMEOUT = Duration.ofMinutes(4);

    @RegisterExtension
    static final TestNamespace NAMESPACE = TestNamespace.restricted();

    private final ServersOnTheNode servers = new ServersOnTheNode(NAMESPACE);

    @Test
    @Order(1)
    void aFirstRevisionIsVerifiedOnItsFirstAttemptTenTimesOutOfTen() {
        List<String> names = IntStream.rangeClosed(1, 10).mapToObj(i -> "first-" + i).toList();
        names.forEach(name -> servers.apply(name, ServerSpec.sdkV1().replicas(1)));
        for (String name : names) {
            McpServer server = await(name + " verified").atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1))
                    .until(() -> servers.get(name), s -> ServersOnTheNode.ready(s) || verdict(s) != null);
            assertThat(server.getStatus().getVerification().getResult()).as(name + ": " + server.getStatus().getVerification().getMessage())
                    .isEqualTo("Passed");
            assertThat(server.getStatus().getVerification().getAttempt()).as(name + " passed on its first attempt").isEqualTo(1);
            assertThat(servers.jobs(name)).as(name + ": one Job").hasSize(1);
        }
        assertThat(servers.events("VerificationCouldNotRun")).isEmpty();
        assertThat(servers.events("VerificationFailed")).isEmpty();
        names.forEach(this::delete);
    }

    @Test
    @Order(3)
    void fixingExpectedToolsAfterAFailureChecksAgainWithoutRestartingPods() {
        servers.apply("expect", expectSpec("echo", "forecast"));
        McpServer failed = await("failed verification").atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> servers.get("expect"), s -> "Failed".equals(verdict(s)));
        assertThat(ServersOnTheNode.condition(failed, "Degraded")).isEqualTo("True/VerificationFailed");
        Set<String> pods = podUids("expect");

        servers.apply("expect", expectSpec("echo"));
        McpServer fixed = servers.awaitReady("expect");
        assertThat(fixed.getStatus().getVerification().getResult()).isEqualTo("Passed");
        assertThat(fixed.getStatus().getRevision()).isEqualTo(failed.getStatus().getRevision());
        assertThat(podUids("expect")).as("no pod was restarted").isEqualTo(pods);
        assertThat(servers.jobs("expect")).hasSize(2);
        assertThat(ServersOnTheNode.condition(fixed, "Degraded")).startsWith("False");
    }

    @Test
    @Order(4)
    void aServerScaledToZeroIsNeitherCheckedNorFailed() throws InterruptedException {
        servers.apply("idle", ServerSpec.sdkV1().replicas(0));
        McpServer idle = await("scaled to zero").atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> servers.get("idle"), s -> ServersOnTheNode.condition(s, "Verified").equals("Unknown/ScaledToZero"));
        TimeUnit.SECONDS.sleep(5);
        assertThat(servers.jobs("idle")).isEmpty();
        assertThat(ServersOnTheNode.condition(servers.get("idle"), "Degraded")).startsWith("False");

        servers.apply("idle", ServerSpec.sdkV1().replicas(1));
        McpServer running = servers.awaitReady("idle");
        assertThat(running.getStatus().getLastVerifiedRevision()).isEqualTo(idle.getStatus().getRevision());
        servers.apply("idle", ServerSpec.sdkV1().replicas(0));
        await("scaled to zero again").atMost(TIMEOUT).until(() -> servers.get("idle"),
                s -> s.getStatus().getReadyReplicas() == 0 && ServersOnTheNode.condition(s, "Degraded").startsWith("False"));
        assertThat(servers.jobs("idle")).hasSize(1);
    }

    @Test
    @Order(5)
    void aCrashLoopingRevisionIsRolledBackAtItsProgressDeadline() {
        servers.apply("crashy", crashSpec("1", ServerSpec.SDK_V1_SCRIPT));
        String goodRevision = servers.awaitReady("crashy").getStatus().getRevision();
        servers.apply("crashy", crashSpec("2", "missing-server.mjs"));
        McpServer rolledBack = await("rolled back").atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> servers.get("crashy"),
                s -> s.getStatus().getRollback() != null && ServersOnTheNode.ready(s) && goodRevision.equals(s.getStatus().getRevision()));
        assertThat(rolledBack.getStatus().getRollback().getReason()).contains("the rollout stalled");
        assertThat(servers.events("RolledBack")).filteredOn(e -> "crashy".equals(e.getInvolvedObject().getName()))
                .singleElement().satisfies(e -> assertThat(e.getMessage()).contains("stalled"));
    }

    @Test
    @Order(6)
    void handingReplicasToAnAutoscalerKeepsEveryPodUnderLoad() {
        servers.apply("scaled", ServerSpec.sdkV1().replicas(3));
        servers.awaitReady("scaled");
        URI endpoint = servers.endpointThroughNodePort("scaled");
        JsonNode figures;
        try (SdkLoad load = new SdkLoad(endpoint, 10)) {
            servers.apply("scaled", ServerSpec.sdkV1());
            await("the spec without replicas reconciled").atMost(TIMEOUT).until(() -> servers.get("scaled"),
                    s -> s.getSpec().getReplicas() == null && s.getMetadata().getGeneration().equals(s.getStatus().getObservedGeneration()));
            await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(20)).until(() -> runningPods("scaled") == 3
                    && NAMESPACE.client().apps().deployments().inNamespace(NAMESPACE.name()).withName("scaled").get().getSpec().getReplicas() == 3);
            figures = load.stop();
        }
        System.out.println("verdicts e2e: TypeScript SDK load while replicas went from 3 to unset: " + figures);
        assertThat(figures.path("failed").asInt()).as("failed calls: " + figures.path("errors")).isZero();
        assertThat(figures.path("succeeded").asInt()).isPositive();

        servers.apply("scaled", ServerSpec.sdkV1().env("ROLLED", "yes"));
        McpServer rolled = await("rolled out without spec.replicas").atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> servers.get("scaled"), s -> ServersOnTheNode.ready(s) && s.getStatus().getReplicas() == 3);
        assertThat(rolled.getStatus().getReadyReplicas()).isEqualTo(3);
    }

    @Test
    @Order(7)
    void holdLeavesAFailedRevisionLiveAndSaysSo() {
        servers.apply("held", ServerSpec.sdkV1().replicas(1).env("HIDE_TOOLS", "add").secondGateOnly().expectedTools("echo", "add", "wait")
                .set("verification.onFailure", "Hold"));
        McpServer held = await("failed verification").atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> servers.get("held"),
                s -> s.getStatus() != null && s.getStatus().getVerification() != null);
        assertThat(held.getStatus().getVerification().getResult()).isEqualTo("Failed");
        assertThat(held.getStatus().getRollback()).isNull();
        assertThat(ServersOnTheNode.condition(held, "Degraded")).isEqualTo("True/VerificationFailed");
        assertThat(ServersOnTheNode.condition(held, "Ready")).startsWith("False");
        assertThat(held.getStatus().getEndpoint()).as("no endpoint for a server that never passed").isNull();
        assertThat(InClusterOperator.metrics(NAMESPACE.client())).as("the operator's metrics, which the alerts read")
                .containsPattern("mooring_verifications_total\\{[^}]*result=\"Failed\"[^}]*\\} [1-9]")
                .containsPattern("mooring_servers_degraded\\{[^}]*reason=\"VerificationFailed\"[^}]*\\} [1-9]")
                .containsPattern("(?m)^mooring_operator_leader(\\{[^}]*\\})? 1\\.0$");
    }

    private static ServerSpec expectSpec(String... tools) {
        return ServerSpec.sdkV1().replicas(1).secondGateOnly().expectedTools(tools);
    }

    /** A server whose script is this file: one that does not exist exits at once, over and over. */
    private static ServerSpec crashSpec(String generation, String script) {
        return ServerSpec.peers(script).replicas(1).set("rollout.progressDeadlineSeconds", 30).env("DEPLOYED_GENERATION", generation)
                .secondGateOnly();
    }

    private static String verdict(McpServer server) {
        return server == null || server.getStatus() == null || server.getStatus().getVerification() == null ? null
                : server.getStatus().getVerification().getResult();
    }

    private Set<String> podUids(String server) {
        return servers.pods(server).stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
    }

    private long runningPods(String server) {
        return servers.pods(server).stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .filter(p -> "Running".equals(p.getStatus().getPhase())).count();
    }

    private void delete(String server) {
        NAMESPACE.client().resources(McpServer.class).inNamespace(NAMESPACE.name()).withName(server).delete();
    }
}
