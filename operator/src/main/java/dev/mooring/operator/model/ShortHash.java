package dev.mooring.operator.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The first hex characters of a SHA-256: short enough for object names, stable across runs and operators. */
public final class ShortHash {
    private ShortHash() {
    }

    public static String of(byte[] bytes, int length) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, length);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    public static String of(String text, int length) {
        return of(text.getBytes(StandardCharsets.UTF_8), length);
    }
}
