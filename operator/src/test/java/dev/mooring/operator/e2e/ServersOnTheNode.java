package dev.mooring.operator.e2e;

import static org.awaitility.Awaitility.await;

import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.cluster.TestNamespace;
import dev.mooring.operator.model.Annotations;
import dev.mooring.operator.model.Labels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/** McpServers in a test namespace (specs from ServerSpec), applied server-side the way users apply them, and what they run. */
final class ServersOnTheNode {
    static final String SERVER_IMAGE = System.getenv().getOrDefault("MOORING_SERVER_IMAGE", "mooring/mcp-server:dev");
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
    /** A rolling update of up to three replicas, one surge pod at a time, each within its startup allowance. */
    private static final Duration ROLLOUT_TIMEOUT = Duration.ofMinutes(4);
    /**
     * Where the NodePort probe connects from: never the load's 127.0.0.1. A connect refused before kube-proxy
     * forwards the port leaves a conntrack entry without NAT (SYN_SENT, 120 s after kube-proxy's REJECT), and a
     * later connection the kernel gives the same source port meets that entry and is refused by the node itself,
     * however healthy the pods: an SDK client that drew a probe's port within those 120 s failed a call (2 of 9,866
     * in one CI run, and about one call a run before it).
     */
    private static final String PROBE_SOURCE = "127.0.0.2";

    private final TestNamespace namespace;

    ServersOnTheNode(TestNamespace namespace) {
        this.namespace = namespace;
    }

    static final String PEERS_IMAGE = System.getenv().getOrDefault("MOORING_PEERS_IMAGE", "mooring/mcp-peers:dev");

    /** Applies (server-side, as user "e2e-user") an McpServer of this spec. */
    McpServer apply(String name, ServerSpec spec) {
        String yaml = """
                apiVersion: mooring.dev/v1alpha1
                kind: McpServer
                metadata:
                  name: %s
                spec:
                  image: %s
                  imagePullPolicy: IfNotPresent
                %s""".formatted(name, spec.image(), spec.yaml().indent(2));
        McpServer server = client().getKubernetesSerialization().unmarshal(yaml, McpServer.class);
        return client().resource(server).inNamespace(namespace.name()).fieldManager("e2e-user").forceConflicts().serverSideApply();
    }

    /** Creates or updates (server-side apply) a Secret in the namespace with one key, {@code token}. */
    void putSecret(String name, String token) {
        client().secrets().inNamespace(namespace.name()).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata().withName(name).endMetadata().withStringData(java.util.Map.of("token", token)).build()).serverSideApply();
    }

    /** The server's verification Jobs. */
    List<io.fabric8.kubernetes.api.model.batch.v1.Job> jobs(String name) {
        return client().batch().v1().jobs().inNamespace(namespace.name()).withLabel(Labels.INSTANCE, name).list().getItems();
    }

    void delete(String name) {
        client().resources(McpServer.class).inNamespace(namespace.name()).withName(name).delete();
    }

    McpServer awaitReady(String name) {
        return await(name + " Ready").atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> get(name), ServersOnTheNode::ready);
    }

    /**
     * Waits until the server is Ready on a revision other than {@code oldRevision} and only its pods are left, and
     * returns that revision.
     */
    String awaitRolledOutFrom(String name, String oldRevision, int replicas) {
        McpServer server = await(name + " new revision").atMost(ROLLOUT_TIMEOUT).pollInterval(Duration.ofMillis(250))
                .until(() -> get(name), s -> ready(s) && !oldRevision.equals(s.getStatus().getRevision()));
        awaitOnly(name, server.getStatus().getRevision(), replicas);
        return server.getStatus().getRevision();
    }

    /** Waits until exactly this many pods of the revision run and no other pod is left, even terminating. */
    void awaitOnly(String name, String revision, int replicas) {
        await(name + ": " + replicas + " pods of " + revision + " and no other").atMost(ROLLOUT_TIMEOUT).pollInterval(Duration.ofMillis(250))
                .until(() -> pods(name), pods -> pods.size() == replicas && pods.stream().allMatch(p -> p.getMetadata().getDeletionTimestamp() == null
                        && revision.equals(p.getMetadata().getAnnotations().get(Annotations.REVISION))));
    }

    McpServer get(String name) {
        return client().resources(McpServer.class).inNamespace(namespace.name()).withName(name).get();
    }

    /** The server's pods, not its verification Jobs' pods. */
    List<Pod> pods(String name) {
        return client().pods().inNamespace(namespace.name()).withLabel(Labels.INSTANCE, name)
                .withLabel(Labels.COMPONENT, Labels.SERVER_COMPONENT).list().getItems();
    }

    /**
     * A NodePort Service beside Mooring's, selecting the same pods with the same session affinity, reached on
     * 127.0.0.1: load from this machine stays on loopback. Returns once kube-proxy forwards the port, which it
     * learns by connecting from {@link #PROBE_SOURCE}.
     */
    URI endpointThroughNodePort(String name) {
        var mooring = await("Service " + name).atMost(READY_TIMEOUT)
                .until(() -> client().services().inNamespace(namespace.name()).withName(name).get(), s -> s != null);
        var service = client().services().inNamespace(namespace.name()).resource(new io.fabric8.kubernetes.api.model.ServiceBuilder()
                .withNewMetadata().withName(name + "-load").endMetadata()
                .withNewSpec().withType("NodePort")
                    .withSessionAffinity(mooring.getSpec().getSessionAffinity())
                    .withSessionAffinityConfig(mooring.getSpec().getSessionAffinityConfig())
                    .withSelector(java.util.Map.of(Labels.INSTANCE, name, Labels.COMPONENT, Labels.SERVER_COMPONENT))
                    .addNewPort().withName("mcp").withPort(80).withTargetPort(new io.fabric8.kubernetes.api.model.IntOrString("mcp")).endPort()
                .endSpec().build()).serverSideApply();
        int port = service.getSpec().getPorts().get(0).getNodePort();
        await("kube-proxy forwards 127.0.0.1:" + port).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            try (var socket = new java.net.Socket()) {
                socket.bind(new java.net.InetSocketAddress(PROBE_SOURCE, 0));
                socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
                return true;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        return URI.create("http://127.0.0.1:" + port + "/mcp");
    }

    /** The namespace's events of one reason. */
    List<io.fabric8.kubernetes.api.model.Event> events(String reason) {
        return client().v1().events().inNamespace(namespace.name()).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason())).toList();
    }

    /**
     * The namespace's events of one reason, once there is one: the operator records a reconcile's events after its
     * status write succeeds, so a condition can be seen a moment before the event that announces it.
     */
    List<io.fabric8.kubernetes.api.model.Event> awaitEvents(String reason) {
        return await("an event " + reason).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> events(reason), found -> !found.isEmpty());
    }

    /** A condition as "Status/Reason", or "missing". */
    static String condition(McpServer server, String type) {
        return server == null || server.getStatus() == null ? "missing" : server.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType())).map(c -> c.getStatus() + "/" + c.getReason()).findFirst().orElse("missing");
    }

    static boolean ready(McpServer server) {
        return server != null && server.getStatus() != null && server.getStatus().getConditions() != null
                && server.getMetadata().getGeneration().equals(server.getStatus().getObservedGeneration())
                && server.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private KubernetesClient client() {
        return namespace.client();
    }
}
