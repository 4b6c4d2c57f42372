package dev.mooring.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.cluster.TestNamespace;
import dev.mooring.operator.model.Annotations;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * A reference to an object that does not exist leaves the serving pods alone and says so (Degraded/MissingReference)
 * until it is created, and then the server rolls out and is verified. The rotation of a Secret a server reads is rolled
 * out under load in RolloutUnderLoadE2E.
 */
@ExtendWith(InClusterOperator.class)
@ResourceLock(value = NodeShares.OPERATOR, mode = ResourceAccessMode.READ)
class ReferencedObjectsE2E {
    /** A new object is seen at the next reconcile: at the latest after the operator's recheck of referenced objects. */
    private static final Duration ROLLED_OUT = Duration.ofMinutes(3);

    @RegisterExtension
    static final TestNamespace NAMESPACE = TestNamespace.restricted();

    private final ServersOnTheNode servers = new ServersOnTheNode(NAMESPACE);

    @Test
    void aMissingReferenceIsNamedAndRollsNothingUntilItExists() {
        servers.apply("news", ServerSpec.sdkV1().replicas(1));
        String revision = verified("news", null).getStatus().getRevision();

        servers.apply("news", ServerSpec.sdkV1().replicas(1).set("envFrom", java.util.List.of(java.util.Map.of("secretRef", java.util.Map.of("name", "news-feed")))));
        McpServer waiting = await("Degraded/MissingReference").atMost(Duration.ofMinutes(1))
                .until(() -> servers.get("news"), s -> "True/MissingReference".equals(ServersOnTheNode.condition(s, "Degraded")));
        assertThat(waiting.getStatus().getConditions()).filteredOn(c -> "Degraded".equals(c.getType())).singleElement()
                .satisfies(c -> assertThat(c.getMessage()).contains("Secret news-feed (envFrom)"));
        assertThat(ServersOnTheNode.condition(waiting, "Ready")).as("the pods that served still serve").isEqualTo("True/AllReplicasReady");
        assertThat(servers.awaitEvents("MissingReference")).singleElement().satisfies(e -> assertThat(e.getMessage()).contains("news-feed"));
        assertThat(deployment("news").getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry(Annotations.REVISION, revision);
        assertThat(servers.pods("news")).extracting(Pod::getMetadata).allSatisfy(m -> assertThat(m.getAnnotations()).containsEntry(Annotations.REVISION, revision));

        servers.putSecret("news-feed", "rss");
        McpServer fixed = verified("news", revision);
        assertThat(ServersOnTheNode.condition(fixed, "Degraded")).isEqualTo("False/AsExpected");
        servers.delete("news");
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
}
