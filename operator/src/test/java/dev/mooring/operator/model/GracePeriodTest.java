package dev.mooring.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.operator.api.v1alpha1.spec.DrainSpec;
import org.junit.jupiter.api.Test;

class GracePeriodTest {

    @Test
    void defaultsGiveThirtyFiveSeconds() {
        assertThat(GracePeriod.seconds(new DrainSpec())).isEqualTo(5 + 25 + 5);
    }

    @Test
    void isPreStopDelayPlusDrainTimeoutPlusFiveSeconds() {
        assertThat(GracePeriod.seconds(drain("2m", "10s"))).isEqualTo(10 + 120 + 5);
        assertThat(GracePeriod.seconds(drain("1s", "0s"))).isEqualTo(6);
    }

    @Test
    void neverCutsADrainShortByRoundingDown() {
        assertThat(GracePeriod.seconds(drain("1500ms", "0s"))).isEqualTo(7);
    }

    private static DrainSpec drain(String timeout, String preStopDelay) {
        DrainSpec drain = new DrainSpec();
        drain.setTimeout(timeout);
        drain.setPreStopDelay(preStopDelay);
        return drain;
    }
}
