package dev.mooring.operator;

import dev.mooring.operator.api.v1alpha1.McpServer;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses to start, with what to do, when the McpServer CRD is missing, before the operator's informers fail on
 * it with a bare 404. It lists McpServers where the operator watches them, so it needs no permission on CRDs:
 * a namespaced install has none, and the SDK's own CRD check (off in application.properties) would need a
 * cluster-wide read.
 */
public class CrdPresence {
    static final String ALL_NAMESPACES = "JOSDK_ALL_NAMESPACES";

    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent started, KubernetesClient client,
               @ConfigProperty(name = "quarkus.operator-sdk.controllers.mcpserver.namespaces") List<String> namespaces) {
        var servers = client.resources(McpServer.class);
        var onePage = new ListOptionsBuilder().withLimit(1L).build();
        try {
            if (namespaces.contains(ALL_NAMESPACES)) {
                servers.inAnyNamespace().list(onePage);
            } else {
                servers.inNamespace(namespaces.get(0)).list(onePage);
            }
        } catch (KubernetesClientException e) {
            throw new IllegalStateException(explain(e, namespaces), e);
        }
    }

    static String explain(KubernetesClientException e, List<String> namespaces) {
        if (e.getCode() == 404) {
            return "the McpServer CRD (mcpservers.mooring.dev) is not installed: install the chart with crds.install=true, "
                    + "or apply crds/mcpservers.mooring.dev-v1.yml of this release, then restart the operator";
        }
        if (e.getCode() == 403) {
            return "the operator may not list McpServers in " + String.join(", ", namespaces)
                    + ": its RBAC does not match the namespaces it watches (" + e.getMessage() + ")";
        }
        return "cannot list McpServers to check that their CRD is installed: " + e.getMessage();
    }
}
