package dev.mooring.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.cluster.TestNamespace;
import dev.mooring.operator.model.Annotations;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The promise Mooring exists for: clients keep calling tools through the Service, some calls long enough to
 * be in flight when their pod is told to stop, while the spec changes twice. Every call is counted.
 */
@ExtendWith(InClusterOperator.class)
class RolloutUnderLoadE2E {
    private static final Duration SLOW_CALL = Duration.ofSeconds(4);
    private static final Duration ROLLOUT_TIMEOUT = Duration.ofMinutes(3);

    @RegisterExtension
    static final TestNamespace NAMESPACE = TestNamespace.restricted();

    private final ServersOnTheNode servers = new ServersOnTheNode(NAMESPACE);

    @Test
    void noCallFailsWhileTheSpecChangesTwice() throws Exception {
        servers.apply("busy", spec("1"));
        String revision = servers.awaitReady("busy").getStatus().getRevision();

        try (LoadGenerator load = new LoadGenerator(servers.endpointThroughNodePort("busy"), 4, 2, SLOW_CALL)) {
            Thread.sleep(SLOW_CALL.toMillis());
            for (String generation : new String[] {"2", "3"}) {
                long started = System.nanoTime();
                servers.apply("busy", spec(generation));
                revision = awaitRolledOutFrom(revision);
                System.out.printf("rollout under load: spec change %s rolled out in %.1f s (%s)%n", generation,
                        (System.nanoTime() - started) / 1e9, load.figures());
            }
            Thread.sleep(SLOW_CALL.toMillis());
            load.close();
            LoadFigures figures = load.figures();
            System.out.println("rollout under load: total " + figures);

            assertThat(figures.failures).as("calls that failed during two rollouts").isEmpty();
            assertThat(figures.succeeded.get()).as("calls that succeeded").isGreaterThan(50);
            assertThat(figures.longCalls.get()).as("long calls made").isGreaterThan(4);
        }
    }

    /** The default preStopDelay (5s): the time kube-proxy gets to stop sending new connections to a stopping pod. */
    private static String spec(String generation) {
        return """
                replicas: 2
                drain:
                  timeout: 20s
                env:
                - name: DEPLOYED_GENERATION
                  value: "%s"
                """.formatted(generation);
    }

    /** Waits until two ready pods of a new revision serve and none of the old one is left, even terminating. */
    private String awaitRolledOutFrom(String oldRevision) {
        McpServer server = await("new revision").atMost(ROLLOUT_TIMEOUT).pollInterval(Duration.ofMillis(250))
                .until(() -> servers.get("busy"), s -> ServersOnTheNode.ready(s) && !oldRevision.equals(s.getStatus().getRevision()));
        String revision = server.getStatus().getRevision();
        await("old pods gone").atMost(ROLLOUT_TIMEOUT).pollInterval(Duration.ofMillis(250)).until(() -> servers.pods("busy"),
                pods -> pods.size() == 2 && pods.stream().allMatch(p -> p.getMetadata().getDeletionTimestamp() == null
                        && revision.equals(p.getMetadata().getAnnotations().get(Annotations.REVISION))));
        return revision;
    }
}
