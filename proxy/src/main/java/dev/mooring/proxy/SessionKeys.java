package dev.mooring.proxy;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The keys that seal session tokens, from the Secret the operator owns, mounted as files: one file per key
 * ({@code key-<id>}: 32 bytes, base64) and {@code sealing} naming the one new tokens are sealed with. Tokens sealed
 * with any listed key open; a key the operator has retired is no longer listed, so its tokens are refused.
 * Read again on every use after the files changed (the kubelet updates a mounted Secret in place), or after a read
 * that failed.
 */
final class SessionKeys {
    /**
     * The files are looked at no more often than this: every request asks for the keys. It also bounds how long a
     * read that failed waits to be tried again.
     */
    private static final Duration LOOK_EVERY = Duration.ofSeconds(1);
    private static final long UNREAD = -1;
    private final Path dir;
    private final long lookEveryNanos;
    private long nextLook = System.nanoTime();
    private long readAt = UNREAD;
    private boolean failing;
    private Map<String, byte[]> keys = Map.of();
    private String sealing;

    SessionKeys(Path dir) {
        this(dir, LOOK_EVERY);
    }

    SessionKeys(Path dir, Duration lookEvery) {
        this.dir = dir;
        this.lookEveryNanos = lookEvery.toNanos();
    }

    /**
     * Keys by id; empty when the Secret is not mounted or holds no usable key. The same map until the files change
     * and are read, so that a caller can tell a change by the map's identity.
     */
    synchronized Map<String, byte[]> all() {
        refresh();
        return keys;
    }

    /** The id of the key new tokens are sealed with, or null when there is none. */
    synchronized String sealingId() {
        refresh();
        return sealing;
    }

    /**
     * A read that fails (a file the kubelet is swapping, a permission, a directory not mounted yet) changes nothing:
     * the keys read before stay, and the files are read again at the next look whether or not they changed since.
     * Taking a failure for an empty Secret would refuse every token and end every session held here, for as long as
     * the files did not change again (a Secret can stay unchanged for a week).
     */
    private void refresh() {
        long now = System.nanoTime();
        if (now - nextLook < 0) {
            return;
        }
        nextLook = now + lookEveryNanos;
        long modified = lastModified();
        if (modified == readAt && !failing) {
            return;
        }
        try {
            read();
            readAt = modified;
            if (failing) {
                failing = false;
                log("session-keys-read", null, "the session keys are read again: " + keys.size() + " listed");
            }
        } catch (IOException | IllegalArgumentException e) {
            if (!failing) {
                // Once per streak of failures, which the next look ends or prolongs.
                failing = true;
                log("session-keys-unreadable", e.toString(), "the session keys could not be read: they are read again at their next use "
                        + (lookEveryNanos / 1_000_000) + " ms or more from now, and until then " + (keys.isEmpty()
                        ? "new sessions are not handed over" : "the " + keys.size() + " keys read before are used"));
            }
        }
    }

    private void read() throws IOException {
        Map<String, byte[]> read = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("key-")).toList()) {
                byte[] key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
                if (key.length == 32) {
                    read.put(file.getFileName().toString().substring(4), key);
                }
            }
        }
        Path sealingFile = dir.resolve("sealing");
        String id = Files.exists(sealingFile) ? Files.readString(sealingFile, StandardCharsets.US_ASCII).trim() : null;
        keys = Map.copyOf(read);
        sealing = id != null && read.containsKey(id) ? id : null;
    }

    private void log(String event, String error, String message) {
        System.out.println(new JsonObject().put("event", event).put("dir", dir.toString()).put("error", error).put("message", message).encode());
    }

    /** The kubelet swaps a symlink (..data) when the Secret changes: its time says whether to read again. */
    private long lastModified() {
        try {
            Path data = dir.resolve("..data");
            return Files.exists(data) ? Files.getLastModifiedTime(data).toMillis() ^ Files.readSymbolicLink(data).hashCode()
                    : Files.getLastModifiedTime(dir).toMillis();
        } catch (IOException | UnsupportedOperationException e) {
            return -2;
        }
    }
}
