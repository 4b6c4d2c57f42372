package dev.mooring.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.cluster.AuditLog;
import dev.mooring.operator.cluster.TestNamespace;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * An operator that writes while nothing changes costs the API server at scale and fights whoever shares its
 * objects. A verified server with everything Mooring makes (a PodDisruptionBudget, kept verification Jobs, a
 * ClientIP Service, the check ConfigMap, the session key Secret, a referenced Secret looked at every 30 s) and an
 * env var another controller added to its Deployment: over several rechecks the operator writes nothing at all in
 * its namespace (status, events and Jobs included), and the foreign env var stays.
 */
@ExtendWith(InClusterOperator.class)
@Lasts(seconds = 110)
@ResourceLock(value = NodeShares.OPERATOR, mode = ResourceAccessMode.READ)
class SteadyStateE2E {
    private static final String OPERATOR_USER = "system:serviceaccount:" + InClusterOperator.NAMESPACE + ":" + InClusterOperator.NAME;
    /** Two rechecks of referenced objects, and many periodic resyncs. */
    private static final Duration IDLE = Duration.ofSeconds(70);

    @RegisterExtension
    static final TestNamespace NAMESPACE = TestNamespace.restricted();

    private final ServersOnTheNode servers = new ServersOnTheNode(NAMESPACE);

    @Test
    void aVerifiedServerWhoseDeploymentCarriesAForeignEnvVarGetsNoWriteWhileNothingChanges() throws Exception {
        servers.putSecret("quiet-token", "t0k3n");
        servers.apply("quiet", ServerSpec.sdkV1().replicas(2).set("session.affinity", "ClientIP").envFromSecret("API_TOKEN", "quiet-token", "token"));
        await("quiet verified").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> servers.get("quiet"),
                s -> ServersOnTheNode.ready(s) && "True/Passed".equals(ServersOnTheNode.condition(s, "Verified")));

        // What a mutating controller or a platform team's kubectl does: its own field manager, its own entry.
        deployments().withName("quiet").patch(PatchContext.of(PatchType.STRATEGIC_MERGE), """
                {"spec": {"template": {"spec": {"containers": [{"name": "mcp-server", "env": [{"name": "PLATFORM_REGION", "value": "eu-1"}]}]}}}}""");
        await("the foreign change rolled out").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            Deployment d = deployments().withName("quiet").get();
            return d.getStatus().getObservedGeneration().equals(d.getMetadata().getGeneration()) && Integer.valueOf(2).equals(d.getStatus().getUpdatedReplicas())
                    && Integer.valueOf(2).equals(d.getStatus().getAvailableReplicas()) && Integer.valueOf(2).equals(d.getStatus().getReplicas())
                    && servers.pods("quiet").size() == 2 && ServersOnTheNode.ready(servers.get("quiet"));
        });
        settle();

        AuditLog audit = AuditLog.fromEnvironment();
        long mark = audit.mark();
        Thread.sleep(IDLE.toMillis());
        List<String> writes = audit.writesBy(OPERATOR_USER, NAMESPACE.name(), mark);
        System.out.printf("steady state: %d writes by the operator in %d s on a verified server with a budget, kept Jobs, a ClientIP Service and a foreign env var: %s%n",
                writes.size(), IDLE.toSeconds(), writes);
        assertThat(writes).as("writes by the operator while nothing changed").isEmpty();

        McpServer server = servers.get("quiet");
        assertThat(ServersOnTheNode.condition(server, "Verified")).isEqualTo("True/Passed");
        assertThat(NAMESPACE.client().policy().v1().podDisruptionBudget().inNamespace(NAMESPACE.name()).withName("quiet").get()).isNotNull();
        assertThat(NAMESPACE.client().batch().v1().jobs().inNamespace(NAMESPACE.name()).list().getItems()).as("kept verification Jobs").isNotEmpty();
        assertThat(NAMESPACE.client().services().inNamespace(NAMESPACE.name()).withName("quiet").get().getSpec().getSessionAffinity()).isEqualTo("ClientIP");
        assertThat(deployments().withName("quiet").get().getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .extracting(EnvVar::getName).contains("API_TOKEN", "PLATFORM_REGION");
        servers.delete("quiet");
    }

    private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<Deployment, io.fabric8.kubernetes.api.model.apps.DeploymentList,
            io.fabric8.kubernetes.client.dsl.RollableScalableResource<Deployment>> deployments() {
        return NAMESPACE.client().apps().deployments().inNamespace(NAMESPACE.name());
    }

    /** Until the server's status has not changed for 10 s: the last verification and rollout writes are over. */
    private void settle() {
        await("status settles").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            String before = servers.get("quiet").getMetadata().getResourceVersion();
            Thread.sleep(10_000);
            return before.equals(servers.get("quiet").getMetadata().getResourceVersion());
        });
    }
}
