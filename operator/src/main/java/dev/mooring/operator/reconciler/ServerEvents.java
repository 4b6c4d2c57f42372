package dev.mooring.operator.reconciler;

import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.api.v1alpha1.McpServerStatus;
import dev.mooring.operator.model.ShortHash;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
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

    /**
     * An event when Ready changes, a rollout completes, or something degrades (a warning). Not when Ready only
     * follows verification: the verification step records its own events, with the Job's name.
     */
    void onTransitions(McpServer server, McpServerStatus before, McpServerStatus after) {
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
                warning(server, now.getReason(), now.getMessage());
            } else if ("Ready".equals(now.getType()) || "RolloutComplete".equals(now.getReason())) {
                normal(server, now.getReason(), now.getMessage());
            }
        }
    }

    private void emit(McpServer server, String type, String reason, String message) {
        emit(server, server.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8), type, reason, message);
    }

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
