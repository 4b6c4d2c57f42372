package dev.mooring.operator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PodCheckTest {
    @Test
    void aFailedCheckCountsOnlyForTheSettingsItRanWith() {
        PodCheck check = PodCheck.parse("weather-1", VerificationGateTest.failedReady("c1")).orElseThrow();
        assertThat(check.failed("c1")).isTrue();
        assertThat(check.failed("c2")).as("the settings changed since: the pod is checked again").isFalse();
        assertThat(check.reason()).isEqualTo("expected tools missing: forecast");
        assertThat(check.report()).hasValueSatisfying(r -> assertThat(r.getServerName()).isEqualTo("weather"));
    }

    @Test
    void aCheckStillRunningIsNotAVerdict() {
        PodCheck check = PodCheck.parse("weather-1", "{\"state\":\"checking\",\"check\":\"c1\",\"attempts\":1,\"reason\":\"connection refused\"}")
                .orElseThrow();
        assertThat(check.checking()).isTrue();
        assertThat(check.failed("c1")).isFalse();
        assertThat(check.report()).isEmpty();
    }

    @Test
    void anythingButTheProxysAnswerIsIgnored() {
        assertThat(PodCheck.parse("weather-1", "ready\n")).isEmpty();
        assertThat(PodCheck.parse("weather-1", "<html>")).isEmpty();
        assertThat(PodCheck.parse("weather-1", "[1,2]")).isEmpty();
        assertThat(PodCheck.parse("weather-1", null)).isEmpty();
    }

    @Test
    void whatTheServerSaidIsMadeSafeForStatus() {
        PodCheck check = PodCheck.parse("weather-1", "{\"state\":\"failed\",\"check\":\"c1\",\"reason\":\"bad\\u001b[31m\\nline " + "x".repeat(5000) + "\"}")
                .orElseThrow();
        assertThat(check.reason()).doesNotContain("\n", "\u001b").hasSizeLessThan(1100);
    }
}
