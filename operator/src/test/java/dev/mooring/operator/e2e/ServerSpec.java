package dev.mooring.operator.e2e;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The spec of a test McpServer, holding only the fields a test sets, as a user's YAML would: a field left out is
 * absent from what is applied (so the API server's defaults and the operator's handling of a missing field are what
 * is tested), never a Java default. Each end-to-end class builds its servers here instead of writing YAML.
 */
final class ServerSpec {
    /** The official TypeScript SDK v1 server's script in the peers image (ServersOnTheNode.PEERS_IMAGE). */
    static final String SDK_V1_SCRIPT = "stateful-v1-server.mjs";

    private final String image;
    private final Map<String, Object> fields;

    private ServerSpec(String image, Map<String, Object> fields) {
        this.image = image;
        this.fields = fields;
    }

    /** The reference server (ServersOnTheNode.SERVER_IMAGE), a Quarkus JVM. */
    static ServerSpec reference() {
        return new ServerSpec(ServersOnTheNode.SERVER_IMAGE, new LinkedHashMap<>());
    }

    /**
     * The official TypeScript SDK v1 server of the peers image (server-image/peers/stateful-v1-server.mjs: 2025
     * sessions, no health endpoint, no SIGTERM handler; tools echo, add, wait, progress, and HIDE_TOOLS hides some): it
     * listens within a second, for tests that judge what Mooring does rather than the reference server.
     */
    static ServerSpec sdkV1() {
        return peers(SDK_V1_SCRIPT);
    }

    /** A script of the peers image (server-image/peers). */
    static ServerSpec peers(String script) {
        return new ServerSpec(ServersOnTheNode.PEERS_IMAGE, new LinkedHashMap<>()).set("args", List.of(script));
    }

    /** An independent copy, for specs that start from a shared base. */
    ServerSpec copy() {
        return new ServerSpec(image, deepCopy(fields));
    }

    String image() {
        return image;
    }

    ServerSpec replicas(int replicas) {
        return set("replicas", replicas);
    }

    /** An env var with a literal value, after those set before. */
    ServerSpec env(String name, Object value) {
        return addTo("env", Map.of("name", name, "value", String.valueOf(value)));
    }

    /** An env var from one key of a Secret. */
    ServerSpec envFromSecret(String name, String secret, String key) {
        return addTo("env", Map.of("name", name, "valueFrom", Map.of("secretKeyRef", Map.of("name", secret, "key", key))));
    }

    /** Every key of a ConfigMap as env vars. */
    ServerSpec envFromConfigMap(String configMap) {
        return addTo("envFrom", Map.of("configMapRef", Map.of("name", configMap)));
    }

    ServerSpec drain(String timeout, String preStopDelay) {
        return set("drain.timeout", timeout).set("drain.preStopDelay", preStopDelay);
    }

    /** Only the second gate, the Job through the Service: the check before traffic is off. */
    ServerSpec secondGateOnly() {
        return set("verification.beforeTraffic", false);
    }

    ServerSpec expectedTools(String... tools) {
        return set("verification.expectedTools", List.of(tools));
    }

    /** Any field by its dotted path under spec, such as {@code session.affinity}. */
    ServerSpec set(String path, Object value) {
        Map<String, Object> parent = fields;
        String[] names = path.split("\\.");
        for (int i = 0; i < names.length - 1; i++) {
            parent = child(parent, names[i]);
        }
        parent.put(names[names.length - 1], value);
        return this;
    }

    /** The spec as YAML lines, as a user would write them under {@code spec:}. */
    String yaml() {
        return Serialization.asYaml(fields).replaceFirst("^---\\n", "");
    }

    @Override
    public String toString() {
        return image + " " + fields;
    }

    @SuppressWarnings("unchecked")
    private ServerSpec addTo(String list, Map<String, Object> item) {
        ((List<Object>) fields.computeIfAbsent(list, k -> new ArrayList<>())).add(item);
        return this;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> parent, String name) {
        return (Map<String, Object>) parent.computeIfAbsent(name, k -> new LinkedHashMap<>());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, Object> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> copy.put(key, value instanceof Map<?, ?> m ? deepCopy((Map<String, Object>) m)
                : value instanceof List<?> l ? new ArrayList<>(l) : value));
        return copy;
    }
}
