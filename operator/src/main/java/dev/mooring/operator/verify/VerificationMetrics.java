package dev.mooring.operator.verify;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

/** mooring_verifications_total{result}, mooring_rollbacks_total and mooring_tool_schema_changes_total. */
@Singleton
public class VerificationMetrics {
    private final MeterRegistry registry;

    public VerificationMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void verified(String result) {
        registry.counter("mooring.verifications", "result", result).increment();
    }

    /** A live revision's tools changed between two of its checks (spec.verification.interval). */
    public void toolSchemaChanged() {
        registry.counter("mooring.tool.schema.changes").increment();
    }

    public void rolledBack() {
        registry.counter("mooring.rollbacks").increment();
    }
}
