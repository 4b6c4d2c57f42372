package dev.mooring.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.operator.reconciler.RolloutPacer.Kind;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class RolloutPacerTest {
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    private static final Predicate<ResourceID> ALL_EXIST = id -> true;

    @Test
    void letsAFewServersRollAtOnceAndTheNextOneWhenASlotIsGivenBack() {
        RolloutPacer pacer = new RolloutPacer(2, 1, 5, Clock.fixed(T0, ZoneOffset.UTC));
        assertThat(pacer.tryAcquire(id("a"), Kind.SPEC_CHANGE, "r1", ALL_EXIST)).isEmpty();
        assertThat(pacer.tryAcquire(id("b"), Kind.SPEC_CHANGE, "r1", ALL_EXIST)).isEmpty();
        assertThat(pacer.tryAcquire(id("c"), Kind.SPEC_CHANGE, "r1", ALL_EXIST)).as("two roll out already").hasValueSatisfying(wait -> {
            assertThat(wait.reason()).isEqualTo("Queued");
            assertThat(wait.message()).isEqualTo("revision r1 waits for a rollout slot: 2 of 2 servers roll out spec changes now (rollout.concurrent)");
        });
        assertThat(pacer.tryAcquire(id("a"), Kind.SPEC_CHANGE, "r2", ALL_EXIST)).as("a server keeps its slot across reconciles").isEmpty();
        pacer.release(id("a"));
        assertThat(pacer.tryAcquire(id("c"), Kind.SPEC_CHANGE, "r1", ALL_EXIST)).isEmpty();
        assertThat(pacer.inUse(Kind.SPEC_CHANGE)).isEqualTo(2);
    }

    @Test
    void oneNamespaceHoldsAtMostItsShareSoAnotherTenantsRolloutNeverWaitsBehindIt() {
        RolloutPacer pacer = new RolloutPacer(20, 3, 5, Clock.fixed(T0, ZoneOffset.UTC));
        for (int i = 0; i < 5; i++) {
            assertThat(pacer.tryAcquire(new ResourceID("stuck-" + i, "team-noisy"), Kind.SPEC_CHANGE, "r1", ALL_EXIST)).isEmpty();
        }
        assertThat(pacer.tryAcquire(new ResourceID("stuck-5", "team-noisy"), Kind.SPEC_CHANGE, "r1", ALL_EXIST))
                .hasValueSatisfying(wait -> assertThat(wait.message())
                        .isEqualTo("revision r1 waits for a rollout slot: 5 servers of namespace team-noisy hold its share of 5 (rollout.concurrentPerNamespace)"));
        assertThat(pacer.tryAcquire(new ResourceID("weather", "team-quiet"), Kind.SPEC_CHANGE, "r1", ALL_EXIST))
                .as("15 of 20 slots stay for the other namespaces").isEmpty();
    }

    @Test
    void upgradesHaveFewerSlotsOfTheirOwn() {
        RolloutPacer pacer = new RolloutPacer(2, 1, 5, Clock.fixed(T0, ZoneOffset.UTC));
        assertThat(pacer.tryAcquire(id("a"), Kind.UPGRADE, "r1", ALL_EXIST)).isEmpty();
        assertThat(pacer.tryAcquire(id("b"), Kind.UPGRADE, "r1", ALL_EXIST)).hasValueSatisfying(wait ->
                assertThat(wait.reason()).isEqualTo("QueuedUpgrade"));
        assertThat(pacer.tryAcquire(id("b"), Kind.SPEC_CHANGE, "r2", ALL_EXIST)).as("spec changes do not wait behind upgrades").isEmpty();
    }

    @Test
    void theSlotOfADeletedServerIsTakenBackWhenWanted() {
        RolloutPacer pacer = new RolloutPacer(1, 1, 5, Clock.fixed(T0, ZoneOffset.UTC));
        assertThat(pacer.tryAcquire(id("deleted-mid-rollout"), Kind.SPEC_CHANGE, "r1", ALL_EXIST)).isEmpty();
        assertThat(pacer.tryAcquire(id("next"), Kind.SPEC_CHANGE, "r1", ALL_EXIST)).isPresent();
        assertThat(pacer.tryAcquire(id("next"), Kind.SPEC_CHANGE, "r1", id -> !id.getName().equals("deleted-mid-rollout"))).isEmpty();
    }

    @Test
    void aSlotNeverGivenBackExpires() {
        Instant[] now = {T0};
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        RolloutPacer pacer = new RolloutPacer(1, 1, 5, clock);
        assertThat(pacer.tryAcquire(id("stuck"), Kind.UPGRADE, "r1", ALL_EXIST)).isEmpty();
        now[0] = T0.plus(RolloutPacer.SLOT_EXPIRY);
        assertThat(pacer.tryAcquire(id("next"), Kind.UPGRADE, "r1", ALL_EXIST)).as("not yet expired").isPresent();
        now[0] = T0.plus(RolloutPacer.SLOT_EXPIRY).plusSeconds(1);
        assertThat(pacer.tryAcquire(id("next"), Kind.UPGRADE, "r1", ALL_EXIST)).isEmpty();
    }

    private static ResourceID id(String name) {
        return new ResourceID(name, "team-a");
    }
}
