package dev.mooring.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mooring.operator.TestServers;
import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.api.v1alpha1.McpServerStatus;
import dev.mooring.operator.api.v1alpha1.status.RollbackRecord;
import dev.mooring.operator.model.Annotations;
import dev.mooring.operator.model.ServerDeployment;
import dev.mooring.operator.reconciler.ReconcileMetrics;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator, running in this JVM, against a real kube-apiserver and kube-controller-manager. The servers
 * select a node that does not exist, so their pods stay Pending, which is all this layer needs; the end-to-end
 * tests (*E2E) run pods. Reconciles are forced every 2 s here.
 */
@QuarkusTest
@WithTestResource(CrdInstalled.class)
class McpServerReconcileIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Longer than two forced resyncs. */
    private static final Duration QUIET_WINDOW = Duration.ofSeconds(7);

    @RegisterExtension
    static final TestNamespace NAMESPACE = new TestNamespace();

    @Inject
    ReconcileMetrics metrics;

    private final KubernetesClient client = NAMESPACE.client();

    @Test
    void createsDeploymentServiceAndBudgetOwnedByTheServer() {
        McpServer server = create("weather", 2);
        Deployment deployment = await("Deployment").atMost(TIMEOUT).until(() -> deployment("weather"), d -> d != null);
        Service service = await("Service").atMost(TIMEOUT).until(() -> client.services().inNamespace(ns()).withName("weather").get(), s -> s != null);
        PodDisruptionBudget pdb = await("PodDisruptionBudget").atMost(TIMEOUT)
                .until(() -> client.policy().v1().podDisruptionBudget().inNamespace(ns()).withName("weather").get(), p -> p != null);

        for (var owned : List.of(deployment, service, pdb)) {
            assertThat(owned.getMetadata().getOwnerReferences()).singleElement()
                    .satisfies(o -> assertThat(o.getUid()).isEqualTo(server.getMetadata().getUid()));
        }
        var strategy = deployment.getSpec().getStrategy().getRollingUpdate();
        assertThat(strategy.getMaxUnavailable().getIntVal()).isZero();
        var pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(35L);
        assertThat(pod.getContainers().get(0).getLifecycle().getPreStop().getSleep().getSeconds()).isEqualTo(5L);
        assertThat(service.getSpec().getPorts().get(0).getName()).isEqualTo("mcp");
        assertThat(service.getSpec().getSessionAffinity()).isEqualTo("ClientIP");

        McpServer reported = await("status from the Deployment controller").atMost(TIMEOUT).until(() -> get("weather"),
                s -> s.getStatus() != null && Integer.valueOf(2).equals(s.getStatus().getUpdatedReplicas()));
        assertThat(reported.getStatus().getObservedGeneration()).isEqualTo(1L);
        assertThat(reported.getStatus().getRevision())
                .isEqualTo(deployment.getSpec().getTemplate().getMetadata().getAnnotations().get(Annotations.REVISION));
        assertThat(reported.getStatus().getEndpoint()).as("published once a revision is verified").isNull();
        assertThat(reported.getStatus().getTerminationGracePeriodSeconds()).isEqualTo(35L);
        assertThat(reported.getStatus().getConditions()).extracting(c -> c.getType() + "=" + c.getStatus())
                .contains("Ready=False", "Progressing=True", "Verified=Unknown", "Degraded=False");
    }

    @Test
    void writesNothingWhenNothingChanged() {
        create("quiet", 1);
        settle("quiet");
        AuditLog audit = AuditLog.fromEnvironment();
        long mark = audit.mark();
        double unchangedBefore = metrics.unchanged();
        sleep(QUIET_WINDOW);
        assertThat(metrics.unchanged() - unchangedBefore).as("reconciles that found nothing to do").isGreaterThanOrEqualTo(2);
        assertThat(audit.mooringWritesSince(mark, ns())).as("writes by Mooring's field manager").isEmpty();
    }

    @Test
    void keepsFieldsItDoesNotOwn() {
        create("shared", null);
        settle("shared");
        var deployments = client.apps().deployments().inNamespace(ns()).withName("shared");
        deployments.scale(3);
        deployments.patch(PatchContext.of(PatchType.STRATEGIC_MERGE), """
                {"metadata": {"annotations": {"webhook.example.com/injected": "yes"}},
                 "spec": {"template": {"metadata": {"annotations": {"kubectl.kubernetes.io/restartedAt": "2026-11-21T10:00:00Z"}}}}}""");
        sleep(QUIET_WINDOW);
        assertForeignFieldsIntact(deployment("shared"));

        edit("shared", s -> s.getSpec().setImage("registry.example.com/weather-mcp:2.0"));
        Deployment updated = await("new image applied").atMost(TIMEOUT).until(() -> deployment("shared"),
                d -> d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage().endsWith(":2.0"));
        assertForeignFieldsIntact(updated);
    }

    @Test
    void handsReplicasToAnAutoscalerWithoutDroppingPods() {
        create("autoscaled", 3);
        var deployments = client.apps().deployments().inNamespace(ns()).withName("autoscaled");
        await("three replicas").atMost(TIMEOUT).until(() -> deployment("autoscaled"), d -> d != null && d.getSpec().getReplicas() == 3);
        edit("autoscaled", s -> s.getSpec().setReplicas(null));
        sleep(QUIET_WINDOW);
        assertThat(deployments.get().getSpec().getReplicas()).as("replicas once spec.replicas is gone").isEqualTo(3);

        edit("autoscaled", s -> s.getSpec().setImage("registry.example.com/weather-mcp:2.0"));
        await("new image applied").atMost(TIMEOUT).until(() -> deployment("autoscaled"),
                d -> d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage().endsWith(":2.0"));
        sleep(QUIET_WINDOW);
        assertThat(deployments.get().getSpec().getReplicas()).as("replicas after Mooring applied without them").isEqualTo(3);
        assertThat(deployments.get().getMetadata().getManagedFields())
                .filteredOn(f -> "mooring".equals(f.getManager()))
                .allSatisfy(f -> assertThat(f.getFieldsV1().getAdditionalProperties().get("f:spec").toString()).doesNotContain("f:replicas"));

        deployments.scale(5);
        sleep(QUIET_WINDOW);
        assertThat(deployments.get().getSpec().getReplicas()).as("what the autoscaler set").isEqualTo(5);
    }

    @Test
    void dropsTheDisruptionBudgetBelowTwoReplicas() {
        create("shrinking", 2);
        var pdb = client.policy().v1().podDisruptionBudget().inNamespace(ns()).withName("shrinking");
        await("PodDisruptionBudget").atMost(TIMEOUT).until(() -> pdb.get() != null);
        edit("shrinking", s -> s.getSpec().setReplicas(1));
        await("PodDisruptionBudget removed").atMost(TIMEOUT).until(() -> pdb.get() == null);
    }

    @Test
    void deletingTheServerDeletesWhatMooringCreated() {
        McpServer server = create("doomed", 2);
        await("children").atMost(TIMEOUT).until(() -> deployment("doomed") != null
                && client.services().inNamespace(ns()).withName("doomed").get() != null);
        client.resource(server).delete();
        await("garbage collection").atMost(TIMEOUT).until(() -> deployment("doomed") == null
                && client.services().inNamespace(ns()).withName("doomed").get() == null
                && client.policy().v1().podDisruptionBudget().inNamespace(ns()).withName("doomed").get() == null);
    }

    @Test
    void finishesARollbackThatAnEarlierOperatorDecidedButDidNotApply() {
        create("restarted", 1);
        String good = await("first revision").atMost(TIMEOUT).until(() -> revision("restarted"), r -> r != null);
        edit("restarted", s -> s.getSpec().setImage("registry.example.com/weather-mcp:2.0"));
        String bad = await("second revision").atMost(TIMEOUT).until(() -> revision("restarted"), r -> r != null && !good.equals(r));

        // What an operator that died right after writing its decision leaves behind: the rollback recorded for this
        // generation, the failed revision still in the Deployment. Its successor must finish that same rollback.
        writeStatus("restarted", status -> {
            RollbackRecord rollback = new RollbackRecord();
            rollback.setFrom(bad);
            rollback.setTo(good);
            rollback.setReason("expected tools missing: forecast");
            rollback.setAt("2026-11-21T10:00:00Z");
            rollback.setGeneration(2L);
            status.setRollback(rollback);
            status.setLastVerifiedRevision(good);
        });
        await("the held revision applied").atMost(TIMEOUT).until(() -> revision("restarted"), good::equals);
        assertThat(deployment("restarted").getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .as("the template comes from the good revision's ReplicaSet").doesNotEndWith(":2.0");
        sleep(QUIET_WINDOW);
        assertThat(revision("restarted")).as("held through forced resyncs").isEqualTo(good);
        assertThat(get("restarted").getStatus().getRollback().getFrom()).isEqualTo(bad);
        assertThat(client.v1().events().inNamespace(ns()).list().getItems())
                .filteredOn(e -> "RolledBack".equals(e.getReason()) && "restarted".equals(e.getInvolvedObject().getName()))
                .as("one RolledBack event, from the operator that applied the rollback").hasSize(1)
                .allSatisfy(e -> assertThat(e.getMessage()).contains(bad, good, "forecast"));

        edit("restarted", s -> s.getSpec().setImage("registry.example.com/weather-mcp:3.0"));
        await("a new generation ends the hold").atMost(TIMEOUT).until(() -> revision("restarted"),
                r -> r != null && !good.equals(r) && !bad.equals(r));
    }

    private String revision(String name) {
        Deployment d = deployment(name);
        return d == null ? null : ServerDeployment.revision(d);
    }

    /** Writes the status as a (dead) operator would have, retrying when the live operator's own write got in between. */
    private void writeStatus(String name, Consumer<McpServerStatus> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                McpServer server = await("a status to change").atMost(TIMEOUT).until(() -> get(name), s -> s.getStatus() != null);
                change.accept(server.getStatus());
                client.resource(server).updateStatus();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 10) {
                    throw e;
                }
            }
        }
    }

    private static void assertForeignFieldsIntact(Deployment d) {
        assertThat(d.getSpec().getReplicas()).as("replicas set through the scale subresource").isEqualTo(3);
        assertThat(d.getMetadata().getAnnotations()).containsEntry("webhook.example.com/injected", "yes");
        assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("kubectl.kubernetes.io/restartedAt", "2026-11-21T10:00:00Z");
    }

    /** Waits until the status reflects the Deployment controller's view and stops changing. */
    private void settle(String name) {
        await("status settles").atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> {
            McpServer before = get(name);
            sleep(Duration.ofSeconds(3));
            McpServer after = get(name);
            return before.getStatus() != null && before.getStatus().getUpdatedReplicas() != null
                    && before.getMetadata().getResourceVersion().equals(after.getMetadata().getResourceVersion());
        });
    }

    private McpServer create(String name, Integer replicas) {
        McpServer server = TestServers.server(name);
        server.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns()).build());
        server.getSpec().setReplicas(replicas);
        server.getSpec().setNodeSelector(Map.of(TestServers.NO_NODE_LABEL, "true"));
        return client.resource(server).create();
    }

    /**
     * A change of the spec as kubectl edit makes it: read, change, write with the read resourceVersion, and
     * read again when the operator's status write got in between (409), as a user would.
     */
    private void edit(String name, Consumer<McpServer> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                client.resources(McpServer.class).inNamespace(ns()).withName(name).edit(s -> {
                    change.accept(s);
                    return s;
                });
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private McpServer get(String name) {
        return client.resources(McpServer.class).inNamespace(ns()).withName(name).get();
    }

    private Deployment deployment(String name) {
        return client.apps().deployments().inNamespace(ns()).withName(name).get();
    }

    private static String ns() {
        return NAMESPACE.name();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
