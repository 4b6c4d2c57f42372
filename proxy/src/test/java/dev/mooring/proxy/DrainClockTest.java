package dev.mooring.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.proxy.DrainClock.Phase;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DrainClockTest {
    private static final long NEVER = -1;
    private final DrainClock clock = new DrainClock(Duration.ofSeconds(5), Duration.ofSeconds(20));

    @Test
    void servesUntilStartedAndStartsOnce() {
        assertThat(clock.phase(1_000, 3, NEVER)).isEqualTo(Phase.SERVING);
        assertThat(clock.start(1_000)).isTrue();
        assertThat(clock.start(2_000)).as("a second /drain joins the first").isFalse();
        assertThat(clock.startedAt()).isEqualTo(1_000);
    }

    @Test
    void announcesForThePreStopDelayEvenWithNothingInFlight() {
        clock.start(0);
        assertThat(clock.phase(0, 0, NEVER)).isEqualTo(Phase.ANNOUNCING);
        assertThat(clock.phase(4_999, 0, NEVER)).isEqualTo(Phase.ANNOUNCING);
        assertThat(clock.phase(5_000, 0, NEVER)).isEqualTo(Phase.DRAINED);
    }

    @Test
    void waitsForWhatIsInFlightUntilTheDeadline() {
        clock.start(0);
        assertThat(clock.phase(5_000, 2, NEVER)).isEqualTo(Phase.WAITING);
        assertThat(clock.phase(24_999, 1, NEVER)).isEqualTo(Phase.WAITING);
        assertThat(clock.phase(12_000, 0, NEVER)).isEqualTo(Phase.DRAINED);
        assertThat(clock.phase(25_000, 1, NEVER)).isEqualTo(Phase.DEADLINE);
    }

    @Test
    void withoutADelayTheWaitStartsAtOnce() {
        DrainClock immediate = new DrainClock(Duration.ZERO, Duration.ofSeconds(1));
        immediate.start(0);
        assertThat(immediate.phase(0, 0, NEVER)).isEqualTo(Phase.DRAINED);
        assertThat(immediate.phase(0, 1, NEVER)).isEqualTo(Phase.WAITING);
        assertThat(immediate.phase(1_000, 1, NEVER)).isEqualTo(Phase.DEADLINE);
    }

    @Test
    void isNotDrainedWhileKubeProxyStillSendsNewConnections() {
        clock.start(0);
        assertThat(clock.phase(5_000, 0, 4_500)).as("a connection came and went half a second ago").isEqualTo(Phase.WAITING);
        assertThat(clock.phase(5_499, 0, 4_500)).isEqualTo(Phase.WAITING);
        assertThat(clock.phase(5_500, 0, 4_500)).as("a second without one").isEqualTo(Phase.DRAINED);
        assertThat(clock.phase(5_000, 0, 3_000)).isEqualTo(Phase.DRAINED);
        assertThat(clock.phase(25_000, 0, 24_900)).as("they never stop: the deadline ends it").isEqualTo(Phase.DEADLINE);
    }
}
