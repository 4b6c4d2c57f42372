package dev.mooring.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.cluster.TestNamespace;
import dev.mooring.operator.model.Annotations;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Rotation of what a server reads: a Secret its env names is changed under load from the official SDK client, and
 * the server rolls out and is verified with no failed call; a reference to an object that does not exist leaves the
 * serving pods alone and says so (Degraded/MissingReference) until it is created.
 */
@ExtendWith(InClusterOperator.class)
@ResourceLock(value = NodeShares.OPERATOR, mode = ResourceAccessMode.READ)
@ResourceLock(NodeShares.LOAD)
class ReferencedObjectsE2E {
    private static final int WORKERS = 20;
    /** A rotation is seen at the next reconcile: at the latest after the operator's recheck of referenced objects. */
    private static final Duration ROLLED_OUT = Duration.ofMinutes(3);

    @RegisterExtension
    static final TestNamespace NAMESPACE = TestNamespace.restricted();

    private final ServersOnTheNode servers = new ServersOnTheNode(NAMESPACE);

    /** On the official TypeScript SDK v1 server: what is judged here is what the operator reads, not the server. */
    private static final String SPEC = """
            replicas: 2
            env:
            - name: API_TOKEN
              valueFrom:
                secretKeyRef: {name: weather-api, key: token}
            envFrom:
            - configMapRef: {name: weather-settings}
            """;

    @Test
    void rotatingASecretRollsTheServerOutAndVerifiesItWithNoFailedCall() throws Exception {
        putSecret("weather-api", "first");
        NAMESPACE.client().configMaps().inNamespace(NAMESPACE.name()).resource(new ConfigMapBuilder().withNewMetadata().withName("weather-settings").endMetadata()
                .withData(Map.of("LOG_LEVEL", "info")).build()).serverSideApply();
        servers.applySdkV1("weather", SPEC);
        McpServer before = verified("weather", null);
        String hash = templateHash("weather");
        assertThat(hash).as("the pod template carries the hash of what it reads").isNotBlank();

        JsonNode figures;
        double seconds;
        try (SdkLoad load = new SdkLoad(servers.endpointThroughNodePort("weather"), WORKERS, "wait", "{\"ms\":500}", "v2")) {
            load.awaitEveryWorkerServed();
            putSecret("weather-api", "second");
            long rotated = System.nanoTime();
            McpServer after = verified("weather", before.getStatus().getRevision());
            seconds = (System.nanoTime() - rotated) / 1e9;
            assertThat(after.getStatus().getLastVerifiedRevision()).isEqualTo(after.getStatus().getRevision());
            servers.awaitOnly("weather", after.getStatus().getRevision(), 2);
            Thread.sleep(5_000);
            figures = load.stop();
        }
        System.out.printf("secret rotation under load: rolled out and verified %.1f s after the change; %d failed of %d calls %s%n",
                seconds, figures.path("failed").asInt(), figures.path("calls").asInt(), figures.path("errors"));
        assertThat(templateHash("weather")).isNotEqualTo(hash);
        assertThat(servers.events("RolloutStarted")).isNotEmpty();
        assertThat(figures.path("calls").asInt()).isGreaterThan(200);
        assertThat(figures.path("failed").asInt()).as("failed calls: " + figures.path("errors") + " at " + figures.path("firstFailures")).isZero();
        servers.delete("weather");
    }

    @Test
    void aMissingReferenceIsNamedAndRollsNothingUntilItExists() {
        servers.applySdkV1("news", "replicas: 1\n");
        String revision = verified("news", null).getStatus().getRevision();

        servers.applySdkV1("news", "replicas: 1\nenvFrom:\n- secretRef: {name: news-feed}\n");
        McpServer waiting = await("Degraded/MissingReference").atMost(Duration.ofMinutes(1))
                .until(() -> servers.get("news"), s -> "True/MissingReference".equals(ServersOnTheNode.condition(s, "Degraded")));
        assertThat(waiting.getStatus().getConditions()).filteredOn(c -> "Degraded".equals(c.getType())).singleElement()
                .satisfies(c -> assertThat(c.getMessage()).contains("Secret news-feed (envFrom)"));
        assertThat(ServersOnTheNode.condition(waiting, "Ready")).as("the pods that served still serve").isEqualTo("True/AllReplicasReady");
        assertThat(servers.events("MissingReference")).singleElement().satisfies(e -> assertThat(e.getMessage()).contains("news-feed"));
        assertThat(deployment("news").getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry(Annotations.REVISION, revision);
        assertThat(servers.pods("news")).extracting(Pod::getMetadata).allSatisfy(m -> assertThat(m.getAnnotations()).containsEntry(Annotations.REVISION, revision));

        putSecret("news-feed", "rss");
        McpServer fixed = verified("news", revision);
        assertThat(ServersOnTheNode.condition(fixed, "Degraded")).isEqualTo("False/AsExpected");
        servers.delete("news");
    }

    private void putSecret(String name, String token) {
        NAMESPACE.client().secrets().inNamespace(NAMESPACE.name()).resource(new SecretBuilder().withNewMetadata().withName(name).endMetadata()
                .withStringData(Map.of("token", token)).build()).serverSideApply();
    }

    /** Waits until a revision other than {@code oldRevision} serves, ready and verified. */
    private McpServer verified(String name, String oldRevision) {
        return await(name + " verified at a new revision").atMost(ROLLED_OUT).pollInterval(Duration.ofMillis(500))
                .until(() -> servers.get(name), s -> ServersOnTheNode.ready(s) && !s.getStatus().getRevision().equals(oldRevision)
                        && "True/Passed".equals(ServersOnTheNode.condition(s, "Verified")));
    }

    private Deployment deployment(String name) {
        return NAMESPACE.client().apps().deployments().inNamespace(NAMESPACE.name()).withName(name).get();
    }

    private String templateHash(String name) {
        return deployment(name).getSpec().getTemplate().getMetadata().getAnnotations().get(Annotations.REFERENCED_DATA);
    }
}
