package dev.mooring.operator.reconciler;

import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.model.ReferencedData;
import dev.mooring.operator.model.ReferencedObjects;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the Secrets and ConfigMaps a server references, by name: the operator may get a Secret it is told about,
 * but lists and watches none (a cluster-wide Secret informer would hold every credential of the cluster in its
 * memory). A rotation is therefore seen when the server is next reconciled, at the latest after {@link #RECHECK}.
 */
final class ReferenceReader {
    /** How often a server that references Secrets or ConfigMaps looks at them again. */
    static final java.time.Duration RECHECK = java.time.Duration.ofSeconds(30);

    private final KubernetesClient client;

    ReferenceReader(KubernetesClient client) {
        this.client = client;
    }

    ReferencedData read(McpServer server) {
        String namespace = server.getMetadata().getNamespace();
        return ReferencedData.of(ReferencedObjects.of(server.getSpec()), (kind, name) -> switch (kind) {
            case Secret -> Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get()).map(ReferenceReader::data);
            case ConfigMap -> Optional.ofNullable(client.configMaps().inNamespace(namespace).withName(name).get()).map(ReferenceReader::data);
        });
    }

    private static Map<String, String> data(Secret secret) {
        return merged(secret.getData(), secret.getStringData());
    }

    /** data and binaryData: their keys never overlap, and a change of either is a change. */
    private static Map<String, String> data(ConfigMap configMap) {
        return merged(configMap.getData(), configMap.getBinaryData());
    }

    private static Map<String, String> merged(Map<String, String> one, Map<String, String> other) {
        Map<String, String> data = new HashMap<>();
        if (one != null) {
            data.putAll(one);
        }
        if (other != null) {
            data.putAll(other);
        }
        return data;
    }
}
