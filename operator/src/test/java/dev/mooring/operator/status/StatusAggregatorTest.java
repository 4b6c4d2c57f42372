package dev.mooring.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.operator.TestServers;
import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.api.v1alpha1.McpServerStatus;
import dev.mooring.operator.api.v1alpha1.status.VerificationResult;
import dev.mooring.operator.model.Annotations;
import dev.mooring.operator.verify.VerificationGate;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusAggregatorTest {
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-11-21T10:05:00Z");
    private static final String REVISION = "abc123def0";
    private static final String CHECK = "c0ffee00";

    private final McpServer server = TestServers.server("weather");

    @Test
    void reportsCreatingBeforeTheDeploymentExists() {
        McpServerStatus status = aggregate(Optional.empty(), List.of(), T0);
        assertThat(condition(status, ConditionType.Ready).getReason()).isEqualTo("Creating");
        assertThat(condition(status, ConditionType.Progressing).getStatus()).isEqualTo("True");
        assertThat(status.getObservedGeneration()).isEqualTo(1L);
        assertThat(status.getTerminationGracePeriodSeconds()).isEqualTo(35L);
    }

    @Test
    void isReadyWhenEveryReplicaRunsTheCurrentRevision() {
        McpServerStatus status = aggregate(Optional.of(deployment(2, 2, 2, 2, 2)), List.of(), T0);
        assertThat(condition(status, ConditionType.Ready).getStatus()).isEqualTo("True");
        assertThat(condition(status, ConditionType.Progressing).getStatus()).isEqualTo("False");
        assertThat(condition(status, ConditionType.Progressing).getReason()).isEqualTo("RolloutComplete");
        assertThat(condition(status, ConditionType.Degraded).getStatus()).isEqualTo("False");
        assertThat(status.getReadyReplicas()).isEqualTo(2);
        assertThat(status.getConditions()).allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(1L));
    }

    @Test
    void isStillProgressingWhileOldPodsRemain() {
        McpServerStatus status = aggregate(Optional.of(deployment(2, 3, 2, 3, 3)), List.of(), T0);
        assertThat(condition(status, ConditionType.Progressing).getStatus()).isEqualTo("True");
        assertThat(condition(status, ConditionType.Progressing).getMessage()).contains("2 of 2 replicas updated");
        assertThat(condition(status, ConditionType.Ready).getStatus()).isEqualTo("False");
    }

    @Test
    void unchangedWorldGivesAnEqualStatusWithTheOriginalTransitionTimes() {
        Deployment d = deployment(1, 1, 1, 1, 1);
        McpServerStatus first = aggregate(Optional.of(d), List.of(), T0);
        server.setStatus(first);
        McpServerStatus second = aggregate(Optional.of(d), List.of(), T1);
        assertThat(second).isEqualTo(first);
        assertThat(condition(second, ConditionType.Ready).getLastTransitionTime()).isEqualTo("2026-11-21T10:00:00Z");
    }

    @Test
    void movesTheTransitionTimeOnlyForConditionsThatFlipped() {
        server.setStatus(aggregate(Optional.of(deployment(1, 1, 1, 1, 1)), List.of(), T0));
        McpServerStatus rolling = aggregate(Optional.of(deployment(1, 2, 1, 1, 1)), List.of(), T1);
        assertThat(condition(rolling, ConditionType.Progressing).getLastTransitionTime()).isEqualTo("2026-11-21T10:05:00Z");
        assertThat(condition(rolling, ConditionType.Degraded).getLastTransitionTime()).isEqualTo("2026-11-21T10:00:00Z");
    }

    @Test
    void saysWhyARolloutStoppedAtItsDeadline() {
        Deployment stalled = new DeploymentBuilder(deployment(1, 2, 1, 1, 1)).editStatus()
                .addNewCondition().withType("Progressing").withStatus("False").withReason("ProgressDeadlineExceeded")
                .withMessage("ReplicaSet \"weather-1\" has timed out progressing.").endCondition().endStatus().build();
        McpServerStatus status = aggregate(Optional.of(stalled), List.of(notReadyPod()), T0);
        Condition degraded = condition(status, ConditionType.Degraded);
        assertThat(degraded.getStatus()).isEqualTo("True");
        assertThat(degraded.getReason()).isEqualTo("ProgressDeadlineExceeded");
        assertThat(degraded.getMessage()).contains("exceeded its progress deadline")
                .contains("readiness probe GET :3000/health does not pass");
    }

    @Test
    void reportsAPodThatCannotStartAsDegraded() {
        Pod crashing = new PodBuilder(pod()).editStatus().addNewContainerStatus().withName("mcp-server").withReady(false)
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff").withMessage("back-off 40s").endWaiting().endState()
                .endContainerStatus().endStatus().build();
        McpServerStatus status = aggregate(Optional.of(deployment(1, 2, 1, 1, 1)), List.of(crashing), T0);
        Condition degraded = condition(status, ConditionType.Degraded);
        assertThat(degraded.getStatus()).isEqualTo("True");
        assertThat(degraded.getReason()).isEqualTo("CrashLoopBackOff");
        assertThat(degraded.getMessage()).contains("weather-abc").contains("mcp-server");
    }

    @Test
    void explainsPodsThatRunButFailTheirReadinessProbe() {
        McpServerStatus status = aggregate(Optional.of(deployment(1, 2, 1, 1, 1)), List.of(notReadyPod()), T0);
        assertThat(condition(status, ConditionType.Progressing).getMessage())
                .contains("running but not ready").contains("GET :3000/health");
        assertThat(condition(status, ConditionType.Degraded).getStatus()).isEqualTo("False");
    }

    @Test
    void ignoresPodsOfOtherRevisions() {
        Pod old = new PodBuilder(notReadyPod()).editMetadata().addToAnnotations(Annotations.REVISION, "0ld0ld0ld0").endMetadata().build();
        McpServerStatus status = aggregate(Optional.of(deployment(1, 2, 1, 1, 1)), List.of(old), T0);
        assertThat(condition(status, ConditionType.Progressing).getMessage()).doesNotContain("not ready:");
    }

    @Test
    void isNotReadyAndPublishesNoEndpointUntilTheFirstRevisionIsVerified() {
        McpServerStatus status = aggregate(Optional.of(deployment(1, 1, 1, 1, 1)), List.of(), T0,
                gate(true, new VerificationGate.JobState.Running("weather-verify-" + REVISION)));
        assertThat(condition(status, ConditionType.Ready).getStatus()).isEqualTo("False");
        assertThat(condition(status, ConditionType.Ready).getReason()).isEqualTo("Verifying");
        assertThat(condition(status, ConditionType.Verified).getStatus()).isEqualTo("Unknown");
        assertThat(status.getEndpoint()).isNull();
    }

    @Test
    void aFailedFirstRevisionIsDegradedWithTheClientsMessage() {
        VerificationResult failed = new VerificationResult();
        failed.setResult(VerificationResult.FAILED);
        failed.setMessage("expected tools missing: sleep");
        failed.setRevision(REVISION);
        failed.setCheck(CHECK);
        McpServerStatus status = aggregate(Optional.of(deployment(1, 1, 1, 1, 1)), List.of(), T0,
                gate(true, new VerificationGate.JobState.Finished(failed)));
        assertThat(condition(status, ConditionType.Verified).getStatus()).isEqualTo("False");
        assertThat(condition(status, ConditionType.Degraded).getReason()).isEqualTo("VerificationFailed");
        assertThat(condition(status, ConditionType.Degraded).getMessage()).contains("expected tools missing: sleep")
                .contains("nothing to roll back to");
        assertThat(status.getVerification()).isEqualTo(failed);
    }

    /** The serving revision counts as verified, so that the rollout alone decides. */
    private McpServerStatus aggregate(Optional<Deployment> deployment, List<Pod> pods, Instant now) {
        McpServerStatus remembered = Optional.ofNullable(server.getStatus()).orElseGet(McpServerStatus::new);
        remembered.setLastVerifiedRevision(REVISION);
        remembered.setLastVerifiedCheck(CHECK);
        server.setStatus(remembered);
        return aggregate(deployment, pods, now, gate(true, new VerificationGate.JobState.Absent()));
    }

    private McpServerStatus aggregate(Optional<Deployment> deployment, List<Pod> pods, Instant now, VerificationGate.Decision decision) {
        return StatusAggregator.aggregate(new StatusAggregator.Observation(server, deployment,
                PodDiagnosis.of(pods, REVISION, "GET :3000/health"), REVISION, "http://weather.team-a.svc/mcp", 35, decision, Optional.empty()), now);
    }

    private VerificationGate.Decision gate(boolean rolledOut, VerificationGate.JobState job) {
        return VerificationGate.decide(new VerificationGate.Facts(server, REVISION, REVISION, CHECK, rolledOut, 1, Optional.empty(),
                Optional.empty(), Optional.empty(), job, Optional.empty(), false, T0));
    }

    private static Deployment deployment(int desired, int total, int updated, int ready, int available) {
        return new DeploymentBuilder().withNewMetadata().withName("weather").withGeneration(2L).endMetadata()
                .withNewSpec().withReplicas(desired).endSpec()
                .withNewStatus().withObservedGeneration(2L).withReplicas(total).withUpdatedReplicas(updated)
                .withReadyReplicas(ready).withAvailableReplicas(available).endStatus()
                .build();
    }

    private static Pod pod() {
        return new PodBuilder().withNewMetadata().withName("weather-abc").addToAnnotations(Annotations.REVISION, REVISION)
                .endMetadata().withNewStatus().withPhase("Running").endStatus().build();
    }

    private static Pod notReadyPod() {
        return new PodBuilder(pod()).editStatus().addNewContainerStatus().withName("mcp-server").withReady(false).withStarted(true)
                .withNewState().withNewRunning().withStartedAt("2026-11-21T09:59:00Z").endRunning().endState()
                .endContainerStatus().endStatus().build();
    }

    private static Condition condition(McpServerStatus status, ConditionType type) {
        return status.getConditions().stream().filter(c -> c.getType().equals(type.name())).findFirst().orElseThrow();
    }
}
