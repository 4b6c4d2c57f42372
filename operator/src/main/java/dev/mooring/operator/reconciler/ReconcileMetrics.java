package dev.mooring.operator.reconciler;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

/** mooring_reconciles_total{outcome}: how often a reconcile found the world as wanted, or changed it. */
@Singleton
public class ReconcileMetrics {
    private final Counter unchanged;
    private final Counter changed;

    public ReconcileMetrics(MeterRegistry registry) {
        this.unchanged = Counter.builder("mooring.reconciles").tag("outcome", "unchanged")
                .description("Reconciles that found nothing to write").register(registry);
        this.changed = Counter.builder("mooring.reconciles").tag("outcome", "changed")
                .description("Reconciles that applied a child or wrote status").register(registry);
    }

    void record(boolean wrote) {
        (wrote ? changed : unchanged).increment();
    }

    public double unchanged() {
        return unchanged.count();
    }
}
