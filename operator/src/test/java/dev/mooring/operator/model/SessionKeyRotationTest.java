package dev.mooring.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.operator.TestServers;
import dev.mooring.operator.model.SessionKeyRotation.Step;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionKeyRotationTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Duration WEEK = Duration.ofDays(7);

    @Test
    void aKeyIsStagedAfterThePeriodAndSealsOnlyOnceEveryProxyCanHaveIt() {
        SessionKeyRotation fresh = new SessionKeyRotation("a", T0, null, null);
        assertThat(fresh.next(T0.plus(Duration.ofDays(6)), WEEK)).isEqualTo(Step.NONE);
        assertThat(fresh.dueAt(WEEK)).isEqualTo(T0.plus(WEEK));
        assertThat(fresh.next(T0.plus(WEEK), WEEK)).isEqualTo(Step.STAGE);

        Instant staged = T0.plus(WEEK);
        SessionKeyRotation staging = new SessionKeyRotation("a", T0, "b", staged);
        assertThat(staging.next(staged.plus(Duration.ofMinutes(4)), WEEK)).as("the kubelet may not have updated every pod").isEqualTo(Step.NONE);
        assertThat(staging.next(staged.plus(SessionKeyRotation.STAGE), WEEK)).isEqualTo(Step.PROMOTE);
        assertThat(staging.dueAt(WEEK)).isEqualTo(staged.plus(SessionKeyRotation.STAGE));
    }

    @Test
    void promotingKeepsTheCurrentKeySoTokensOpenForAtLeastAPeriodAndRetiresTheOlderOnes() {
        Secret secret = new SecretBuilder().withData(Map.of("key-z", "eA==", "key-a", "eA==", "key-b", "eA==", "sealing", "YQ==")).build();
        Map<String, String> patch = SessionKeySecret.promoting(secret, "a", "b");
        assertThat(patch).containsEntry("key-z", null).doesNotContainKeys("key-a", "key-b");
        assertThat(new String(Base64.getDecoder().decode(patch.get("sealing")))).isEqualTo("b");
    }

    @Test
    void aStagedKeyIsANewRandomKeyUnderANewId() {
        Map<String, String> one = SessionKeySecret.staging("b");
        String fileContent = new String(Base64.getDecoder().decode(one.get("key-b")));
        assertThat(Base64.getDecoder().decode(fileContent)).hasSize(32);
        assertThat(SessionKeySecret.staging("b").get("key-b")).isNotEqualTo(one.get("key-b"));
        assertThat(SessionKeyRotation.keyId(T0)).isNotEqualTo(SessionKeyRotation.keyId(T0.plusSeconds(1)));
        assertThat(SessionKeySecret.sealingKey(SessionKeySecret.fresh(TestServers.server("weather"), T0))).isEqualTo(SessionKeyRotation.keyId(T0));
    }
}
