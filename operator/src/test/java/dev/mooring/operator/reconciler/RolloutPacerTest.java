package dev.mooring.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RolloutPacerTest {
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    @Test
    void letsAFewServersRollAtOnceAndTheNextOneWhenASlotIsGivenBack() {
        RolloutPacer pacer = new RolloutPacer(2, Clock.fixed(T0, ZoneOffset.UTC));
        assertThat(pacer.tryAcquire(id("a"))).isTrue();
        assertThat(pacer.tryAcquire(id("b"))).isTrue();
        assertThat(pacer.tryAcquire(id("c"))).as("two roll out already").isFalse();
        assertThat(pacer.tryAcquire(id("a"))).as("a server keeps its slot across reconciles").isTrue();
        pacer.release(id("a"));
        assertThat(pacer.tryAcquire(id("c"))).isTrue();
        assertThat(pacer.inUse()).isEqualTo(2);
    }

    @Test
    void aSlotNeverGivenBackExpires() {
        RolloutPacer early = new RolloutPacer(1, Clock.fixed(T0, ZoneOffset.UTC));
        assertThat(early.tryAcquire(id("deleted-mid-rollout"))).isTrue();
        assertThat(early.tryAcquire(id("next"))).isFalse();
        RolloutPacer later = new RolloutPacer(1, Clock.fixed(T0.plus(RolloutPacer.SLOT_EXPIRY).plusSeconds(1), ZoneOffset.UTC));
        assertThat(later.tryAcquire(id("x"))).isTrue();
    }

    private static ResourceID id(String name) {
        return new ResourceID(name, "team-a");
    }
}
