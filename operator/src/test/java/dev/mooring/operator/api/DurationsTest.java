package dev.mooring.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mooring.operator.api.v1alpha1.spec.Durations;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void parsesTheFormsCelAccepts() {
        assertThat(Durations.parse("25s")).isEqualTo(Duration.ofSeconds(25));
        assertThat(Durations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("0s")).isZero();
    }

    @Test
    void rejectsWhatAdmissionWouldRefuse() {
        for (String bad : new String[] {"", "25", "1.5s", "-1s", "s", "10 s", "1d"}) {
            assertThatThrownBy(() -> Durations.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a duration");
        }
    }

    @Test
    void roundsPartialSecondsUp() {
        assertThat(Durations.ceilSeconds(Duration.ofMillis(1500))).isEqualTo(2);
        assertThat(Durations.ceilSeconds(Duration.ofSeconds(3))).isEqualTo(3);
        assertThat(Durations.ceilSeconds(Duration.ZERO)).isZero();
    }
}
