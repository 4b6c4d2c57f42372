package dev.mooring.operator.reconciler;

import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.status.ConditionType;
import dev.mooring.operator.status.PodDiagnosis;
import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * What alerts need beside the counters: mooring_servers_degraded{reason}, the McpServers whose Degraded condition is
 * True, counted from the operator's cache when Prometheus scrapes (so a deleted server stops counting), and
 * mooring_operator_leader, 1 on the instance that reconciles. Reasons are a fixed set, so the series exist at 0
 * before anything goes wrong; a reason outside it counts as "Other".
 */
@Singleton
public class ServerHealthMetrics {
    /** Mooring's own reasons and the pod states PodDiagnosis reports as stuck, which name the Degraded condition too. */
    static final List<String> REASONS = Stream.concat(Stream.of("VerificationFailed", "VerificationCouldNotRun", "ReverificationFailed", "RollbackUnavailable",
                    "ProgressDeadlineExceeded", "ReplicaFailure", "NameInUse", "ReconcileError", "InvalidSpec", "Other"),
            PodDiagnosis.STUCK.stream().sorted()).toList();
    private static final Set<String> KNOWN = Set.copyOf(REASONS);

    private final AtomicInteger leader = new AtomicInteger();
    private volatile IndexedResourceCache<McpServer> servers;

    public ServerHealthMetrics(MeterRegistry registry) {
        for (String reason : REASONS) {
            Gauge.builder("mooring.servers.degraded", () -> count(reason)).tag("reason", reason)
                    .description("McpServers whose Degraded condition is True, by reason").register(registry);
        }
        Gauge.builder("mooring.operator.leader", leader, AtomicInteger::get)
                .description("1 on the operator instance that holds the lease and reconciles, 0 on a standby").register(registry);
    }

    /** The cache the counts come from; the first reconcile hands it over. */
    void watch(IndexedResourceCache<McpServer> cache) {
        if (servers == null) {
            servers = cache;
        }
    }

    public void leading(boolean leading) {
        leader.set(leading ? 1 : 0);
    }

    private double count(String reason) {
        IndexedResourceCache<McpServer> cache = servers;
        return cache == null ? 0 : cache.list().filter(server -> reason.equals(degradedReason(server))).count();
    }

    static String degradedReason(McpServer server) {
        if (server.getStatus() == null || server.getStatus().getConditions() == null) {
            return null;
        }
        return server.getStatus().getConditions().stream()
                .filter(c -> ConditionType.Degraded.name().equals(c.getType()) && "True".equals(c.getStatus()))
                .map(Condition::getReason)
                .map(reason -> KNOWN.contains(reason) ? reason : "Other")
                .findFirst().orElse(null);
    }
}
