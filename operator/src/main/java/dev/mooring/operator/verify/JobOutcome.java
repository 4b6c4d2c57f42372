package dev.mooring.operator.verify;

import dev.mooring.operator.api.v1alpha1.status.VerificationResult;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import java.util.Collection;
import java.util.Optional;

/** Whether a verification Job has finished and, if so, what it found; read from the Job and its pod. */
public final class JobOutcome {
    private JobOutcome() {
    }

    /** Empty while the Job runs. */
    public static Optional<VerificationResult> of(Job job, Collection<Pod> pods, String revision) {
        Optional<JobCondition> finished = finished(job);
        if (finished.isEmpty()) {
            return Optional.empty();
        }
        boolean complete = "Complete".equals(finished.get().getType());
        Optional<ContainerStateTerminated> terminated = pods.stream()
                .filter(p -> job.getMetadata().getName().equals(p.getMetadata().getLabels().get("job-name")))
                .flatMap(p -> Optional.ofNullable(p.getStatus()).map(s -> s.getContainerStatuses().stream()).orElseGet(java.util.stream.Stream::empty))
                .map(ContainerStatus::getState)
                .filter(s -> s != null && s.getTerminated() != null)
                .map(s -> s.getTerminated())
                .findFirst();
        VerificationResult result = terminated.flatMap(t -> SmokeReportParser.parse(t.getMessage()))
                .orElseGet(() -> withoutReport(complete, finished.get(), terminated));
        result.setRevision(revision);
        result.setJob(job.getMetadata().getName());
        result.setFinishedAt(Optional.ofNullable(finished.get().getLastTransitionTime())
                .or(() -> Optional.ofNullable(job.getStatus().getCompletionTime())).orElse(null));
        return Optional.of(result);
    }

    private static VerificationResult withoutReport(boolean complete, JobCondition finished,
                                                    Optional<ContainerStateTerminated> terminated) {
        VerificationResult result = new VerificationResult();
        result.setResult(VerificationResult.FAILED);
        String why = terminated.map(t -> "the check ended with exit code " + t.getExitCode()
                        + Optional.ofNullable(t.getMessage()).filter(m -> !m.isBlank()).map(m -> ": " + m.strip()).orElse(""))
                .orElseGet(() -> Optional.ofNullable(finished.getMessage()).orElse(finished.getReason()));
        result.setMessage((complete ? "the check left no report: " : "the verification Job failed: ") + why);
        return result;
    }

    private static Optional<JobCondition> finished(Job job) {
        JobStatus status = job.getStatus();
        if (status == null || status.getConditions() == null) {
            return Optional.empty();
        }
        return status.getConditions().stream()
                .filter(c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType())) && "True".equals(c.getStatus()))
                .findFirst();
    }
}
