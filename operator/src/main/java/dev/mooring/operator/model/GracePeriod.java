package dev.mooring.operator.model;

import dev.mooring.operator.api.v1alpha1.spec.DrainSpec;
import dev.mooring.operator.api.v1alpha1.spec.Durations;
import java.time.Duration;

/**
 * terminationGracePeriodSeconds = preStopDelay + drain timeout + 5 s. The kubelet's countdown starts
 * before the preStop hook runs, so the hook's sleep eats into the grace period; the margin covers the
 * process exiting after its drain deadline.
 */
public final class GracePeriod {
    static final Duration EXIT_MARGIN = Duration.ofSeconds(5);

    private GracePeriod() {
    }

    public static long seconds(DrainSpec drain) {
        Duration total = preStopDelay(drain).plus(drainTimeout(drain)).plus(EXIT_MARGIN);
        return Durations.ceilSeconds(total);
    }

    public static Duration drainTimeout(DrainSpec drain) {
        return Durations.parse(drain.getTimeout());
    }

    public static Duration preStopDelay(DrainSpec drain) {
        return Durations.parse(drain.getPreStopDelay());
    }
}
