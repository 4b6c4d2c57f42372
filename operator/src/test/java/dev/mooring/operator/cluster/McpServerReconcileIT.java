package dev.mooring.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mooring.operator.TestServers;
import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.api.v1alpha1.McpServerStatus;
import dev.mooring.operator.api.v1alpha1.status.RollbackRecord;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import dev.mooring.operator.model.Annotations;
import dev.mooring.operator.model.ServerDeployment;
import dev.mooring.operator.reconciler.ReconcileMetrics;
import dev.mooring.operator.verify.VerifiedTemplates;
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
 * tests (*E2E) run pods. Reconciles are forced every second here (the test profile's max-reconciliation-interval).
 */
@QuarkusTest
@WithTestResource(CrdInstalled.class)
class McpServerReconcileIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Longer than two forced resyncs. */
    private static final Duration QUIET_WINDOW = Duration.ofMillis(3500);

    @RegisterExtension
    static final TestNamespace NAMESPACE = new TestNamespace();

    @Inject
    ReconcileMetrics metrics;

    @Inject
    io.javaoperatorsdk.operator.Operator operator;

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
        assertThat(pod.getInitContainers()).singleElement().satisfies(proxy -> assertThat(proxy.getRestartPolicy()).isEqualTo("Always"));
        assertThat(pod.getContainers().get(0).getLifecycle().getPreStop().getHttpGet().getPath()).as("waits for the proxy's drain").isEqualTo("/drain");
        assertThat(service.getSpec().getPorts().get(0).getName()).isEqualTo("mcp");
        assertThat(service.getSpec().getSessionAffinity()).as("sessions are handed over: no affinity").isEqualTo("None");
        var keys = await("session key Secret").atMost(TIMEOUT)
                .until(() -> client.secrets().inNamespace(ns()).withName("weather-mcp-session").get(), k -> k != null);
        assertThat(keys.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo(server.getMetadata().getUid()));
        assertThat(keys.getData()).containsKey("sealing");

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
        // Only this server's objects: other tests leave servers in the namespace that fail on purpose.
        assertThat(audit.mooringWritesSince(mark, ns())).filteredOn(write -> write.contains("/quiet"))
                .as("writes by Mooring's field manager").isEmpty();
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
    void neverTakesOverADeploymentServiceOrBudgetOfAnotherOwner() {
        client.apps().deployments().inNamespace(ns()).resource(new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
                .withNewMetadata().withName("taken-deployment").endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", "theirs").endSelector()
                    .withNewTemplate().withNewMetadata().addToLabels("app", "theirs").endMetadata()
                        .withNewSpec().addNewContainer().withName("theirs").withImage("registry.example.com/theirs:1").endContainer()
                        .withNodeSelector(Map.of(TestServers.NO_NODE_LABEL, "true")).endSpec().endTemplate()
                .endSpec().build()).create();
        client.services().inNamespace(ns()).resource(new io.fabric8.kubernetes.api.model.ServiceBuilder()
                .withNewMetadata().withName("taken-service").endMetadata()
                .withNewSpec().addToSelector("app", "theirs").addNewPort().withPort(80).endPort().endSpec().build()).create();
        client.policy().v1().podDisruptionBudget().inNamespace(ns()).resource(new io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder()
                .withNewMetadata().withName("taken-budget").endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", "theirs").endSelector()
                .withMinAvailable(new io.fabric8.kubernetes.api.model.IntOrString(1)).endSpec().build()).create();
        create("taken-deployment", 1);
        create("taken-service", 1);
        create("taken-budget", 2);

        for (var taken : Map.of("taken-deployment", "Deployment", "taken-service", "Service", "taken-budget", "PodDisruptionBudget").entrySet()) {
            McpServer refused = await(taken.getKey() + " NameInUse").atMost(TIMEOUT).until(() -> get(taken.getKey()),
                    s -> s.getStatus() != null && s.getStatus().getConditions().stream()
                            .anyMatch(c -> "Degraded".equals(c.getType()) && "NameInUse".equals(c.getReason())));
            assertThat(refused.getStatus().getConditions()).filteredOn(c -> "Degraded".equals(c.getType())).singleElement()
                    .satisfies(c -> assertThat(c.getMessage()).contains(taken.getValue() + " " + ns() + "/" + taken.getKey() + " exists and has no controller"));
            assertThat(client.v1().events().inNamespace(ns()).list().getItems())
                    .anyMatch(e -> "NameInUse".equals(e.getReason()) && taken.getKey().equals(e.getInvolvedObject().getName()));
        }
        sleep(QUIET_WINDOW);
        assertThat(deployment("taken-deployment").getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("registry.example.com/theirs:1");
        assertThat(deployment("taken-deployment").getMetadata().getManagedFields()).noneMatch(f -> "mooring".equals(f.getManager()));
        assertThat(client.services().inNamespace(ns()).withName("taken-service").get().getMetadata().getManagedFields())
                .noneMatch(f -> "mooring".equals(f.getManager()));
        assertThat(client.policy().v1().podDisruptionBudget().inNamespace(ns()).withName("taken-budget").get().getMetadata().getManagedFields())
                .noneMatch(f -> "mooring".equals(f.getManager()));
    }

    @Test
    void aRequestTheApiServerRefusesReachesTheStatusInItsWords() {
        McpServer server = TestServers.server("refused");
        server.setMetadata(new ObjectMetaBuilder().withName("refused").withNamespace(ns()).build());
        server.getSpec().setNodeSelector(Map.of(TestServers.NO_NODE_LABEL, "true"));
        server.getSpec().setTolerations(java.util.List.of(new io.fabric8.kubernetes.api.model.TolerationBuilder()
                .withKey("dedicated").withOperator("Exists").withEffect("Sometimes").build()));
        client.resource(server).create();
        McpServer failed = await("ReconcileError").atMost(TIMEOUT).until(() -> get("refused"),
                s -> s.getStatus() != null && s.getStatus().getConditions().stream()
                        .anyMatch(c -> "Degraded".equals(c.getType()) && "ReconcileError".equals(c.getReason())));
        assertThat(failed.getStatus().getObservedGeneration()).isEqualTo(failed.getMetadata().getGeneration());
        assertThat(failed.getStatus().getConditions()).filteredOn(c -> "Degraded".equals(c.getType())).singleElement()
                .satisfies(c -> assertThat(c.getMessage()).contains("HTTP 422", "Sometimes"));
    }

    @Test
    void oneUnreadableServerNeverStopsTheOthers() throws Exception {
        // Objects stored while the CRD was looser (or by a newer CRD): stored first, then the CRD tightened again.
        CustomResourceDefinition loose = client.getKubernetesSerialization()
                .unmarshal(java.nio.file.Files.readString(TestCluster.CRD), CustomResourceDefinition.class);
        var spec = loose.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec");
        spec.getProperties().get("replicas").setMaximum(null);
        try {
            client.resource(loose).fieldManager("mooring-tests").forceConflicts().serverSideApply();
            storeDespiteTheSchemaCache("overflowing", "{image: x, replicas: 2147483648, nodeSelector: {%s: \"true\"}}");
        } finally {
            TestCluster.installCrd(client);
        }

        create("unaffected", 1);
        await("a sound server is reconciled beside them").atMost(TIMEOUT).until(() -> deployment("unaffected") != null);
        assertThat(degraded("overflowing")).contains("InvalidSpec", "spec.replicas must be at most 1000 (it is beyond int32)");
        assertThat(deployment("overflowing")).isNull();
        assertThat(client.v1().events().inNamespace(ns()).list().getItems())
                .anyMatch(e -> "InvalidSpec".equals(e.getReason()) && "overflowing".equals(e.getInvolvedObject().getName()));

        client.resources(McpServer.class).inNamespace(ns()).withName("overflowing")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\": {\"replicas\": 1}}");
        await("the fixed server is reconciled, without a restart").atMost(TIMEOUT).until(() -> deployment("overflowing") != null);
    }

    /** Creates an McpServer from raw YAML, retrying while the API server still validates with the schema it cached. */
    private void storeDespiteTheSchemaCache(String name, String specYaml) {
        String yaml = "apiVersion: mooring.dev/v1alpha1\nkind: McpServer\nmetadata: {name: " + name + "}\nspec: "
                + specYaml.formatted(TestServers.NO_NODE_LABEL) + "\n";
        GenericKubernetesResource raw = client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
        await("stored under the loosened CRD").atMost(TIMEOUT).ignoreExceptions()
                .until(() -> client.resource(raw).inNamespace(ns()).create() != null);
    }

    private String degraded(String name) {
        return await(name + " Degraded").atMost(TIMEOUT).until(() -> client.genericKubernetesResources("mooring.dev/v1alpha1", "McpServer")
                .inNamespace(ns()).withName(name).get().toString(), text -> text.contains("InvalidSpec"));
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
        // What the earlier operator kept when the good revision passed (these pods never run, so it never did here).
        new VerifiedTemplates(client).keep(get("restarted"), deployment("restarted").getSpec().getTemplate(), null);
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
                .as("the template comes from the good revision's ControllerRevision").doesNotEndWith(":2.0");
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
            sleep(Duration.ofSeconds(2));
            McpServer after = get(name);
            return before.getStatus() != null && before.getStatus().getUpdatedReplicas() != null
                    && before.getMetadata().getResourceVersion().equals(after.getMetadata().getResourceVersion());
        });
    }

    @Test
    void objectsATenantLabelsLikeMooringsCostTheOperatorNoCacheAndAFailedReconcileIsRetriedUntilItSucceeds() {
        McpServer server = create("weather-owned", 1);
        await("check ConfigMap").atMost(TIMEOUT).until(() -> client.configMaps().inNamespace(ns()).withName("weather-owned-mcp-check").get(), c -> c != null);
        String filler = "x".repeat(100 * 1024);
        for (int i = 0; i < 20; i++) {
            // Mooring's labels; half of them also name the server as their controller, under names Mooring never gives.
            var meta = new ObjectMetaBuilder().withName("spoofed-" + i).withNamespace(ns())
                    .withLabels(dev.mooring.operator.model.Labels.server(server));
            if (i % 2 == 0) {
                meta.withOwnerReferences(new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder().withApiVersion("mooring.dev/v1alpha1")
                        .withKind("McpServer").withName(server.getMetadata().getName()).withUid(server.getMetadata().getUid()).withController(true).build());
            }
            client.resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withMetadata(meta.build()).withData(Map.of("filler", filler)).build()).create();
        }
        // Watch events come in order: once the cache holds this later change, it has seen every spoofed ConfigMap.
        client.configMaps().inNamespace(ns()).withName("weather-owned-mcp-check")
                .edit(c -> new io.fabric8.kubernetes.api.model.ConfigMapBuilder(c).editMetadata().addToAnnotations("seen-after", "spoofs").endMetadata().build());
        var configMaps = cached(io.fabric8.kubernetes.api.model.ConfigMap.class);
        await("the operator's cache to have seen every ConfigMap of the namespace").atMost(TIMEOUT)
                .until(() -> configMaps.get().stream().anyMatch(c -> c.getMetadata().getAnnotations() != null
                        && "spoofs".equals(c.getMetadata().getAnnotations().get("seen-after"))));
        assertThat(configMaps.get()).as("the check ConfigMaps Mooring made are kept, none of the spoofed ones")
                .extracting(c -> c.getMetadata().getName()).contains("weather-owned-mcp-check").noneMatch(name -> name.startsWith("spoofed-"));

        var retry = (io.javaoperatorsdk.operator.processing.retry.GenericRetry) operator.getRegisteredController("mcpserver").orElseThrow()
                .getConfiguration().getRetry();
        assertThat(retry.getMaxAttempts()).as("retried until it succeeds, not left for the 10-hour resync").isEqualTo(-1);
        assertThat(retry.getMaxInterval()).as("at most 5 minutes apart").isEqualTo(300_000L);
    }

    /** What the operator's informer for that kind holds in the test's namespace. */
    @SuppressWarnings("unchecked")
    private <R extends io.fabric8.kubernetes.api.model.HasMetadata> java.util.function.Supplier<List<R>> cached(Class<R> kind) {
        var controller = (io.javaoperatorsdk.operator.processing.Controller<McpServer>) operator.getRegisteredController("mcpserver").orElseThrow();
        var source = (io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource<R, McpServer>)
                controller.getEventSourceManager().getEventSourcesFor(kind).get(0);
        return () -> source.list(ns()).toList();
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
