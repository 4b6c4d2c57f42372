package dev.mooring.operator.e2e;

/**
 * Whether the rollout tests also run their comparison side (the same rollout without the proxy, without the
 * pre-traffic gate, with session handoff off) and print the figures side by side. Nothing asserts a promise on
 * those sides, so `make test` leaves them out; `make bench-rollouts` sets {@code -Dmooring.compare=true}.
 */
final class Comparisons {
    static final boolean ENABLED = Boolean.getBoolean("mooring.compare");

    private Comparisons() {
    }
}
