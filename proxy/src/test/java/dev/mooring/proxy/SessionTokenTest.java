package dev.mooring.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionTokenTest {
    private static final byte[] OLD = key(1);
    private static final byte[] NEW = key(2);
    private static final String SERVER = "team-a/weather";
    private final JsonObject initialize = new JsonObject().put("protocolVersion", "2025-06-18")
            .put("capabilities", new JsonObject()).put("clientInfo", new JsonObject().put("name", "agent").put("version", "1"));

    private static byte[] key(int seed) {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) seed);
        return key;
    }

    @Test
    void opensOnAnyReplicaWithTheKeysAndCarriesTheClientsInitialize() {
        SessionToken token = SessionToken.fresh(initialize);
        String sealed = token.seal("new", NEW, SERVER);
        assertThat(sealed).startsWith("m1.new.").doesNotContain("agent").matches("[\\x21-\\x7e]+");
        assertThat(SessionToken.open(sealed, Map.of("new", NEW), SERVER)).contains(token);
        assertThat(SessionToken.fresh(initialize).id()).isNotEqualTo(token.id());
    }

    @Test
    void aTamperedOrForgedTokenDoesNotOpen() {
        String sealed = SessionToken.fresh(initialize).seal("new", NEW, SERVER);
        char last = sealed.charAt(sealed.length() - 5);
        String tampered = sealed.substring(0, sealed.length() - 5) + (last == 'A' ? 'B' : 'A') + sealed.substring(sealed.length() - 4);
        assertThat(SessionToken.open(tampered, Map.of("new", NEW), SERVER)).isEmpty();
        String forged = "m1.new." + Base64.getUrlEncoder().withoutPadding().encodeToString(new JsonObject()
                .put("id", "x").put("init", initialize).encode().getBytes());
        assertThat(SessionToken.open(forged, Map.of("new", NEW), SERVER)).isEmpty();
        assertThat(SessionToken.open("m1.new.", Map.of("new", NEW), SERVER)).isEmpty();
        assertThat(SessionToken.open("m1.new.!!!", Map.of("new", NEW), SERVER)).isEmpty();
        assertThat(SessionToken.open("a-servers-own-session-id", Map.of("new", NEW), SERVER)).isEmpty();
    }

    @Test
    void aTokenLongerThanAnyIssuedDoesNotOpenEvenWhenSealedWithAListedKey() {
        JsonObject large = initialize.copy().put("clientInfo", new JsonObject().put("name", "x".repeat(SessionToken.MAX_LENGTH)));
        String sealed = SessionToken.fresh(large).seal("new", NEW, SERVER);
        assertThat(sealed.length()).isGreaterThan(SessionToken.MAX_LENGTH);
        assertThat(SessionToken.open(sealed, Map.of("new", NEW), SERVER)).isEmpty();
        String longest = SessionToken.fresh(initialize).seal("new", NEW, SERVER);
        assertThat(SessionToken.open(longest, Map.of("new", NEW), SERVER)).isPresent();
    }

    @Test
    void anotherServersTokenDoesNotOpenEvenWithTheSameKey() {
        String sealed = SessionToken.fresh(initialize).seal("new", NEW, "team-b/weather");
        assertThat(SessionToken.open(sealed, Map.of("new", NEW), SERVER)).isEmpty();
    }

    @Test
    void aRotationKeepsTheOldKeysTokensUntilTheKeyIsRetired() {
        String before = SessionToken.fresh(initialize).seal("old", OLD, SERVER);
        assertThat(SessionToken.open(before, Map.of("old", OLD, "new", NEW), SERVER)).as("both keys listed").isPresent();
        assertThat(SessionToken.open(before, Map.of("new", NEW), SERVER)).as("the old key retired").isEmpty();
        assertThat(SessionToken.open(before, Map.of("old", NEW), SERVER)).as("another key under the old id").isEmpty();
    }

    @Test
    void carriesWhenItWasIssuedSealedWithTheRest() {
        long before = Instant.now().getEpochSecond();
        SessionToken token = SessionToken.fresh(initialize);
        assertThat(token.issuedAt()).isBetween(before, Instant.now().getEpochSecond());
        assertThat(SessionToken.open(token.seal("new", NEW, SERVER), Map.of("new", NEW), SERVER)).contains(token);
        assertThat(token.expiresAt(Duration.ofHours(24))).isEqualTo(token.issuedAt() * 1000 + 86_400_000L);
    }

    @Test
    void aTokenOfThePreviousFormatOpensUndatedAndDoesNotExpireByAge() {
        // The previous format sealed {"id","init"} only: its age is bounded by its key's removal.
        SessionToken undated = new SessionToken("0123", initialize, SessionToken.UNDATED);
        assertThat(SessionToken.open(undated.seal("new", NEW, SERVER), Map.of("new", NEW), SERVER)).contains(undated);
        assertThat(undated.expiresAt(Duration.ofHours(24))).isEqualTo(Long.MAX_VALUE);
        assertThat(SessionToken.open(undated.seal("old", OLD, SERVER), Map.of("new", NEW), SERVER)).as("its key removed").isEmpty();
    }
}
