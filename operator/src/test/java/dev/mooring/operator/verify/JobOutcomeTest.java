package dev.mooring.operator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.operator.api.v1alpha1.status.VerificationResult;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobOutcomeTest {
    private static final String JOB = "weather-verify-aaaaaaaaaa";
    private static final String PASSED_LINE = """
            {"ok":true,"url":"http://weather.team-a.svc/mcp","transport":"streamable-http","protocolVersion":"2025-11-25",\
            "serverName":"weather","serverVersion":"1.4.2","toolCount":2,"tools":["a","b"],"toolSchemaSha256":"%s",\
            "sessionIssuing":true,"latencyMs":{"handshake":12,"toolsList":4,"total":25},"error":null}""".formatted("0".repeat(64));

    @Test
    void saysNothingWhileTheJobRuns() {
        assertThat(JobOutcome.of(job(null), List.of(pod(PASSED_LINE, 0)), "aaaaaaaaaa")).isEmpty();
    }

    @Test
    void copiesThePassingReportFromTheTerminationMessage() {
        VerificationResult result = JobOutcome.of(job("Complete"), List.of(pod(PASSED_LINE, 0)), "aaaaaaaaaa").orElseThrow();
        assertThat(result.passed()).isTrue();
        assertThat(result.getRevision()).isEqualTo("aaaaaaaaaa");
        assertThat(result.getJob()).isEqualTo(JOB);
        assertThat(result.getServerVersion()).isEqualTo("1.4.2");
        assertThat(result.getToolCount()).isEqualTo(2);
        assertThat(result.getSessionIssuing()).isTrue();
        assertThat(result.getLatencyMs()).containsEntry("handshake", 12L).containsEntry("total", 25L);
        assertThat(result.getFinishedAt()).isEqualTo("2026-11-21T10:00:00Z");
        assertThat(result.getMessage()).isNull();
    }

    @Test
    void aFailingReportCarriesTheClientsMessage() {
        String line = "{\"ok\":false,\"toolCount\":null,\"sessionIssuing\":null,\"latencyMs\":{},\"error\":\"expected tools missing: sleep\"}";
        VerificationResult result = JobOutcome.of(job("Failed"), List.of(pod(line, 1)), "aaaaaaaaaa").orElseThrow();
        assertThat(result.passed()).isFalse();
        assertThat(result.getMessage()).isEqualTo("expected tools missing: sleep");
    }

    @Test
    void aJobKilledAtItsDeadlineFailsWithTheJobsReason() {
        VerificationResult result = JobOutcome.of(job("Failed"), List.of(), "aaaaaaaaaa").orElseThrow();
        assertThat(result.passed()).isFalse();
        assertThat(result.getMessage()).isEqualTo("the verification Job failed: Job was active longer than specified deadline");
    }

    @Test
    void aCrashWithoutReportFailsWithItsLogTail() {
        VerificationResult result = JobOutcome.of(job("Failed"), List.of(pod("Error: could not find main class", 1)), "aaaaaaaaaa").orElseThrow();
        assertThat(result.getMessage()).isEqualTo("the verification Job failed: the check ended with exit code 1: Error: could not find main class");
    }

    private static Job job(String finished) {
        JobBuilder job = new JobBuilder().withNewMetadata().withName(JOB).endMetadata().withNewStatus().endStatus();
        if (finished != null) {
            job.editStatus().addNewCondition().withType(finished).withStatus("True").withLastTransitionTime("2026-11-21T10:00:00Z")
                    .withReason("Failed".equals(finished) ? "DeadlineExceeded" : null)
                    .withMessage("Failed".equals(finished) ? "Job was active longer than specified deadline" : null)
                    .endCondition().endStatus();
        }
        return job.build();
    }

    private static Pod pod(String message, int exitCode) {
        return new PodBuilder().withNewMetadata().withName(JOB + "-x").addToLabels("job-name", JOB).endMetadata()
                .withNewStatus().addNewContainerStatus().withName("mcp-smoke").withNewState().withNewTerminated()
                .withExitCode(exitCode).withMessage(message).endTerminated().endState().endContainerStatus().endStatus().build();
    }
}
