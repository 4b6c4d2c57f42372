package dev.mooring.operator.reconciler;

import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.api.v1alpha1.McpServerStatus;
import dev.mooring.operator.model.ShortHash;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.ArrayList;
import org.jboss.logging.Logger;

/** Kubernetes Events on the McpServer, for what `kubectl describe mcps` shows. Emitted on changes only. */
@ApplicationScoped
public class ServerEvents {
    private static final Logger LOG = Logger.getLogger(ServerEvents.class);
    private static final String COMPONENT = "mooring-operator";

    private final KubernetesClient client;
    private final Clock clock;

    public ServerEvents(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    public void normal(McpServer server, String reason, String message) {
        emit(server, "Normal", reason, message);
    }

    public void warning(McpServer server, String reason, String message) {
        emit(server, "Warning", reason, message);
    }

    /**
     * A warning recorded at most once per key, however many operators try: its name derives from the key, so a
     * successor that repeats the step its predecessor died in gets a conflict instead of a second event. Returns
     * false only when the event was already there.
     */
    boolean warningOnce(McpServer server, String reason, String message, String key) {
        var meta = server.getMetadata();
        String name = meta.getName() + "." + reason.toLowerCase(Locale.ROOT) + "-" + ShortHash.of(meta.getUid() + "/" + key, 12);
        return emit(server, name, "Warning", reason, message);
    }

    @FunctionalInterface
    private interface Emitter {
        void emit(McpServer server, String reason, String message);
    }

    /**
     * An event when Ready changes, a rollout completes, or something degrades (a warning). Not when Ready only
     * follows verification: the verification step records its own events, with the Job's name.
     */
    private static void transitions(Emitter normal, Emitter warning, McpServer server, McpServerStatus before, McpServerStatus after) {
        List<Condition> previous = before == null ? List.of() : before.getConditions();
        String verifiedReason = after.getConditions().stream().filter(c -> "Verified".equals(c.getType()))
                .map(Condition::getReason).findFirst().orElse(null);
        for (Condition now : after.getConditions()) {
            Condition was = previous.stream().filter(c -> c.getType().equals(now.getType())).findFirst().orElse(null);
            if (was != null && Objects.equals(was.getReason(), now.getReason()) && Objects.equals(was.getStatus(), now.getStatus())) {
                continue;
            }
            if ("Ready".equals(now.getType()) && "False".equals(now.getStatus()) && Objects.equals(now.getReason(), verifiedReason)) {
                continue;
            }
            boolean bad = "Degraded".equals(now.getType()) && "True".equals(now.getStatus());
            if (bad) {
                warning.emit(server, now.getReason(), now.getMessage());
            } else if ("Ready".equals(now.getType()) || "RolloutComplete".equals(now.getReason())) {
                normal.emit(server, now.getReason(), now.getMessage());
            }
        }
    }

    /**
     * Events of one reconcile, recorded only once its status write has succeeded: a reconcile that fails and is
     * retried does not announce the same step twice.
     */
    Batch batch() {
        return new Batch();
    }

    final class Batch {
        private final List<Runnable> pending = new ArrayList<>();

        void normal(McpServer server, String reason, String message) {
            pending.add(() -> ServerEvents.this.normal(server, reason, message));
        }

        void warning(McpServer server, String reason, String message) {
            pending.add(() -> ServerEvents.this.warning(server, reason, message));
        }

        void onTransitions(McpServer server, McpServerStatus before, McpServerStatus after) {
            transitions(this::normal, this::warning, server, before, after);
        }

        void record() {
            pending.forEach(Runnable::run);
            pending.clear();
        }
    }

    /**
     * One Event per server, reason and message, as kubectl and client-go's recorder aggregate them: the same
     * occurrence again raises its count and last timestamp instead of adding an Event.
     */
    private void emit(McpServer server, String type, String reason, String message) {
        var meta = server.getMetadata();
        String name = meta.getName() + "." + reason.toLowerCase(Locale.ROOT) + "-"
                + ShortHash.of(meta.getUid() + "/" + type + "/" + reason + "/" + message, 12);
        if (!emit(server, name, type, reason, message)) {
            countAgain(meta.getNamespace(), name);
        }
    }

    private void countAgain(String namespace, String name) {
        try {
            var events = client.v1().events().inNamespace(namespace).withName(name);
            Event existing = events.get();
            if (existing == null) {
                return;
            }
            String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
            int count = existing.getCount() == null ? 1 : existing.getCount();
            events.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"count\":" + (count + 1) + ",\"lastTimestamp\":\"" + now + "\"}");
        } catch (KubernetesClientException e) {
            LOG.warnf("could not count event %s/%s again: %s", namespace, name, e.getMessage());
        }
    }

    /** Creates the event; false when one of that name exists already. */
    private boolean emit(McpServer server, String name, String type, String reason, String message) {
        var meta = server.getMetadata();
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        try {
            client.v1().events().inNamespace(meta.getNamespace()).resource(new EventBuilder()
                    .withNewMetadata()
                        .withName(name)
                        .withNamespace(meta.getNamespace())
                    .endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder()
                            .withApiVersion(server.getApiVersion()).withKind(server.getKind())
                            .withName(meta.getName()).withNamespace(meta.getNamespace())
                            .withUid(meta.getUid()).withResourceVersion(meta.getResourceVersion()).build())
                    .withType(type)
                    .withReason(reason)
                    .withMessage(message)
                    .withNewSource().withComponent(COMPONENT).endSource()
                    .withReportingComponent(COMPONENT)
                    .withFirstTimestamp(now)
                    .withLastTimestamp(now)
                    .withCount(1)
                    .build()).create();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return false;
            }
            // An event is a courtesy; failing to record one must not fail the reconcile.
            LOG.warnf("could not record event %s on %s/%s: %s", reason, meta.getNamespace(), meta.getName(), e.getMessage());
            return true;
        }
    }
}
