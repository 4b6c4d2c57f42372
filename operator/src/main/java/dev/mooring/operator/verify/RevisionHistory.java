package dev.mooring.operator.verify;

import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.model.Labels;
import dev.mooring.operator.model.Revision;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/**
 * Pod templates of earlier revisions, from the ReplicaSets the Deployment keeps (revisionHistoryLimit). Read
 * only when a rollback needs one, so no informer watches ReplicaSets all the time.
 */
public final class RevisionHistory {
    /** Added by the Deployment controller to each ReplicaSet's template; never part of what Mooring applies. */
    private static final String POD_TEMPLATE_HASH = "pod-template-hash";

    private final KubernetesClient client;

    public RevisionHistory(KubernetesClient client) {
        this.client = client;
    }

    public Optional<PodTemplateSpec> template(McpServer server, String revision) {
        return client.apps().replicaSets().inNamespace(server.getMetadata().getNamespace())
                .withLabels(Labels.selector(server)).list().getItems().stream()
                .filter(rs -> revision.equals(Revision.carriedBy(rs.getSpec().getTemplate())))
                .findFirst()
                .map(rs -> {
                    PodTemplateSpec template = rs.getSpec().getTemplate();
                    template.getMetadata().getLabels().remove(POD_TEMPLATE_HASH);
                    return template;
                });
    }
}
