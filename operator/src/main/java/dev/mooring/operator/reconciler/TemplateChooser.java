package dev.mooring.operator.reconciler;

import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.api.v1alpha1.McpServerStatus;
import dev.mooring.operator.model.ServerDeployment;
import dev.mooring.operator.verify.VerificationGate;
import dev.mooring.operator.verify.VerifiedTemplates;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Objects;
import java.util.Optional;

/**
 * Which pod template the Deployment gets: the one the spec renders; the held one after a rollback; or the one
 * it runs now, while a rollback has no target (fail closed) or a rollout nobody asked for waits for its slot.
 */
final class TemplateChooser {

    /**
     * @param held                the template of the revision a rollback holds, when it was found
     * @param rollbackUnavailable why the held revision's template was found nowhere
     * @param queued              why the rendered revision waits for a rollout slot
     */
    record Choice(Optional<PodTemplateSpec> held, Optional<String> rollbackUnavailable, Optional<String> queued) {
    }

    private final VerifiedTemplates kept;
    private final RolloutPacer pacer;

    TemplateChooser(VerifiedTemplates kept, RolloutPacer pacer) {
        this.kept = kept;
        this.pacer = pacer;
    }

    /** Puts the chosen template into {@code desired} and says why when it is not the rendered one. */
    Choice choose(McpServer server, Deployment desired, Optional<Deployment> actual, String rendered, String check) {
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
        if (actual.isPresent() && unrequested(server, rendered, actual.get()) && !pacer.tryAcquire(ResourceID.fromResource(server))) {
            ServerDeployment.withTemplate(desired, actual.get().getSpec().getTemplate());
            return new Choice(Optional.empty(), Optional.empty(), Optional.of("revision " + rendered
                    + " comes from a change of Mooring, not of the spec, and waits for a rollout slot: "
                    + pacer.inUse() + " of " + pacer.slots() + " servers roll out such revisions now"));
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
     * reconciled it: this operator renders it differently (an upgrade). Such rollouts are paced.
     */
    private static boolean unrequested(McpServer server, String rendered, Deployment actual) {
        McpServerStatus status = server.getStatus();
        String serving = ServerDeployment.revision(actual);
        return status != null && Objects.equals(status.getObservedGeneration(), server.getMetadata().getGeneration())
                && !rendered.equals(serving) && Objects.equals(status.getRevision(), serving);
    }
}
