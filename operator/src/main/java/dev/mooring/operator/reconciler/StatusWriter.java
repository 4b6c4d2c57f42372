package dev.mooring.operator.reconciler;

import dev.mooring.operator.apply.ServerSideApplier;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.api.v1alpha1.McpServerStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import jakarta.inject.Singleton;

/**
 * Writes an McpServer's status: a server-side apply of the status alone, cached for the next reconcile. The
 * resourceVersion it was computed from goes with it, so a write from a stale view fails (and the reconcile
 * runs again) instead of undoing what another operator instance recorded meanwhile.
 */
@Singleton
public class StatusWriter {
    public void write(McpServer server, McpServerStatus status, Context<McpServer> context) {
        McpServer only = statusOnly(server, status, server.getMetadata().getResourceVersion());
        PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(server, only, context);
    }

    /**
     * The status after a failed reconcile, applied whatever the object's version: the failure must reach the status
     * even when the object changed meanwhile (a spec edit), where a version-checked write would conflict and leave
     * the status saying nothing. The next reconcile computes the status afresh anyway.
     */
    public void writeAfterFailure(McpServer server, McpServerStatus status, Context<McpServer> context) {
        context.getClient().resource(statusOnly(server, status, null)).subresource("status").patch(new PatchContext.Builder()
                .withPatchType(PatchType.SERVER_SIDE_APPLY).withFieldManager(ServerSideApplier.FIELD_MANAGER).withForce(true).build());
    }

    /** The server named, with this status and nothing else; a resourceVersion makes the write fail if it is stale. */
    private static McpServer statusOnly(McpServer server, McpServerStatus status, String resourceVersion) {
        McpServer only = new McpServer();
        only.setMetadata(new ObjectMetaBuilder().withName(server.getMetadata().getName())
                .withNamespace(server.getMetadata().getNamespace()).withResourceVersion(resourceVersion).build());
        only.setStatus(status);
        return only;
    }
}
