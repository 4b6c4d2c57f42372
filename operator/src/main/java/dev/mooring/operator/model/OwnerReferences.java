package dev.mooring.operator.model;

import dev.mooring.operator.api.v1alpha1.McpServer;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

final class OwnerReferences {
    private OwnerReferences() {
    }

    /** Controller reference, so that deleting the McpServer deletes what Mooring made for it. */
    static OwnerReference controlledBy(McpServer server) {
        return new OwnerReferenceBuilder()
                .withApiVersion(server.getApiVersion())
                .withKind(server.getKind())
                .withName(server.getMetadata().getName())
                .withUid(server.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }
}
