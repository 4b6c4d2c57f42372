package dev.mooring.operator.reconciler;

import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.api.v1alpha1.status.SessionKeyStatus;
import dev.mooring.operator.apply.NameInUse;
import dev.mooring.operator.model.SessionKeyRotation;
import dev.mooring.operator.model.SessionKeySecret;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The session key Secret of a server that hands sessions over: created before the pods that mount it, rotated every
 * {@code mooring.session.key-rotation} in two steps ({@link SessionKeyRotation}). Where it stands is kept in
 * status.sessionKey, so a server between rotations costs no request; the Secret is read only to rotate it.
 */
final class SessionKeyStep {
    private final KubernetesClient client;
    private final Duration period;

    SessionKeyStep(KubernetesClient client, Duration period) {
        this.client = client;
        this.period = period;
    }

    /** Where the key stands after this reconcile, and when to look again: only while a staged key waits to seal. */
    record Outcome(SessionKeyStatus key, Optional<Duration> recheck) {
    }

    Outcome ensure(McpServer server, Instant now, Runnable wrote) {
        SessionKeyStatus known = server.getStatus() == null ? null : server.getStatus().getSessionKey();
        if (known == null || known.getSealing() == null) {
            return new Outcome(create(server, now, wrote), Optional.empty());
        }
        SessionKeyRotation rotation = new SessionKeyRotation(known.getSealing(), instant(known.getSince()),
                known.getStaged(), instant(known.getStagedAt()));
        SessionKeyStatus next = switch (rotation.next(now, period)) {
            case NONE -> known;
            case STAGE -> stage(server, known, now, wrote);
            case PROMOTE -> promote(server, known, now, wrote);
        };
        if (next.getStaged() == null) {
            // A week away: the periodic resync looks often enough, and a long reschedule would replace it.
            return new Outcome(next, Optional.empty());
        }
        Duration wait = Duration.between(now, instant(next.getStagedAt()).plus(SessionKeyRotation.STAGE));
        return new Outcome(next, Optional.of(wait.isNegative() ? Duration.ZERO : wait));
    }

    private SessionKeyStatus create(McpServer server, Instant now, Runnable wrote) {
        Secret fresh = SessionKeySecret.fresh(server, now);
        // Asked first: a Secret of this name that another owner made is left alone (NameInUse); one Mooring made
        // before its status was written is the one the pods mount already.
        Secret existing = client.resource(fresh).get();
        if (existing != null) {
            NameInUse.requireSameController(fresh, existing);
            return status(SessionKeySecret.sealingKey(existing), now, null, null);
        }
        client.resource(fresh).create();
        wrote.run();
        return status(SessionKeySecret.sealingKey(fresh), now, null, null);
    }

    private SessionKeyStatus stage(McpServer server, SessionKeyStatus known, Instant now, Runnable wrote) {
        String id = SessionKeyRotation.keyId(now);
        patch(server, SessionKeySecret.staging(id));
        wrote.run();
        return status(known.getSealing(), instant(known.getSince()), id, now);
    }

    private SessionKeyStatus promote(McpServer server, SessionKeyStatus known, Instant now, Runnable wrote) {
        Secret secret = client.secrets().inNamespace(server.getMetadata().getNamespace()).withName(SessionKeySecret.name(server)).get();
        if (secret == null || secret.getData() == null || !secret.getData().containsKey("key-" + known.getStaged())) {
            // Gone or changed by someone else: start again with a fresh Secret.
            return create(server, now, wrote);
        }
        patch(server, SessionKeySecret.promoting(secret, known.getSealing(), known.getStaged()));
        wrote.run();
        return status(known.getStaged(), now, null, null);
    }

    private void patch(McpServer server, Map<String, String> data) {
        String body = client.getKubernetesSerialization().asJson(Map.of("data", data));
        client.secrets().inNamespace(server.getMetadata().getNamespace()).withName(SessionKeySecret.name(server))
                .patch(PatchContext.of(PatchType.JSON_MERGE), body);
    }

    private static SessionKeyStatus status(String sealing, Instant since, String staged, Instant stagedAt) {
        SessionKeyStatus status = new SessionKeyStatus();
        status.setSealing(sealing);
        status.setSince(since == null ? null : since.toString());
        status.setStaged(staged);
        status.setStagedAt(stagedAt == null ? null : stagedAt.toString());
        return status;
    }

    private static Instant instant(String text) {
        return text == null ? null : Instant.parse(text);
    }
}
