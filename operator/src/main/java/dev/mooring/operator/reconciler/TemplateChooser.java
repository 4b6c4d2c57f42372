package dev.mooring.operator.reconciler;

import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.api.v1alpha1.McpServerStatus;
import dev.mooring.operator.model.ServerDeployment;
import dev.mooring.operator.status.ConditionType;
import dev.mooring.operator.verify.VerificationGate;
import dev.mooring.operator.verify.VerifiedTemplates;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which pod template the Deployment gets: the one the spec renders; the held one after a rollback; or the one
 * it runs now, while a rollback has no target (fail closed) or the new revision waits for a rollout slot.
 */
final class TemplateChooser {

    /**
     * @param held                the template of the revision a rollback holds, when it was found
     * @param rollbackUnavailable why the held revision's template was found nowhere
     * @param queued              why the rendered revision waits for a rollout slot
     */
    record Choice(Optional<PodTemplateSpec> held, Optional<String> rollbackUnavailable, Optional<RolloutPacer.Wait> queued) {
    }

    private final VerifiedTemplates kept;
    private final RolloutPacer pacer;

    TemplateChooser(VerifiedTemplates kept, RolloutPacer pacer) {
        this.kept = kept;
        this.pacer = pacer;
    }

    /** Puts the chosen template into {@code desired} and says why when it is not the rendered one. */
    Choice choose(McpServer server, Deployment desired, Optional<Deployment> actual, String rendered, String check,
                  Predicate<ResourceID> exists) {
        if (VerificationGate.holding(server, rendered, check)) {
            String to = server.getStatus().getRollback().getTo();
            Optional<PodTemplateSpec> held = heldTemplate(server, to, actual);
            if (held.isPresent()) {
                ServerDeployment.withTemplate(desired, held.get());
                return new Choice(held, Optional.empty(), Optional.empty());
            }
            // Fails closed: the revision that failed is not applied (again), whatever the Deployment runs now.
            actual.ifPresent(a -> ServerDeployment.withTemplate(desired, a.getSpec().getTemplate()));
            return new Choice(Optional.empty(), Optional.of("no template of revision " + to + " is kept (no ControllerRevision "
                    + VerifiedTemplates.name(server, to) + ")"), Optional.empty());
        }
        if (actual.isPresent() && !rendered.equals(ServerDeployment.revision(actual.get()))) {
            RolloutPacer.Kind kind = upgrade(server, rendered, actual.get()) ? RolloutPacer.Kind.UPGRADE : RolloutPacer.Kind.SPEC_CHANGE;
            Optional<RolloutPacer.Wait> wait = pacer.tryAcquire(ResourceID.fromResource(server), kind, rendered, exists);
            if (wait.isPresent()) {
                ServerDeployment.withTemplate(desired, actual.get().getSpec().getTemplate());
                return new Choice(Optional.empty(), Optional.empty(), wait);
            }
        }
        return new Choice(Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * The template Mooring holds after a rollback: the Deployment's own while it is that revision, else the one
     * Mooring kept when it passed. (ReplicaSets are not read: every verified revision has its ControllerRevision,
     * and the operator needs no right to read ReplicaSets.)
     */
    private Optional<PodTemplateSpec> heldTemplate(McpServer server, String revision, Optional<Deployment> actual) {
        if (actual.isPresent() && revision.equals(ServerDeployment.revision(actual.get()))) {
            return Optional.of(actual.get().getSpec().getTemplate());
        }
        return kept.template(server, revision);
    }

    /**
     * The spec renders another revision than the one serving, though the spec has not changed since Mooring last
     * reconciled it: this operator renders it differently (an upgrade), unless the server has been waiting for a slot
     * since its spec changed (the status written meanwhile observed the new generation).
     */
    private static boolean upgrade(McpServer server, String rendered, Deployment actual) {
        McpServerStatus status = server.getStatus();
        String serving = ServerDeployment.revision(actual);
        return status != null && Objects.equals(status.getObservedGeneration(), server.getMetadata().getGeneration())
                && !rendered.equals(serving) && Objects.equals(status.getRevision(), serving)
                && status.getConditions().stream().noneMatch(c -> ConditionType.Progressing.name().equals(c.getType())
                        && RolloutPacer.Kind.SPEC_CHANGE.reason.equals(c.getReason()));
    }
}
