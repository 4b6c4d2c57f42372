package dev.mooring.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mooring.operator.cluster.TestNamespace;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.model.VerificationJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The operator from its image, in the cluster, turning an McpServer into pods on a real node: the Mooring proxy as
 * a native sidecar, the server's preStop waiting for its drain, grace period and security context as the spec
 * implies, admitted under the `restricted` Pod Security Standard, a Service that answers MCP through the proxy,
 * and the proxy's drain summary in its log when a pod stops.
 */
@ExtendWith(InClusterOperator.class)
@ResourceLock(value = NodeShares.OPERATOR, mode = ResourceAccessMode.READ)
class OperatorInClusterE2E {
    @RegisterExtension
    static final TestNamespace NAMESPACE = TestNamespace.restricted();

    private final ServersOnTheNode servers = new ServersOnTheNode(NAMESPACE);

    @Test
    void referenceServerRunsBehindTheProxyWhichDrainsItsPods() throws Exception {
        servers.apply("reference", spec(2));
        servers.awaitReady("reference");

        assertThat(servers.pods("reference")).hasSize(2).allSatisfy(pod -> {
            assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
            assertThat(pod.getSpec().getTerminationGracePeriodSeconds()).as("preStop 3s + drain 20s + 5s").isEqualTo(28L);
            Container server = pod.getSpec().getContainers().get(0);
            Container proxy = pod.getSpec().getInitContainers().get(0);
            assertThat(proxy.getName()).isEqualTo("mooring-proxy");
            assertThat(proxy.getRestartPolicy()).isEqualTo("Always");
            assertThat(proxy.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
            assertThat(server.getLifecycle().getPreStop().getHttpGet().getPath()).isEqualTo("/drain");
            assertThat(server.getEnv()).anySatisfy(env -> {
                assertThat(env.getName()).isEqualTo("DRAIN_TIMEOUT_MS");
                assertThat(env.getValue()).isEqualTo("20000");
            });
            assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSpec().getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            for (Container container : List.of(server, proxy)) {
                assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
                assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
                assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
            }
            assertThat(pod.getStatus().getInitContainerStatuses().get(0).getReady()).as("the proxy reports the server ready").isTrue();
        });
        assertThat(servers.get("reference").getStatus().getProxy()).isEqualTo("On");

        var answer = SdkLoad.oneClient(servers.endpointThroughNodePort("reference"));
        assertThat(answer.path("ok").asBoolean()).as("the official TypeScript client through the Service: " + answer).isTrue();
        assertThat(answer.path("echo").asText()).isEqualTo("from the TypeScript SDK");

        Pod stopped = servers.pods("reference").get(0);
        ByteArrayOutputStream proxyLog = new ByteArrayOutputStream();
        try (LogWatch follow = NAMESPACE.client().pods().inNamespace(NAMESPACE.name()).withName(stopped.getMetadata().getName())
                .inContainer("mooring-proxy").watchLog(proxyLog)) {
            NAMESPACE.client().pods().resource(stopped).delete();
            String log = await("the proxy's drain summary").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> proxyLog.toString(StandardCharsets.UTF_8), text -> text.contains("\"event\":\"drain\""));
            assertThat(log).as("a drained pod's proxy log").contains("\"outcome\":\"drained\"");
        }

        assertThat(NAMESPACE.client().policy().v1().podDisruptionBudget().inNamespace(NAMESPACE.name()).withName("reference").get())
                .as("two replicas have a disruption budget").isNotNull();
        servers.apply("reference", spec(1));
        await("no budget for one replica").atMost(Duration.ofSeconds(60)).until(() -> NAMESPACE.client().policy().v1()
                .podDisruptionBudget().inNamespace(NAMESPACE.name()).withName("reference").get() == null);
    }

    private static ServerSpec spec(int replicas) {
        return ServerSpec.reference().replicas(replicas).drain("20s", "3s");
    }

    @Test
    void aJobNamedLikeTheVerificationJobIsLeftAloneAndReported() {
        // Scaled to zero, the server has a revision and no verification Job yet: the name can be taken first.
        servers.apply("squatted", ServerSpec.reference().replicas(0));
        McpServer server = await("a revision").atMost(Duration.ofSeconds(60))
                .until(() -> servers.get("squatted"), s -> s != null && s.getStatus() != null && s.getStatus().getRevision() != null);
        String name = VerificationJob.name(server, server.getStatus().getRevision(), VerificationJob.check(server), 1);
        Job squatter = NAMESPACE.client().batch().v1().jobs().inNamespace(NAMESPACE.name()).resource(new JobBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withSuspend(true).withNewTemplate().withNewSpec().withRestartPolicy("Never")
                    .addNewContainer().withName("squatter").withImage(ServersOnTheNode.SERVER_IMAGE).endContainer()
                .endSpec().endTemplate().endSpec().build()).create();

        servers.apply("squatted", ServerSpec.reference().replicas(1));

        McpServer reported = await("Degraded/NameInUse").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> servers.get("squatted"), s -> "True/NameInUse".equals(ServersOnTheNode.condition(s, "Degraded")));
        assertThat(reported.getStatus().getConditions()).anySatisfy(c -> assertThat(c.getMessage()).contains(name));
        Job after = NAMESPACE.client().batch().v1().jobs().inNamespace(NAMESPACE.name()).withName(name).get();
        assertThat(after.getMetadata().getUid()).isEqualTo(squatter.getMetadata().getUid());
        assertThat(after.getMetadata().getOwnerReferences()).as("never adopted").isEmpty();
        assertThat(after.getSpec().getSuspend()).isTrue();
        assertThat(servers.awaitEvents("NameInUse")).anySatisfy(e -> assertThat(e.getType()).isEqualTo("Warning"));
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
