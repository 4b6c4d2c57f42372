package dev.mooring.operator.model;

import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.api.v1alpha1.McpServerSpec;
import dev.mooring.operator.api.v1alpha1.spec.SessionHandoffMode;
import dev.mooring.operator.api.v1alpha1.spec.TransportType;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * The Secret that holds the key the proxies of one McpServer seal session tokens with: {@code key-<id>} (32 random
 * bytes, base64) and {@code sealing} (the id in use), mounted into every proxy. Created once, never re-applied:
 * its content is random, and only this server's pods read it.
 */
public final class SessionKeySecret {
    public static final String COMPONENT = "session-keys";
    static final String MOUNT = "/etc/mooring/session";
    static final String VOLUME = "mooring-session-keys";
    private static final SecureRandom RANDOM = new SecureRandom();

    private SessionKeySecret() {
    }

    public static String name(McpServer server) {
        return server.getMetadata().getName() + "-mcp-session";
    }

    /** Whether the pods hand sessions over: the proxy runs, handoff is Reinitialize, and the transport has sessions to hand. */
    public static boolean handsOver(McpServerSpec spec, ClusterCapabilities capabilities) {
        return ProxySidecar.runsFor(spec, capabilities) && wanted(spec);
    }

    /** Handoff asked for, on a transport that has sessions to hand (the legacy SSE transport's live in its stream). */
    static boolean wanted(McpServerSpec spec) {
        return spec.getSession().getHandoff() != SessionHandoffMode.Off && spec.getTransport().getType() != TransportType.SSE;
    }

    /** For status.sessionHandoff: On, Off (spec), or Unsupported (no proxy, or the legacy SSE transport). */
    public static String state(McpServerSpec spec, ClusterCapabilities capabilities) {
        if (spec.getSession().getHandoff() == SessionHandoffMode.Off) {
            return "Off";
        }
        return handsOver(spec, capabilities) ? "On" : "Unsupported";
    }

    /** A new Secret with one fresh key; returns it with the key's id. */
    public static Secret fresh(McpServer server, Instant now) {
        byte[] key = newKey();
        String id = SessionKeyRotation.keyId(now);
        return new SecretBuilder()
                .withMetadata(ChildMetadata.of(server).withName(name(server)).withLabels(Labels.standard(server, COMPONENT)).build())
                .withType("Opaque")
                .withStringData(Map.of("key-" + id, Base64.getEncoder().encodeToString(key), "sealing", id))
                .build();
    }

    static byte[] newKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return key;
    }

    /** The data to merge into the Secret to add a key that proxies accept but do not seal with yet. */
    public static java.util.Map<String, String> staging(String id) {
        return java.util.Map.of("key-" + id, base64(Base64.getEncoder().encodeToString(newKey())));
    }

    /**
     * The data to merge into the Secret to seal with the staged key: every key but the current and the staged one is
     * removed (a null value in a JSON merge patch), so tokens sealed two rotations ago no longer open.
     */
    public static java.util.Map<String, String> promoting(Secret secret, String current, String staged) {
        java.util.Map<String, String> patch = new java.util.HashMap<>();
        patch.put("sealing", base64(staged));
        secret.getData().keySet().stream()
                .filter(k -> k.startsWith("key-") && !k.equals("key-" + current) && !k.equals("key-" + staged))
                .forEach(k -> patch.put(k, null));
        return patch;
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** The id of the key a Secret of this kind seals with, or null. */
    public static String sealingKey(Secret secret) {
        if (secret.getData() != null && secret.getData().containsKey("sealing")) {
            return new String(Base64.getDecoder().decode(secret.getData().get("sealing")), java.nio.charset.StandardCharsets.US_ASCII);
        }
        return secret.getStringData() == null ? null : secret.getStringData().get("sealing");
    }
}
