package dev.mooring.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mooring.operator.cluster.TestNamespace;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator from its image, in the cluster, turning an McpServer into pods on a real node: probes, preStop,
 * grace period and security context as the spec implies, admitted under the `restricted` Pod Security
 * Standard, and a Service that answers MCP.
 */
@ExtendWith(InClusterOperator.class)
class OperatorInClusterE2E {
    @RegisterExtension
    static final TestNamespace NAMESPACE = TestNamespace.restricted();

    private final ServersOnTheNode servers = new ServersOnTheNode(NAMESPACE);

    @Test
    void referenceServerBecomesReadyWithTheDrainContractOnItsPods() throws Exception {
        servers.apply("reference", """
                replicas: 2
                drain:
                  timeout: 20s
                  preStopDelay: 3s
                """);
        servers.awaitReady("reference");

        assertThat(servers.pods("reference")).hasSize(2).allSatisfy(pod -> {
            assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
            assertThat(pod.getSpec().getTerminationGracePeriodSeconds()).as("preStop 3s + drain 20s + 5s").isEqualTo(28L);
            Container server = pod.getSpec().getContainers().get(0);
            assertThat(server.getLifecycle().getPreStop().getSleep().getSeconds()).isEqualTo(3L);
            assertThat(server.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health");
            assertThat(server.getEnv()).anySatisfy(env -> {
                assertThat(env.getName()).isEqualTo("DRAIN_TIMEOUT_MS");
                assertThat(env.getValue()).isEqualTo("20000");
            });
            assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSpec().getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            assertThat(server.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(server.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
            assertThat(server.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        });

        LoadFigures figures = new LoadFigures();
        McpSession session = new McpSession(McpSession.httpClient(), servers.endpointThroughNodePort("reference"), figures);
        assertThat(session.callTool("echo", "{\"text\":\"through the Service\"}").toString()).contains("through the Service");
    }

    @Test
    void theNamespaceRefusesPodsThatAreNotHardened() {
        Pod bare = new PodBuilder().withNewMetadata().withName("bare").endMetadata()
                .withNewSpec().addNewContainer().withName("bare").withImage(ServersOnTheNode.SERVER_IMAGE).endContainer().endSpec().build();

        assertThatThrownBy(() -> NAMESPACE.client().pods().inNamespace(NAMESPACE.name()).resource(bare).create())
                .isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("violates PodSecurity \"restricted:latest\"");
    }
}
