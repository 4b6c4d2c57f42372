package dev.mooring.operator.reconciler;

import dev.mooring.operator.apply.NameInUse;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;

/** Says why a reconcile failed in the words a user can act on: the API server's own message where there is one. */
final class ReconcileErrors {
    static final int MAX_MESSAGE = 1024;

    private ReconcileErrors() {
    }

    static Optional<NameInUse> nameInUse(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof NameInUse taken) {
                return Optional.of(taken);
            }
        }
        return Optional.empty();
    }

    static String describe(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof KubernetesClientException refused && refused.getCode() > 0) {
                String said = refused.getStatus() != null && refused.getStatus().getMessage() != null
                        ? refused.getStatus().getMessage() : refused.getMessage();
                return cut("the API server refused a request (HTTP " + refused.getCode() + "): " + said);
            }
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return cut(root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage()));
    }

    private static String cut(String message) {
        return message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "..." : message;
    }
}
