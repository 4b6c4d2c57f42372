package dev.mooring.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.proxy.StartupGate.Attempt;
import dev.mooring.proxy.StartupGate.State;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StartupGateTest {
    private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private final StartupGate gate = new StartupGate(START, STARTUP);

    private static Attempt refused() {
        return new Attempt("c1", false, "connection refused", null);
    }

    private static Attempt wrong(String check) {
        return new Attempt(check, true, "expected tools missing: forecast", "{\"ok\":false}");
    }

    private static Attempt pass(String check) {
        return new Attempt(check, true, null, "{\"ok\":true}");
    }

    @Test
    void aServerThatIsStillStartingIsGivenTheWholeStartupAllowance() {
        assertThat(gate.record(refused(), START.plusSeconds(10))).isEqualTo(State.CHECKING);
        assertThat(gate.record(refused(), START.plusSeconds(59))).isEqualTo(State.CHECKING);
        assertThat(gate.snapshot().reason()).isEqualTo("connection refused");
        assertThat(gate.record(refused(), START.plusSeconds(60))).isEqualTo(State.FAILED);
        assertThat(gate.snapshot().reason()).startsWith("the server did not answer MCP within health.startupTimeout (60s)");
    }

    @Test
    void aServerThatAnswersWronglyIsJudgedAfterThreeAnswersInARowNotAtTheDeadline() {
        assertThat(gate.record(wrong("c1"), START.plusSeconds(3))).isEqualTo(State.CHECKING);
        assertThat(gate.record(wrong("c1"), START.plusSeconds(4))).isEqualTo(State.CHECKING);
        assertThat(gate.record(wrong("c1"), START.plusSeconds(5))).isEqualTo(State.FAILED);
        StartupGate.Snapshot snapshot = gate.snapshot();
        assertThat(snapshot.reason()).isEqualTo("expected tools missing: forecast");
        assertThat(snapshot.attempts()).isEqualTo(3);
        assertThat(snapshot.check()).isEqualTo("c1");
        assertThat(snapshot.report()).isEqualTo("{\"ok\":false}");
    }

    @Test
    void aRefusalBetweenWrongAnswersStartsTheCountAgain() {
        gate.record(wrong("c1"), START.plusSeconds(1));
        gate.record(wrong("c1"), START.plusSeconds(2));
        gate.record(refused(), START.plusSeconds(3));
        assertThat(gate.record(wrong("c1"), START.plusSeconds(4))).isEqualTo(State.CHECKING);
    }

    @Test
    void failedIsNotFinalAPassOpensTheGateForGood() {
        for (int i = 0; i < 3; i++) {
            gate.record(wrong("c1"), START.plusSeconds(i));
        }
        assertThat(gate.pause(wrong("c1"))).isEqualTo(StartupGate.RETRY_FAILED);
        assertThat(gate.record(pass("c1"), START.plusSeconds(20))).isEqualTo(State.PASSED);
        assertThat(gate.passed()).isTrue();
        assertThat(gate.record(wrong("c1"), START.plusSeconds(30))).as("once ready, readiness is the cheap check's").isEqualTo(State.PASSED);
    }

    @Test
    void newSettingsStartANewJudgement() {
        for (int i = 0; i < 3; i++) {
            gate.record(wrong("c1"), START.plusSeconds(i));
        }
        assertThat(gate.record(wrong("c2"), START.plusSeconds(20))).isEqualTo(State.CHECKING);
        assertThat(gate.snapshot().check()).isEqualTo("c2");
    }

    @Test
    void eachAttemptFitsInWhatIsLeftOfTheStartupAllowanceButGetsASecond() {
        assertThat(gate.attemptBudget(Duration.ofSeconds(30), START)).isEqualTo(Duration.ofSeconds(30));
        assertThat(gate.attemptBudget(Duration.ofSeconds(30), START.plusSeconds(50))).isEqualTo(Duration.ofSeconds(10));
        assertThat(gate.attemptBudget(Duration.ofSeconds(30), START.plusSeconds(70))).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aProxyGivenNoCheckIsOpenFromTheStart() {
        assertThat(StartupGate.open(START).passed()).isTrue();
    }
}
