package dev.mooring.operator.model;

import dev.mooring.operator.api.v1alpha1.McpServerSpec;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.List;

/**
 * The Secrets and ConfigMaps a server's pods read: env valueFrom, envFrom, and the Secret of the verification
 * headers. Their data is hashed into the pod template (see {@link ReferencedData}), so rotating one rolls the server
 * out and verifies the new pods like any other revision.
 */
public final class ReferencedObjects {
    public enum Kind { Secret, ConfigMap }

    /**
     * One use of an object.
     *
     * @param key      the key read, or null when all of it is (envFrom, headers)
     * @param optional whether the pod starts without it (the user's {@code optional: true})
     * @param usedBy   where the spec names it, for the messages that say what is missing
     */
    public record Reference(Kind kind, String name, String key, boolean optional, String usedBy) {
        public String object() {
            return kind + " " + name;
        }
    }

    private ReferencedObjects() {
    }

    public static List<Reference> of(McpServerSpec spec) {
        List<Reference> references = new ArrayList<>();
        for (EnvVar variable : spec.getEnv() == null ? List.<EnvVar>of() : spec.getEnv()) {
            var from = variable.getValueFrom();
            if (from == null) {
                continue;
            }
            String usedBy = "env " + variable.getName();
            if (from.getSecretKeyRef() != null && from.getSecretKeyRef().getName() != null) {
                var ref = from.getSecretKeyRef();
                references.add(new Reference(Kind.Secret, ref.getName(), ref.getKey(), Boolean.TRUE.equals(ref.getOptional()), usedBy));
            }
            if (from.getConfigMapKeyRef() != null && from.getConfigMapKeyRef().getName() != null) {
                var ref = from.getConfigMapKeyRef();
                references.add(new Reference(Kind.ConfigMap, ref.getName(), ref.getKey(), Boolean.TRUE.equals(ref.getOptional()), usedBy));
            }
        }
        for (EnvFromSource source : spec.getEnvFrom() == null ? List.<EnvFromSource>of() : spec.getEnvFrom()) {
            if (source.getSecretRef() != null && source.getSecretRef().getName() != null) {
                references.add(new Reference(Kind.Secret, source.getSecretRef().getName(), null,
                        Boolean.TRUE.equals(source.getSecretRef().getOptional()), "envFrom"));
            }
            if (source.getConfigMapRef() != null && source.getConfigMapRef().getName() != null) {
                references.add(new Reference(Kind.ConfigMap, source.getConfigMapRef().getName(), null,
                        Boolean.TRUE.equals(source.getConfigMapRef().getOptional()), "envFrom"));
            }
        }
        String headers = spec.getVerification().getHeadersSecret();
        if (headers != null) {
            references.add(new Reference(Kind.Secret, headers, null, false, "verification.headersSecret"));
        }
        return List.copyOf(references);
    }
}
