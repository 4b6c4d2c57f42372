package dev.mooring.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.mooring.operator.TestServers;
import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.api.v1alpha1.McpServerStatus;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ServerHealthMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ServerHealthMetrics metrics = new ServerHealthMetrics(registry);

    @Test
    void countsDegradedServersByReasonFromTheCacheAtScrapeTime() {
        @SuppressWarnings("unchecked")
        IndexedResourceCache<McpServer> cache = mock(IndexedResourceCache.class);
        List<McpServer> servers = List.of(degraded("a", "VerificationFailed"), degraded("b", "VerificationFailed"),
                degraded("c", "SomethingNew"), TestServers.server("healthy"));
        when(cache.list()).thenAnswer(i -> servers.stream());
        assertThat(degraded("VerificationFailed")).as("before the first reconcile").isZero();

        metrics.watch(cache);

        assertThat(degraded("VerificationFailed")).isEqualTo(2);
        assertThat(degraded("Other")).as("a reason outside the fixed set").isEqualTo(1);
        assertThat(degraded("ReconcileError")).isZero();
        when(cache.list()).thenAnswer(i -> Stream.empty());
        assertThat(degraded("VerificationFailed")).as("deleted servers stop counting").isZero();
    }

    @Test
    void saysWhichInstanceLeads() {
        metrics.leading(true);
        assertThat(registry.get("mooring.operator.leader").gauge().value()).isEqualTo(1);
        metrics.leading(false);
        assertThat(registry.get("mooring.operator.leader").gauge().value()).isZero();
    }

    private double degraded(String reason) {
        return registry.get("mooring.servers.degraded").tag("reason", reason).gauge().value();
    }

    private static McpServer degraded(String name, String reason) {
        McpServer server = TestServers.server(name);
        McpServerStatus status = new McpServerStatus();
        status.getConditions().add(new ConditionBuilder().withType("Degraded").withStatus("True").withReason(reason).build());
        status.getConditions().add(new ConditionBuilder().withType("Ready").withStatus("False").withReason("NotReady").build());
        server.setStatus(status);
        return server;
    }
}
