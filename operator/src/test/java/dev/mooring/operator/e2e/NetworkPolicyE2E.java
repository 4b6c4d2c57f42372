package dev.mooring.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.cluster.TestNamespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The NetworkPolicy Mooring keeps for a server, enforced by the node's kube-network-policies (hack/netpol.sh): a
 * pod in another namespace is refused, one in the server's namespace answered with MCP, the verification Job still
 * passes, the operator still reads new pods' MCP check on the proxy's admin port (which other namespaces cannot
 * reach), listing a namespace admits it without a rollout, and policy None removes the policy.
 */
@ExtendWith(InClusterOperator.class)
@ResourceLock(value = NodeShares.OPERATOR, mode = ResourceAccessMode.READ)
class NetworkPolicyE2E {
    @RegisterExtension
    static final TestNamespace SERVERS = TestNamespace.restricted();
    @RegisterExtension
    static final TestNamespace AGENTS = TestNamespace.restricted();

    private static final Duration SETTLED = Duration.ofMinutes(3);
    /** A dropped SYN is retried for longer than this: a refused caller fails within it, an admitted one does not. */
    private static final String CONNECT_SECONDS = "8";

    private final ServersOnTheNode servers = new ServersOnTheNode(SERVERS);

    @Test
    void admitsOnlyWhomTheSpecListsAndVerificationStillPasses() {
        servers.apply("weather", weather());
        McpServer first = verified("weather", null);
        NetworkPolicy policy = SERVERS.client().network().v1().networkPolicies().inNamespace(SERVERS.name()).withName("weather").get();
        assertThat(policy).as("the server's NetworkPolicy").isNotNull();
        String url = "http://weather." + SERVERS.name() + ".svc/mcp";
        String podIp = servers.pods("weather").get(0).getStatus().getPodIP();

        assertThat(probe(SERVERS, mcpCheck(url))).as("MCP from the server's own namespace").startsWith("0:");
        assertThat(probe(AGENTS, mcpCheck(url))).as("MCP from another namespace").doesNotStartWith("0:");
        assertThat(probe(AGENTS, tcpConnect(podIp, 15080))).as("the pod's MCP port from another namespace").doesNotStartWith("0:");
        assertThat(probe(SERVERS, tcpConnect(podIp, 15081))).as("the proxy's admin port from the server's namespace").doesNotStartWith("0:");

        servers.apply("weather", weather().set("network.namespaces", List.of(SERVERS.name(), AGENTS.name())));
        assertThat(probe(AGENTS, mcpCheck(url))).as("MCP from a listed namespace").startsWith("0:");
        assertThat(servers.get("weather").getStatus().getRevision()).as("a policy change rolls nothing").isEqualTo(first.getStatus().getRevision());

        // A new revision: its pod's MCP check is read by the operator on the admin port, and its Job verifies it.
        servers.apply("weather", weather().set("network.namespaces", List.of(SERVERS.name(), AGENTS.name())).env("FORECAST_DAYS", 3));
        McpServer second = verified("weather", first.getStatus().getRevision());
        assertThat(second.getStatus().getVerification().getGate()).isEqualTo("Service");

        servers.apply("weather", weather().set("network.policy", "None").env("FORECAST_DAYS", 3));
        await("the NetworkPolicy deleted").atMost(SETTLED).until(() -> SERVERS.client().network().v1().networkPolicies()
                .inNamespace(SERVERS.name()).withName("weather").get() == null);
        assertThat(servers.awaitEvents("NetworkPolicyDeleted")).isNotEmpty();
        assertThat(probe(AGENTS, tcpConnect(podIp(), 15081))).as("without a policy nothing is refused").startsWith("0:");
        servers.delete("weather");
    }

    private String podIp() {
        return servers.pods("weather").stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .findFirst().orElseThrow().getStatus().getPodIP();
    }

    private static List<String> mcpCheck(String url) {
        return List.of("mcp-smoke", "--url", url, "--timeout", CONNECT_SECONDS + "s");
    }

    /** Exits 0 when a TCP connection opens within the time. */
    private static List<String> tcpConnect(String ip, int port) {
        return List.of("timeout", CONNECT_SECONDS, "bash", "-c", "exec 3<>/dev/tcp/" + ip + "/" + port);
    }

    /** Runs the command in a pod of the namespace; returns "exit code: output". */
    private static String probe(TestNamespace namespace, List<String> command) {
        String name = "probe-" + UUID.randomUUID().toString().substring(0, 8);
        var client = namespace.client();
        client.pods().inNamespace(namespace.name()).resource(new PodBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec()
                    .withRestartPolicy("Never")
                    .withAutomountServiceAccountToken(false)
                    .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(10001L)
                        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
                    .addNewContainer().withName("probe").withImage(ServersOnTheNode.SERVER_IMAGE).withImagePullPolicy("IfNotPresent")
                        .withCommand(command)
                        .withNewSecurityContext().withAllowPrivilegeEscalation(false).withNewCapabilities().withDrop("ALL").endCapabilities()
                        .endSecurityContext()
                    .endContainer()
                .endSpec().build()).create();
        Pod done = await(name + " finished").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> client.pods().inNamespace(namespace.name()).withName(name).get(),
                        p -> "Succeeded".equals(p.getStatus().getPhase()) || "Failed".equals(p.getStatus().getPhase()));
        int exit = done.getStatus().getContainerStatuses().get(0).getState().getTerminated().getExitCode();
        String log = client.pods().inNamespace(namespace.name()).withName(name).getLog();
        client.pods().inNamespace(namespace.name()).withName(name).delete();
        System.out.printf("probe from %s: %s -> exit %d: %s%n", namespace.name(), command, exit, log.strip());
        return exit + ": " + log;
    }

    private McpServer verified(String name, String oldRevision) {
        return await(name + " verified at a new revision").atMost(SETTLED).pollInterval(Duration.ofMillis(500))
                .until(() -> servers.get(name), s -> ServersOnTheNode.ready(s) && !s.getStatus().getRevision().equals(oldRevision)
                        && "True/Passed".equals(ServersOnTheNode.condition(s, "Verified")));
    }

    /** The reference server, whose health endpoint the proxy reads on the admin port. */
    private static ServerSpec weather() {
        return ServerSpec.reference().replicas(1).set("health.path", "/health");
    }
}
