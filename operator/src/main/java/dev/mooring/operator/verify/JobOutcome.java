package dev.mooring.operator.verify;

import dev.mooring.operator.api.v1alpha1.status.VerificationResult;
import dev.mooring.operator.model.Annotations;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Whether a verification Job has finished and, if so, what it found. The verdict comes from the Job's own
 * condition (Complete passes, Failed does not); the details come from the report its pod left, and only from a
 * pod that Job owns, so a pod with copied labels cannot speak for it.
 */
public final class JobOutcome {
    /** The second gate: the Job's check goes through the Service (DNS, Service, routing), as clients do. */
    public static final String GATE = "Service";
    /** How long a completed Job waits for its pod to reach the cache before it passes without the details. */
    static final Duration DETAILS_GRACE = Duration.ofSeconds(10);

    private JobOutcome() {
    }

    /** Empty while the Job runs (or has just completed and its pod's report may still be on its way). */
    public static Optional<VerificationResult> of(Job job, Collection<Pod> pods, Instant now) {
        Optional<JobCondition> finished = finished(job);
        if (finished.isEmpty()) {
            return Optional.empty();
        }
        boolean complete = "Complete".equals(finished.get().getType());
        Optional<ContainerStateTerminated> terminated = pods.stream()
                .filter(p -> ownedBy(p, job))
                .flatMap(p -> Optional.ofNullable(p.getStatus()).map(s -> s.getContainerStatuses().stream()).orElseGet(Stream::empty))
                .map(ContainerStatus::getState)
                .filter(s -> s != null && s.getTerminated() != null)
                .map(s -> s.getTerminated())
                .findFirst();
        Optional<SmokeReportParser.Report> report = terminated.flatMap(t -> SmokeReportParser.parse(t.getMessage()));
        String finishedAt = Optional.ofNullable(finished.get().getLastTransitionTime())
                .or(() -> Optional.ofNullable(job.getStatus().getCompletionTime())).orElse(null);
        if (complete && report.isEmpty() && finishedAt != null && now.isBefore(Instant.parse(finishedAt).plus(DETAILS_GRACE))) {
            return Optional.empty();
        }
        VerificationResult result = report.map(SmokeReportParser.Report::result).orElseGet(VerificationResult::new);
        if (complete) {
            result.setResult(VerificationResult.PASSED);
            result.setMessage(null);
        } else if (report.isPresent() && report.get().reached()) {
            result.setResult(VerificationResult.FAILED);
        } else {
            result.setResult(VerificationResult.COULD_NOT_RUN);
            if (report.isEmpty()) {
                result.setMessage("the verification Job failed and left no report: " + withoutReport(finished.get(), terminated));
            }
        }
        var annotations = job.getMetadata().getAnnotations();
        result.setRevision(annotations.get(Annotations.REVISION));
        result.setCheck(annotations.get(Annotations.VERIFICATION_CHECK));
        result.setAttempt(Optional.ofNullable(annotations.get(Annotations.VERIFICATION_ATTEMPT)).map(Integer::valueOf).orElse(1));
        result.setJob(job.getMetadata().getName());
        result.setGate(GATE);
        result.setFinishedAt(finishedAt);
        return Optional.of(result);
    }

    private static boolean ownedBy(Pod pod, Job job) {
        return pod.getMetadata().getOwnerReferences().stream()
                .anyMatch(o -> Boolean.TRUE.equals(o.getController()) && job.getMetadata().getUid() != null
                        && job.getMetadata().getUid().equals(o.getUid()));
    }

    private static String withoutReport(JobCondition finished, Optional<ContainerStateTerminated> terminated) {
        return terminated.map(t -> "the check ended with exit code " + t.getExitCode()
                        + Optional.ofNullable(t.getMessage()).filter(m -> !m.isBlank()).map(m -> ": " + m.strip()).orElse(""))
                .orElseGet(() -> Optional.ofNullable(finished.getMessage()).orElse(finished.getReason()));
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
