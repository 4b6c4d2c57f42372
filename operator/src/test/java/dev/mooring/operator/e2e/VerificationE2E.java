package dev.mooring.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.cluster.TestNamespace;
import dev.mooring.operator.model.Labels;
import dev.mooring.operator.model.ServerDeployment;
import dev.mooring.operator.model.VerificationJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Verification on the node: a Job runs mcp-smoke against each rolled-out revision of the official TypeScript SDK v1
 * server. A revision with its `add` tool hidden (HIDE_TOOLS) fails and is rolled back while serving goes on (VerdictsE2E
 * has Hold, which leaves it live); a spec change after a rollback starts a new attempt; an operator killed while the Job runs still ends with
 * one Job and one rollback, and so does one killed between deciding the rollback and finishing it.
 * The second gate alone (verification.beforeTraffic: false): PreTrafficGateE2E tests the first.
 */
@ExtendWith(InClusterOperator.class)
@Tag(NodeShares.ALONE)
@ResourceLock(value = NodeShares.OPERATOR, mode = ResourceAccessMode.READ_WRITE)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VerificationE2E {
    private static final Duration TIMEOUT = Duration.ofMinutes(4);

    @RegisterExtension
    static final TestNamespace NAMESPACE = TestNamespace.restricted();

    private final ServersOnTheNode servers = new ServersOnTheNode(NAMESPACE);

    @Test
    @Order(1)
    void aGoodRevisionIsVerifiedAndABadOneRolledBackWhileServingGoesOn() throws Exception {
        servers.applySdkV1("checked", spec("1", ""));
        McpServer good = servers.awaitReady("checked");
        String goodRevision = good.getStatus().getRevision();
        assertThat(good.getStatus().getLastVerifiedRevision()).isEqualTo(goodRevision);
        assertThat(good.getStatus().getVerification().getResult()).isEqualTo("Passed");
        assertThat(good.getStatus().getVerification().getToolCount()).as("echo, add, wait, progress").isEqualTo(4);
        assertThat(good.getStatus().getVerification().getSessionIssuing()).isTrue();
        assertThat(good.getStatus().getEndpoint()).isEqualTo("http://checked." + NAMESPACE.name() + ".svc/mcp");
        Job job = NAMESPACE.client().batch().v1().jobs().inNamespace(NAMESPACE.name()).withName(VerificationJob.name(good, goodRevision, good.getStatus().getVerification().getCheck(), 1)).get();
        assertThat(job.getSpec().getBackoffLimit()).isZero();

        // Only `echo`, which both revisions serve: calls to the tool the bad revision lost fail while it is live, and
        // that is what verification exists to catch. What must not fail is the serving itself, through both rollouts.
        try (SdkLoad load = new SdkLoad(servers.endpointThroughNodePort("checked"), 3)) {
            servers.applySdkV1("checked", spec("2", "add"));
            String badRevision = awaitRevisionOtherThan(goodRevision);
            // The operator is killed while the bad revision's Job runs; its successor must not start a second one.
            await("verification Job of the bad revision").atMost(TIMEOUT)
                    .until(() -> jobsFor("checked", badRevision).size() == 1);
            killOperator();
            // And killed again once the rollback is decided, while the good revision rolls back in.
            await("rollback decided").atMost(TIMEOUT).pollInterval(Duration.ofMillis(200))
                    .until(() -> servers.get("checked").getStatus().getRollback() != null);
            killOperator();

            McpServer rolledBack = await("rollback").atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> servers.get("checked"),
                    s -> ServersOnTheNode.ready(s) && goodRevision.equals(s.getStatus().getRevision()));
            assertThat(rolledBack.getStatus().getRollback().getFrom()).isEqualTo(badRevision);
            assertThat(rolledBack.getStatus().getRollback().getTo()).isEqualTo(goodRevision);
            assertThat(rolledBack.getStatus().getRevision()).isEqualTo(goodRevision);
            assertThat(rolledBack.getStatus().getVerification().getMessage()).containsPattern("missing: .*\\badd\\b");
            assertThat(ServersOnTheNode.condition(rolledBack, "Degraded")).isEqualTo("True/VerificationFailed");
            assertThat(ServerDeployment.revision(NAMESPACE.client().apps().deployments().inNamespace(NAMESPACE.name()).withName("checked").get()))
                    .isEqualTo(goodRevision);
            assertThat(jobsFor("checked", badRevision)).hasSize(1);
            assertThat(servers.events("RolledBack")).hasSize(1);
            assertThat(servers.events("Failed")).as("Ready following verification repeats no verification event").isEmpty();

            JsonNode figures = load.stop();
            System.out.println("verification e2e: official SDK load during the bad rollout and its rollback: " + figures);
            // A session whose replica went away ends with 404 until sessions are handed over (the session handoff issue).
            assertThat(figures.path("failed").asInt() - figures.path("sessionsEndedWith404").asInt())
                    .as("echo calls that failed while the bad revision came and went: " + figures.path("errors")).isZero();
            assertThat(figures.path("succeeded").asInt()).isPositive();
        }

        servers.applySdkV1("checked", spec("3", ""));
        McpServer fixed = await("new attempt verified").atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> servers.get("checked"),
                s -> ServersOnTheNode.ready(s) && !goodRevision.equals(s.getStatus().getRevision()));
        assertThat(fixed.getStatus().getLastVerifiedRevision()).isEqualTo(fixed.getStatus().getRevision());
        assertThat(ServersOnTheNode.condition(fixed, "Degraded")).startsWith("False");
    }

    private static void killOperator() {
        NAMESPACE.client().pods().inNamespace(InClusterOperator.NAMESPACE).withLabel("app.kubernetes.io/name", InClusterOperator.NAME).delete();
    }

    private static String spec(String generation, String faults) {
        return """
                replicas: 2
                drain:
                  timeout: 10s
                  preStopDelay: 2s
                env:
                - name: DEPLOYED_GENERATION
                  value: "%s"
                - name: HIDE_TOOLS
                  value: "%s"
                verification:
                  beforeTraffic: false
                  expectedTools: [echo, add, wait]
                """.formatted(generation, faults);
    }

    private String awaitRevisionOtherThan(String revision) {
        return await("new revision").atMost(TIMEOUT).until(() -> servers.get("checked").getStatus().getRevision(), r -> !revision.equals(r));
    }

    private List<Job> jobsFor(String server, String revision) {
        return NAMESPACE.client().batch().v1().jobs().inNamespace(NAMESPACE.name()).withLabel(Labels.INSTANCE, server).list().getItems()
                .stream().filter(j -> revision.equals(j.getMetadata().getAnnotations().get("mooring.dev/revision"))).toList();
    }
}
