package dev.mooring.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyConfigTest {
    @Test
    void runByHandTheProxyHasNoDrainTokenAndTheDefaultLimits() {
        ProxyConfig config = ProxyConfig.fromEnvironment(Map.of("MOORING_PROXY_DRAIN_TOKEN", " "));
        assertThat(config.drainToken()).as("blank is none: /drain stays open").isNull();
        assertThat(config.gracePeriod()).as("preStopDelay + drain timeout + 5 s, as the operator renders it").isEqualTo(Duration.ofSeconds(35));
        assertThat(config.limits()).isEqualTo(new ProxyConfig.Limits(16L * 1024 * 1024, Duration.ofSeconds(120), Duration.ofSeconds(10),
                Duration.ofSeconds(30)));
        assertThat(config.sessionMaxAge()).as("session tokens open for a day").isEqualTo(Duration.ofHours(24));
    }

    @Test
    void readsWhatTheOperatorRenders() {
        ProxyConfig config = ProxyConfig.fromEnvironment(Map.of("MOORING_PROXY_DRAIN_TOKEN", "a1b2", "MOORING_PROXY_PRESTOP_DELAY_MS", "2000",
                "MOORING_PROXY_DRAIN_TIMEOUT_MS", "10000", "MOORING_PROXY_BUFFER_BUDGET_BYTES", "8388608",
                "MOORING_PROXY_CLIENT_IDLE_TIMEOUT_MS", "60000", "MOORING_PROXY_HEADER_TIMEOUT_MS", "5000", "MOORING_PROXY_BODY_TIMEOUT_MS", "15000"));
        assertThat(config.drainToken()).isEqualTo("a1b2");
        assertThat(config.gracePeriod()).isEqualTo(Duration.ofSeconds(17));
        assertThat(config.limits()).isEqualTo(new ProxyConfig.Limits(8L * 1024 * 1024, Duration.ofSeconds(60), Duration.ofSeconds(5),
                Duration.ofSeconds(15)));
        assertThat(ProxyConfig.fromEnvironment(Map.of("MOORING_PROXY_GRACE_PERIOD_MS", "40000")).gracePeriod()).isEqualTo(Duration.ofSeconds(40));
        assertThat(ProxyConfig.fromEnvironment(Map.of("MOORING_PROXY_SESSION_MAX_AGE_MS", "3600000")).sessionMaxAge()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void refusesLimitsThatCouldNeverBeMet() {
        assertThatThrownBy(() -> ProxyConfig.fromEnvironment(Map.of("MOORING_PROXY_GRACE_PERIOD_MS", "29999")))
                .hasMessageContaining("MOORING_PROXY_GRACE_PERIOD_MS must be at least");
        assertThatThrownBy(() -> ProxyConfig.fromEnvironment(Map.of("MOORING_PROXY_BUFFER_BUDGET_BYTES", "8388607")))
                .hasMessageContaining("must be at least 8388608");
        assertThatThrownBy(() -> ProxyConfig.fromEnvironment(Map.of("MOORING_PROXY_HEADER_TIMEOUT_MS", "0")))
                .hasMessageContaining("MOORING_PROXY_HEADER_TIMEOUT_MS must be a number of milliseconds, 1 or more");
        assertThatThrownBy(() -> ProxyConfig.fromEnvironment(Map.of("MOORING_PROXY_SESSION_MAX_AGE_MS", "0")))
                .as("every token would be expired")
                .hasMessageContaining("MOORING_PROXY_SESSION_MAX_AGE_MS must be a number of milliseconds, 1 or more");
    }
}
