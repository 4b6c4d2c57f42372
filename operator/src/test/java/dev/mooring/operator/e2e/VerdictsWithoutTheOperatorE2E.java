package dev.mooring.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.cluster.TestNamespace;
import dev.mooring.operator.model.Annotations;
import dev.mooring.operator.model.Labels;
import dev.mooring.operator.model.ServerDeployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Verdicts whose evidence changes while the operator is stopped: a Job whose pod is gone before the operator reads
 * it still passes, and a rollback finds its kept template when the ReplicaSets are gone. The operator is scaled to
 * zero and back once for both, so this class runs alone. Second-gate verdicts, as in VerdictsE2E, on the same server.
 */
@ExtendWith(InClusterOperator.class)
@Tag(NodeShares.ALONE)
@ResourceLock(value = NodeShares.OPERATOR, mode = ResourceAccessMode.READ_WRITE)
class VerdictsWithoutTheOperatorE2E {
    private static final Duration TIMEOUT = Duration.ofMinutes(4);

    @RegisterExtension
    static final TestNamespace NAMESPACE = TestNamespace.restricted();

    private static final ServersOnTheNode SERVERS = new ServersOnTheNode(NAMESPACE);
    private static String lostRevision;
    private static Job lostJob;
    private static String keptGood;
    private static String keptBad;

    /**
     * Two servers brought to the moment their revision's verification Job exists, then one stop of the operator for
     * both: "lost" at a good revision whose check takes 8 s (its Job completes and its pod is deleted meanwhile), and
     * "kept" at a bad revision (the good revision's ReplicaSets are deleted meanwhile).
     */
    @BeforeAll
    static void changeTheEvidenceWhileTheOperatorIsStopped() {
        SERVERS.applySdkV1("lost", slowCheckSpec("1"));
        SERVERS.applySdkV1("kept", keptSpec("1", ""));
        SERVERS.awaitReady("lost");
        keptGood = SERVERS.awaitReady("kept").getStatus().getRevision();
        SERVERS.applySdkV1("lost", slowCheckSpec("2"));
        SERVERS.applySdkV1("kept", keptSpec("2", "add"));
        lostRevision = await("lost: new revision").atMost(TIMEOUT).until(() -> SERVERS.get("lost").getStatus().getRevision(),
                r -> !r.equals(SERVERS.get("lost").getStatus().getLastVerifiedRevision()));
        keptBad = await("kept: bad revision").atMost(TIMEOUT).until(() -> SERVERS.get("kept").getStatus().getRevision(),
                r -> !keptGood.equals(r));
        lostJob = await("lost: its verification Job").atMost(TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> jobOf("lost", lostRevision), j -> j != null);
        await("kept: its verification Job").atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> jobOf("kept", keptBad) != null);
        scaleOperator(0);
        try {
            await("lost: the Job completes").atMost(TIMEOUT).until(() -> complete(lostJob.getMetadata().getName()));
            NAMESPACE.client().pods().inNamespace(NAMESPACE.name()).withLabel("job-name", lostJob.getMetadata().getName()).delete();
            await("lost: its pod is gone").atMost(TIMEOUT).until(() -> NAMESPACE.client().pods().inNamespace(NAMESPACE.name())
                    .withLabel("job-name", lostJob.getMetadata().getName()).list().getItems().isEmpty());
            deleteReplicaSets("kept", keptGood::equals);
        } finally {
            scaleOperator(1);
        }
    }

    @Test
    void aCompletedJobPassesEvenWhenItsPodIsGoneBeforeTheOperatorReadsIt() {
        McpServer verified = SERVERS.awaitReady("lost");
        assertThat(verified.getStatus().getLastVerifiedRevision()).isEqualTo(lostRevision);
        assertThat(verified.getStatus().getVerification().getResult()).isEqualTo("Passed");
        assertThat(verified.getStatus().getVerification().getJob()).isEqualTo(lostJob.getMetadata().getName());
    }

    @Test
    void aRollbackFindsItsTemplateWhenTheReplicaSetsAreGone() throws InterruptedException {
        McpServer rolledBack = await("rolled back").atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> SERVERS.get("kept"),
                s -> ServersOnTheNode.ready(s) && keptGood.equals(s.getStatus().getRevision()));
        assertThat(rolledBack.getStatus().getRollback().getFrom()).isEqualTo(keptBad);
        assertThat(ServersOnTheNode.condition(rolledBack, "Degraded")).isEqualTo("True/VerificationFailed");

        deleteReplicaSets("kept", keptBad::equals);
        TimeUnit.SECONDS.sleep(10);
        assertThat(ServerDeployment.revision(NAMESPACE.client().apps().deployments().inNamespace(NAMESPACE.name()).withName("kept").get()))
                .as("held while the spec renders the bad revision").isEqualTo(keptGood);
    }

    private static Job jobOf(String server, String revision) {
        return SERVERS.jobs(server).stream().filter(j -> revision.equals(j.getMetadata().getAnnotations().get(Annotations.REVISION)))
                .findFirst().orElse(null);
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
                    tool: wait
                    arguments: {ms: 8000}
                """.formatted(generation);
    }

    private static String keptSpec(String generation, String hidden) {
        return """
                replicas: 1
                env:
                - name: DEPLOYED_GENERATION
                  value: "%s"
                - name: HIDE_TOOLS
                  value: "%s"
                verification:
                  beforeTraffic: false
                  expectedTools: [echo, add, wait]
                """.formatted(generation, hidden);
    }

    private static boolean complete(String job) {
        Job j = NAMESPACE.client().batch().v1().jobs().inNamespace(NAMESPACE.name()).withName(job).get();
        return j.getStatus() != null && j.getStatus().getSucceeded() != null && j.getStatus().getSucceeded() > 0;
    }

    private static void deleteReplicaSets(String server, Predicate<String> revision) {
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
}
