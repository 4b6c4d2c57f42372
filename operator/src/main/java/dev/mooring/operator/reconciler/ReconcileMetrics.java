package dev.mooring.operator.reconciler;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * mooring_reconciles_total{outcome}: how often a reconcile found the world as wanted, or changed it;
 * mooring_reconcile_seconds: how long one took, as a histogram (percentiles across replicas and scrapes).
 */
@Singleton
public class ReconcileMetrics {
    private final Counter unchanged;
    private final Counter changed;
    private final Timer duration;

    public ReconcileMetrics(MeterRegistry registry) {
        this.unchanged = Counter.builder("mooring.reconciles").tag("outcome", "unchanged")
                .description("Reconciles that found nothing to write").register(registry);
        this.changed = Counter.builder("mooring.reconciles").tag("outcome", "changed")
                .description("Reconciles that applied a child or wrote status").register(registry);
        this.duration = Timer.builder("mooring.reconcile").description("Time one reconcile of an McpServer took")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    void record(boolean wrote, long nanos) {
        (wrote ? changed : unchanged).increment();
        duration.record(Duration.ofNanos(nanos));
    }

    public double unchanged() {
        return unchanged.count();
    }
}
