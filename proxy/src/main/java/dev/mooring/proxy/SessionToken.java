package dev.mooring.proxy;

import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Mcp-Session-Id the proxy gives clients instead of the server's: AES-256-GCM over what is needed to open the
 * same session again on any replica (the client's initialize parameters and a random id) and when it was issued,
 * bound to one McpServer (its identity is the additional authenticated data, so another server's token does not open
 * here). {@code m1.<key id>.<base64url(nonce | ciphertext | tag)>}.
 *
 * @param id         random, names the session across replicas
 * @param initialize the client's initialize params (protocolVersion, capabilities, clientInfo), replayed elsewhere
 * @param issuedAt   epoch seconds, sealed with the rest so that no client can make its token younger; {@link #UNDATED}
 *                   for a token sealed before tokens carried it
 */
record SessionToken(String id, JsonObject initialize, long issuedAt) {
    static final String PREFIX = "m1.";
    /**
     * The issue time of a token sealed by a proxy of the previous format, which did not seal one. Such a token still
     * opens, so that an upgrade ends no session, for as long as its key is listed: its age is bounded by the key's
     * rotation (one to two rotation periods, a week each by default) rather than by the max age.
     */
    static final long UNDATED = -1;
    /**
     * The longest token issued or opened, well under the 8 KiB that common proxies and servers allow for all of a
     * request's headers, so that a client can always send its token back. A session whose token would be longer is
     * not handed over (its initialize is too large, see SessionHandoff#issue); a longer header is not a token of this
     * proxy, and is not even decrypted.
     */
    static final int MAX_LENGTH = 4096;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    static SessionToken fresh(JsonObject initialize) {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        return new SessionToken(HexFormat.of().formatHex(id), initialize, Instant.now().getEpochSecond());
    }

    /** When the token stops opening, in epoch milliseconds: maxAge after it was issued; never by age when undated. */
    long expiresAt(Duration maxAge) {
        return issuedAt == UNDATED ? Long.MAX_VALUE : issuedAt * 1000 + maxAge.toMillis();
    }

    static boolean looksLikeOne(String header) {
        return header != null && header.startsWith(PREFIX);
    }

    String seal(String keyId, byte[] key, String server) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        JsonObject content = new JsonObject().put("id", id).put("init", initialize);
        if (issuedAt != UNDATED) {
            content.put("iat", issuedAt);
        }
        byte[] plain = content.encode().getBytes(StandardCharsets.UTF_8);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, nonce, server);
            byte[] sealed = cipher.doFinal(plain);
            ByteBuffer out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed);
            return PREFIX + keyId + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every Java runtime", e);
        }
    }

    /** The id of the key a token names (in clear, so that the right key is tried), or null when it names none. */
    static String keyId(String header) {
        int dot = looksLikeOne(header) ? header.indexOf('.', PREFIX.length()) : -1;
        return dot < 0 ? null : header.substring(PREFIX.length(), dot);
    }

    /**
     * The token's content, or empty when it is forged, altered, of another server, or sealed with a key not listed.
     * Whether it is too old is for the caller to say (see {@link #expiresAt}).
     */
    static Optional<SessionToken> open(String header, Map<String, byte[]> keys, String server) {
        if (header == null || header.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String keyId = keyId(header);
        if (keyId == null || !keys.containsKey(keyId)) {
            return Optional.empty();
        }
        int dot = PREFIX.length() + keyId.length();
        try {
            byte[] raw = Base64.getUrlDecoder().decode(header.substring(dot + 1));
            if (raw.length <= NONCE_BYTES + TAG_BITS / 8) {
                return Optional.empty();
            }
            byte[] nonce = java.util.Arrays.copyOfRange(raw, 0, NONCE_BYTES);
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, keys.get(keyId), nonce, server);
            JsonObject content = new JsonObject(new String(cipher.doFinal(raw, NONCE_BYTES, raw.length - NONCE_BYTES), StandardCharsets.UTF_8));
            String id = content.getString("id");
            JsonObject init = content.getJsonObject("init");
            Long issuedAt = content.getLong("iat");
            return id == null || init == null ? Optional.empty()
                    : Optional.of(new SessionToken(id, init, issuedAt == null ? UNDATED : issuedAt));
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException | io.vertx.core.json.DecodeException e) {
            return Optional.empty();
        }
    }

    private static Cipher cipher(int mode, byte[] key, byte[] nonce, String server) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(server.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
