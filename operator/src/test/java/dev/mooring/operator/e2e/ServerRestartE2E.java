package dev.mooring.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.cluster.TestNamespace;
import dev.mooring.operator.model.ServerDeployment;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * A server container the kubelet restarts after a failed liveness probe serves again. The kubelet runs the
 * container's preStop, the proxy's drain, before such a restart too; a proxy left draining kept the pod out of the
 * Service for good (CI: a server killed by its startup probe on a starved node left a rollout stuck for minutes).
 * The server is the official TypeScript SDK v1 server, whose first container fails /livez (FAIL_LIVEZ_ONCE) until
 * the startup probe's 20 s are up: it must answer the MCP check before that, which a Node.js server does in a second
 * or two even beside ten starting pods, and a reference-server JVM once did not.
 */
@ExtendWith(InClusterOperator.class)
@Lasts(seconds = 45)
@ResourceLock(value = NodeShares.OPERATOR, mode = ResourceAccessMode.READ)
class ServerRestartE2E {
    @RegisterExtension
    static final TestNamespace NAMESPACE = TestNamespace.restricted();

    private final ServersOnTheNode servers = new ServersOnTheNode(NAMESPACE);

    @Test
    void aServerRestartedByItsLivenessProbeServesAgain() {
        servers.apply("restarted", ServerSpec.sdkV1().replicas(1).set("health.livenessPath", "/livez").set("health.startupTimeout", "20s")
                .set("health.periodSeconds", 1).set("health.failureThreshold", 2).drain("5s", "1s").env("FAIL_LIVEZ_ONCE", true));
        McpServer ready = servers.awaitReady("restarted");

        List<Pod> pods = servers.pods("restarted");
        assertThat(pods).hasSize(1);
        ContainerStatus server = pods.get(0).getStatus().getContainerStatuses().stream()
                .filter(c -> ServerDeployment.CONTAINER.equals(c.getName())).findFirst().orElseThrow();
        assertThat(server.getRestartCount()).as("the kubelet restarted the server container").isPositive();
        assertThat(server.getReady()).isTrue();
        assertThat(ready.getStatus().getVerification().getResult()).isEqualTo("Passed");

        JsonNode answer = SdkLoad.oneClient(servers.endpointThroughNodePort("restarted"));
        assertThat(answer.path("ok").asBoolean()).as("the official SDK client through the Service: " + answer).isTrue();
        assertThat(answer.path("echo").asText()).isEqualTo("from the TypeScript SDK");
    }
}
