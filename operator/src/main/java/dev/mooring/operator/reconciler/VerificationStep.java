package dev.mooring.operator.reconciler;

import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.api.v1alpha1.status.VerificationResult;
import dev.mooring.operator.apply.NameInUse;
import dev.mooring.operator.model.Labels;
import dev.mooring.operator.model.VerificationJob;
import dev.mooring.operator.verify.JobOutcome;
import dev.mooring.operator.verify.VerificationGate;
import dev.mooring.operator.verify.VerificationGate.JobState;
import dev.mooring.operator.verify.VerificationMetrics;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/** The verification Jobs of one server: reads their outcome, starts the next one, reports, and tidies up. */
final class VerificationStep {
    /** Finished Jobs kept for `kubectl logs` and `kubectl describe`; older ones are deleted. */
    static final int KEEP_JOBS = 3;
    private static final Logger LOG = Logger.getLogger(VerificationStep.class);

    private final String image;
    private final VerificationMetrics metrics;

    VerificationStep(String image, VerificationMetrics metrics) {
        this.image = image;
        this.metrics = metrics;
    }

    JobState jobState(McpServer server, String revision, String check, int attempt, Context<McpServer> context, Instant now) {
        String name = VerificationJob.name(server, revision, check, attempt);
        Optional<Job> job = jobs(context).stream().filter(j -> name.equals(j.getMetadata().getName())).findFirst();
        if (job.isEmpty()) {
            return new JobState.Absent();
        }
        return JobOutcome.of(job.get(), context.getSecondaryResources(Pod.class), now)
                .<JobState>map(JobState.Finished::new)
                .orElseGet(() -> new JobState.Running(name));
    }

    /** Acts on the decision's Job side; returns whether it wrote anything. */
    boolean act(McpServer server, String revision, VerificationGate.Decision decision, Context<McpServer> context, ServerEvents.Batch events) {
        boolean wrote = false;
        if (decision.startJob()) {
            start(server, revision, decision.startAttempt(), context, events);
            wrote = true;
        }
        VerificationResult before = server.getStatus() == null ? null : server.getStatus().getVerification();
        VerificationResult now = decision.verification();
        if (now != null && !Objects.equals(before, now) && revision.equals(now.getRevision())) {
            metrics.verified(now.getResult());
            if (toolsDrifted(before, now)) {
                metrics.toolSchemaChanged();
                events.warning(server, "ToolSchemaChanged", "revision " + revision + " lists other tools than when it was last checked: tool schema sha256 "
                        + before.getToolSchemaSha256() + " is now " + now.getToolSchemaSha256() + " (" + now.getToolCount() + " tools)");
            }
            if (now.passed()) {
                events.normal(server, "VerificationPassed", decision.message());
            } else if (now.couldNotRun()) {
                events.warning(server, "VerificationCouldNotRun", decision.message());
            } else {
                events.warning(server, "VerificationFailed", decision.message());
            }
        }
        return deleteOldJobs(server, context) || wrote;
    }

    /** The same revision, checked again, lists other tools: they changed without a deploy. */
    static boolean toolsDrifted(VerificationResult before, VerificationResult now) {
        return before != null && Objects.equals(before.getRevision(), now.getRevision()) && before.getToolSchemaSha256() != null
                && now.getToolSchemaSha256() != null && !before.getToolSchemaSha256().equals(now.getToolSchemaSha256());
    }

    private void start(McpServer server, String revision, int attempt, Context<McpServer> context, ServerEvents.Batch events) {
        Job job = VerificationJob.desired(server, revision, attempt, image);
        try {
            Job created = context.getClient().resource(job).create();
            informer(context).handleRecentResourceCreate(ResourceID.fromResource(server), created);
            events.normal(server, "VerificationStarted", "verifying revision " + revision + " with Job " + job.getMetadata().getName());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            // Created by an earlier run of this operator whose cache had not seen it yet: the same Job, keep it;
            // unless somebody else's Job has the name.
            Job existing = context.getClient().resource(job).get();
            if (existing != null) {
                NameInUse.requireSameController(job, existing);
            }
            LOG.debugf("verification Job %s exists already", job.getMetadata().getName());
        }
    }

    private boolean deleteOldJobs(McpServer server, Context<McpServer> context) {
        List<Job> finished = jobs(context).stream()
                .filter(j -> j.getStatus() != null && (nonZero(j.getStatus().getSucceeded()) || nonZero(j.getStatus().getFailed())))
                .sorted(Comparator.comparing((Job j) -> j.getMetadata().getCreationTimestamp()).reversed())
                .toList();
        List<Job> old = finished.stream().skip(KEEP_JOBS).toList();
        old.forEach(j -> context.getClient().resource(j).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete());
        return !old.isEmpty();
    }

    private static boolean nonZero(Integer count) {
        return count != null && count > 0;
    }

    private static List<Job> jobs(Context<McpServer> context) {
        return context.getSecondaryResources(Job.class).stream()
                .filter(j -> VerificationJob.COMPONENT.equals(j.getMetadata().getLabels().get(Labels.COMPONENT)))
                .toList();
    }

    @SuppressWarnings("unchecked")
    private static InformerEventSource<Job, McpServer> informer(Context<McpServer> context) {
        return (InformerEventSource<Job, McpServer>) context.eventSourceRetriever().getEventSourceFor(Job.class);
    }
}
