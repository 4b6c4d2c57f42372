package dev.mooring.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keys read from files as the kubelet lays a mounted Secret out; looked at on every use here (no 1 s pause). */
class SessionKeysTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream stdout;
    private long changedAt = System.currentTimeMillis();

    @BeforeEach
    void captureLog() {
        stdout = System.out;
        System.setOut(new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreLog() {
        System.setOut(stdout);
    }

    private static String key(int seed) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) seed);
        return Base64.getEncoder().encodeToString(key);
    }

    /**
     * As the kubelet swaps a Secret's files, a second apart at least: changes made here within the same millisecond
     * would otherwise leave the directory's time as it was.
     */
    private void changed(Path dir) throws Exception {
        changedAt += 1_000;
        Files.setLastModifiedTime(dir, FileTime.fromMillis(changedAt));
    }

    private long logged(String event) {
        return log.toString(StandardCharsets.UTF_8).lines().filter(line -> line.contains("\"event\":\"" + event + "\"")).count();
    }

    @Test
    void aKeyFileThatCannotBeReadIsReadAgainAtTheNextLookThoughNothingChanged() throws Exception {
        Path mounted = Files.createDirectory(dir.resolve("mounted"));
        Files.writeString(mounted.resolve("key-k1"), key(1));
        Files.createSymbolicLink(mounted.resolve("key-k2"), dir.resolve("k2"));
        Files.writeString(mounted.resolve("sealing"), "k2");
        SessionKeys keys = new SessionKeys(mounted, Duration.ZERO);

        assertThat(keys.all()).as("one file unreadable: none taken, rather than refusing the other key's tokens").isEmpty();
        assertThat(keys.sealingId()).isNull();
        assertThat(logged("session-keys-unreadable")).isEqualTo(1);

        Files.writeString(dir.resolve("k2"), key(2));

        assertThat(keys.all()).containsOnlyKeys("k1", "k2");
        assertThat(keys.sealingId()).isEqualTo("k2");
        assertThat(logged("session-keys-read")).isEqualTo(1);
    }

    @Test
    void aReadThatFailsKeepsTheKeysReadBeforeAndIsLoggedOncePerStreak() throws Exception {
        Files.writeString(dir.resolve("key-k1"), key(1));
        Files.writeString(dir.resolve("sealing"), "k1");
        SessionKeys keys = new SessionKeys(dir, Duration.ZERO);
        assertThat(keys.all()).containsOnlyKeys("k1");

        Files.createSymbolicLink(dir.resolve("key-k2"), dir.resolve("elsewhere"));
        changed(dir);
        for (int look = 0; look < 3; look++) {
            assertThat(keys.all()).as("not taken for a Secret without keys").containsOnlyKeys("k1");
            assertThat(keys.sealingId()).isEqualTo("k1");
        }
        assertThat(logged("session-keys-unreadable")).isEqualTo(1);

        Files.delete(dir.resolve("key-k2"));
        changed(dir);
        assertThat(keys.all()).containsOnlyKeys("k1");
        Files.createSymbolicLink(dir.resolve("key-k2"), dir.resolve("elsewhere"));
        changed(dir);
        assertThat(keys.all()).containsOnlyKeys("k1");
        assertThat(logged("session-keys-unreadable")).as("a new streak").isEqualTo(2);
        assertThat(logged("session-keys-read")).isEqualTo(1);
    }

    @Test
    void aSecretMountedAfterTheProxyStartedIsRead() throws Exception {
        Path mounted = dir.resolve("mounted");
        SessionKeys keys = new SessionKeys(mounted, Duration.ZERO);
        assertThat(keys.sealingId()).isNull();

        Files.createDirectory(mounted);
        Files.writeString(mounted.resolve("key-k1"), key(1));
        Files.writeString(mounted.resolve("sealing"), "k1");

        assertThat(keys.sealingId()).isEqualTo("k1");
    }

    @Test
    void aRemovedKeyIsNoLongerListed() throws Exception {
        Files.writeString(dir.resolve("key-k1"), key(1));
        Files.writeString(dir.resolve("key-k2"), key(2));
        Files.writeString(dir.resolve("sealing"), "k2");
        SessionKeys keys = new SessionKeys(dir, Duration.ZERO);
        var before = keys.all();
        assertThat(before).containsOnlyKeys("k1", "k2");
        assertThat(keys.all()).as("the same map while nothing changed").isSameAs(before);

        Files.delete(dir.resolve("key-k1"));
        changed(dir);

        assertThat(keys.all()).containsOnlyKeys("k2");
    }
}
