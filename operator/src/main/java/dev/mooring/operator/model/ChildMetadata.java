package dev.mooring.operator.model;

import dev.mooring.operator.api.v1alpha1.McpServer;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

/** Metadata of every object Mooring creates for a server: its name, namespace, labels and controller. */
final class ChildMetadata {
    private ChildMetadata() {
    }

    static ObjectMetaBuilder of(McpServer server) {
        return new ObjectMetaBuilder()
                .withName(server.getMetadata().getName())
                .withNamespace(server.getMetadata().getNamespace())
                .withLabels(Labels.server(server))
                // Controller reference: deleting the McpServer deletes what Mooring made for it.
                .withOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion(server.getApiVersion())
                        .withKind(server.getKind())
                        .withName(server.getMetadata().getName())
                        .withUid(server.getMetadata().getUid())
                        .withController(true)
                        .withBlockOwnerDeletion(true)
                        .build());
    }

    static ObjectMeta build(McpServer server) {
        return of(server).build();
    }
}
