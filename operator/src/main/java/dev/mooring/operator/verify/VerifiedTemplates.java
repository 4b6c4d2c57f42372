package dev.mooring.operator.verify;

import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.model.Annotations;
import dev.mooring.operator.model.Labels;
import dev.mooring.operator.model.Revision;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.Optional;

/**
 * The pod template of the last verified revision, kept by Mooring in a ControllerRevision it owns (as
 * StatefulSets keep theirs), so that a rollback has its target even after the Deployment controller pruned
 * the ReplicaSet. A ControllerRevision's data is immutable: one object per verified revision,
 * `<name>-verified-<revision>`, and the previous one is deleted once the next revision passed.
 */
public final class VerifiedTemplates {
    public static final String COMPONENT = "verified-template";
    private static final String TEMPLATE = "template";

    private final KubernetesClient client;

    public VerifiedTemplates(KubernetesClient client) {
        this.client = client;
    }

    public static String name(McpServer server, String revision) {
        return server.getMetadata().getName() + "-verified-" + revision;
    }

    /**
     * Keeps {@code template} as the last verified one and drops the one kept for {@code previous}; false when
     * another owner's object holds the name.
     */
    public boolean keep(McpServer server, PodTemplateSpec template, String previous) {
        var meta = server.getMetadata();
        String revision = Revision.carriedBy(template);
        ControllerRevision kept = new ControllerRevisionBuilder()
                .withNewMetadata()
                    .withName(name(server, revision))
                    .withNamespace(meta.getNamespace())
                    .withLabels(Labels.standard(server, COMPONENT))
                    .withAnnotations(Map.of(Annotations.REVISION, revision))
                    .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(server.getApiVersion()).withKind(server.getKind())
                            .withName(meta.getName()).withUid(meta.getUid()).withController(true).withBlockOwnerDeletion(true).build())
                .endMetadata()
                .withData(Map.of(TEMPLATE, template))
                // Required by the API: the McpServer's generation when the revision passed.
                .withRevision(Optional.ofNullable(meta.getGeneration()).orElse(1L))
                .build();
        try {
            client.resource(kept).create();
        } catch (KubernetesClientException e) {
            // Kept already (the same revision passed again with other settings, or an operator died before its
            // status said so), unless somebody else's object has the name.
            ControllerRevision existing = e.getCode() == 409 ? client.resource(kept).get() : null;
            if (existing == null) {
                throw e;
            }
            if (!ownedBy(existing, server)) {
                return false;
            }
        }
        dropPrevious(server, previous, revision);
        return true;
    }

    private void dropPrevious(McpServer server, String previous, String revision) {
        if (previous == null || previous.equals(revision)) {
            return;
        }
        var old = client.apps().controllerRevisions().inNamespace(server.getMetadata().getNamespace()).withName(name(server, previous));
        ControllerRevision kept = old.get();
        if (kept != null && ownedBy(kept, server)) {
            old.delete();
        }
    }

    private static boolean ownedBy(ControllerRevision revision, McpServer server) {
        return revision.getMetadata().getOwnerReferences().stream().anyMatch(o -> server.getMetadata().getUid().equals(o.getUid()));
    }

    /** The kept template of {@code revision}, if that is the one kept and this server owns the object. */
    public Optional<PodTemplateSpec> template(McpServer server, String revision) {
        ControllerRevision kept = client.apps().controllerRevisions().inNamespace(server.getMetadata().getNamespace())
                .withName(name(server, revision)).get();
        if (kept == null || !revision.equals(kept.getMetadata().getAnnotations().get(Annotations.REVISION))
                || !ownedBy(kept, server) || kept.getData() == null) {
            return Optional.empty();
        }
        // The client reads `data` (a RawExtension) into whatever it likes; through a map it is the JSON it was.
        Map<?, ?> data = client.getKubernetesSerialization().convertValue(kept.getData(), Map.class);
        if (data == null || data.get(TEMPLATE) == null) {
            return Optional.empty();
        }
        return Optional.of(client.getKubernetesSerialization().convertValue(data.get(TEMPLATE), PodTemplateSpec.class));
    }
}
