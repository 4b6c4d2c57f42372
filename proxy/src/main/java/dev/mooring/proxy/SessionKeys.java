package dev.mooring.proxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The keys that seal session tokens, from the Secret the operator owns, mounted as files: one file per key
 * ({@code key-<id>}: 32 bytes, base64) and {@code sealing} naming the one new tokens are sealed with. Tokens sealed
 * with any listed key open; a key the operator has retired is no longer listed, so its tokens are refused.
 * Read again on every use after the files changed (the kubelet updates a mounted Secret in place).
 */
final class SessionKeys {
    /** The files are looked at no more often than this: every request asks for the keys. */
    private static final long LOOK_EVERY_NANOS = 1_000_000_000L;
    private final Path dir;
    private long lookedAt;
    private long readAt = -1;
    private Map<String, byte[]> keys = Map.of();
    private String sealing;

    SessionKeys(Path dir) {
        this.dir = dir;
    }

    /** Keys by id; empty when the Secret is not mounted or holds no usable key. */
    synchronized Map<String, byte[]> all() {
        refresh();
        return keys;
    }

    /** The id of the key new tokens are sealed with, or null when there is none. */
    synchronized String sealingId() {
        refresh();
        return sealing;
    }

    private void refresh() {
        long now = System.nanoTime();
        if (readAt != -1 && now - lookedAt < LOOK_EVERY_NANOS) {
            return;
        }
        lookedAt = now;
        long modified = lastModified();
        if (modified == readAt) {
            return;
        }
        readAt = modified;
        Map<String, byte[]> read = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("key-")).toList()) {
                byte[] key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
                if (key.length == 32) {
                    read.put(file.getFileName().toString().substring(4), key);
                }
            }
            Path sealingFile = dir.resolve("sealing");
            String id = Files.exists(sealingFile) ? Files.readString(sealingFile, StandardCharsets.US_ASCII).trim() : null;
            keys = Map.copyOf(read);
            sealing = id != null && read.containsKey(id) ? id : null;
        } catch (IOException | IllegalArgumentException e) {
            keys = Map.of();
            sealing = null;
        }
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
