package dev.mooring.operator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.operator.api.v1alpha1.status.VerificationResult;
import dev.mooring.operator.model.Annotations;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobOutcomeTest {
    private static final String JOB = "weather-verify-aaaaaaaaaa-c0ffee00";
    private static final String JOB_UID = "5d1f0e2a-0000-4000-8000-000000000001";
    private static final Instant FINISHED = Instant.parse("2026-11-21T10:00:00Z");
    private static final Instant LATER = FINISHED.plusSeconds(60);
    private static final String PASSED_LINE = """
            {"ok":true,"reached":true,"url":"http://weather.team-a.svc/mcp","transport":"streamable-http","protocolVersion":"2025-11-25",\
            "serverName":"weather","serverVersion":"1.4.2","toolCount":2,"tools":["a","b"],"toolSchemaSha256":"%s",\
            "sessionIssuing":true,"latencyMs":{"handshake":12,"toolsList":4,"total":25},"error":null}""".formatted("0".repeat(64));

    @Test
    void saysNothingWhileTheJobRuns() {
        assertThat(JobOutcome.of(job(null), List.of(pod(PASSED_LINE, 0)), LATER)).isEmpty();
    }

    @Test
    void copiesThePassingReportFromTheTerminationMessage() {
        VerificationResult result = JobOutcome.of(job("Complete"), List.of(pod(PASSED_LINE, 0)), LATER).orElseThrow();
        assertThat(result.passed()).isTrue();
        assertThat(result.getRevision()).isEqualTo("aaaaaaaaaa");
        assertThat(result.getCheck()).isEqualTo("c0ffee00");
        assertThat(result.getAttempt()).isEqualTo(1);
        assertThat(result.getJob()).isEqualTo(JOB);
        assertThat(result.getServerVersion()).isEqualTo("1.4.2");
        assertThat(result.getToolCount()).isEqualTo(2);
        assertThat(result.getSessionIssuing()).isTrue();
        assertThat(result.getLatencyMs()).containsEntry("handshake", 12L).containsEntry("total", 25L);
        assertThat(result.getFinishedAt()).isEqualTo("2026-11-21T10:00:00Z");
        assertThat(result.getMessage()).isNull();
    }

    @Test
    void aCompletedJobPassesEvenWhenItsPodIsGone() {
        assertThat(JobOutcome.of(job("Complete"), List.of(), FINISHED.plusSeconds(2)))
                .as("the pod may still reach the cache: wait for the details a moment").isEmpty();
        VerificationResult result = JobOutcome.of(job("Complete"), List.of(), LATER).orElseThrow();
        assertThat(result.passed()).isTrue();
        assertThat(result.getToolCount()).isNull();
    }

    @Test
    void onlyThePodTheJobOwnsSpeaksForIt() {
        String forged = PASSED_LINE;
        Pod impostor = new PodBuilder(pod(forged, 0)).editMetadata().withOwnerReferences().endMetadata().build();
        String line = "{\"ok\":false,\"reached\":true,\"error\":\"expected tools missing: sleep\"}";
        VerificationResult result = JobOutcome.of(job("Failed"), List.of(impostor, pod(line, 1)), LATER).orElseThrow();
        assertThat(result.passed()).isFalse();
        assertThat(result.getMessage()).isEqualTo("expected tools missing: sleep");
        assertThat(JobOutcome.of(job("Failed"), List.of(impostor), LATER).orElseThrow().couldNotRun())
                .as("a copied label is no report").isTrue();
    }

    @Test
    void theJobDecidesWhateverThePodClaims() {
        VerificationResult result = JobOutcome.of(job("Failed"), List.of(pod(PASSED_LINE, 0)), LATER).orElseThrow();
        assertThat(result.passed()).isFalse();
    }

    @Test
    void aFailingReportCarriesTheClientsMessage() {
        String line = "{\"ok\":false,\"reached\":true,\"toolCount\":null,\"sessionIssuing\":null,\"latencyMs\":{},\"error\":\"expected tools missing: sleep\"}";
        VerificationResult result = JobOutcome.of(job("Failed"), List.of(pod(line, 1)), LATER).orElseThrow();
        assertThat(result.getResult()).isEqualTo(VerificationResult.FAILED);
        assertThat(result.getMessage()).isEqualTo("expected tools missing: sleep");
    }

    @Test
    void aCheckThatNeverReachedAServerCouldNotRun() {
        String line = "{\"ok\":false,\"reached\":false,\"attempts\":9,\"error\":\"cannot reach http://weather.team-a.svc/mcp: connection refused\"}";
        VerificationResult result = JobOutcome.of(job("Failed"), List.of(pod(line, 3)), LATER).orElseThrow();
        assertThat(result.getResult()).isEqualTo(VerificationResult.COULD_NOT_RUN);
        assertThat(result.getMessage()).contains("connection refused");
    }

    @Test
    void aJobKilledAtItsDeadlineWithoutReportCouldNotRun() {
        VerificationResult result = JobOutcome.of(job("Failed"), List.of(), LATER).orElseThrow();
        assertThat(result.couldNotRun()).isTrue();
        assertThat(result.getMessage()).isEqualTo("the verification Job failed and left no report: Job was active longer than specified deadline");
    }

    @Test
    void aCrashWithoutReportCouldNotRunAndKeepsItsLogTail() {
        VerificationResult result = JobOutcome.of(job("Failed"), List.of(pod("Error: could not find main class", 1)), LATER).orElseThrow();
        assertThat(result.getMessage()).isEqualTo("the verification Job failed and left no report: the check ended with exit code 1: Error: could not find main class");
    }

    @Test
    void whatTheServerSaidIsMadeSafeForConditionsAndEvents() {
        String line = "{\"ok\":false,\"reached\":true,\"serverName\":\"evil\\u001b[31m\\nname\",\"error\":\"" + "x".repeat(5000) + "\"}";
        VerificationResult result = JobOutcome.of(job("Failed"), List.of(pod(line, 1)), LATER).orElseThrow();
        assertThat(result.getServerName()).isEqualTo("evil [31m name");
        assertThat(result.getMessage()).hasSize(SmokeReportParser.MAX_TEXT + 3);
    }

    private static Job job(String finished) {
        JobBuilder job = new JobBuilder().withNewMetadata().withName(JOB).withUid(JOB_UID)
                .addToAnnotations(Annotations.REVISION, "aaaaaaaaaa").addToAnnotations(Annotations.VERIFICATION_CHECK, "c0ffee00")
                .addToAnnotations(Annotations.VERIFICATION_ATTEMPT, "1").endMetadata().withNewStatus().endStatus();
        if (finished != null) {
            job.editStatus().addNewCondition().withType(finished).withStatus("True").withLastTransitionTime(FINISHED.toString())
                    .withReason("Failed".equals(finished) ? "DeadlineExceeded" : null)
                    .withMessage("Failed".equals(finished) ? "Job was active longer than specified deadline" : null)
                    .endCondition().endStatus();
        }
        return job.build();
    }

    private static Pod pod(String message, int exitCode) {
        return new PodBuilder().withNewMetadata().withName(JOB + "-x").addToLabels("job-name", JOB)
                .addNewOwnerReference().withApiVersion("batch/v1").withKind("Job").withName(JOB).withUid(JOB_UID).withController(true).endOwnerReference()
                .endMetadata()
                .withNewStatus().addNewContainerStatus().withName("mcp-smoke").withNewState().withNewTerminated()
                .withExitCode(exitCode).withMessage(message).endTerminated().endState().endContainerStatus().endStatus().build();
    }
}
