package dev.mooring.operator.verify;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

/** mooring_verifications_total{result} and mooring_rollbacks_total. */
@Singleton
public class VerificationMetrics {
    private final MeterRegistry registry;

    public VerificationMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void verified(String result) {
        registry.counter("mooring.verifications", "result", result).increment();
    }

    public void rolledBack() {
        registry.counter("mooring.rollbacks").increment();
    }
}
