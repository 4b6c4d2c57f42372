package dev.mooring.operator.model;

import dev.mooring.operator.api.v1alpha1.McpServer;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

/** The ClusterIP Service clients use, with a port named mcp. */
public final class ServerService {
    /** Kubernetes' own default; set explicitly so Mooring owns it and can take it away with ClientIP. */
    static final int AFFINITY_TIMEOUT_SECONDS = 10800;

    private ServerService() {
    }

    public static Service desired(McpServer server, boolean clientIpAffinity) {
        ServiceBuilder service = new ServiceBuilder()
                .withMetadata(ChildMetadata.build(server))
                .withNewSpec()
                    .withType("ClusterIP")
                    .withSelector(Labels.selector(server))
                    .addNewPort()
                        .withName(ServerDeployment.PORT_NAME)
                        .withPort(server.getSpec().getService().getPort())
                        .withTargetPort(new IntOrString(ServerDeployment.PORT_NAME))
                        .withProtocol("TCP")
                    .endPort()
                    .withSessionAffinity(clientIpAffinity ? "ClientIP" : "None")
                .endSpec();
        if (clientIpAffinity) {
            service.editSpec().withNewSessionAffinityConfig().withNewClientIP()
                    .withTimeoutSeconds(AFFINITY_TIMEOUT_SECONDS).endClientIP().endSessionAffinityConfig().endSpec();
        }
        return service.build();
    }

    /** The URL in-cluster clients use. */
    public static String endpoint(McpServer server) {
        var meta = server.getMetadata();
        int port = server.getSpec().getService().getPort();
        String host = meta.getName() + "." + meta.getNamespace() + ".svc";
        return "http://" + host + (port == 80 ? "" : ":" + port) + server.getSpec().getTransport().effectivePath();
    }
}
