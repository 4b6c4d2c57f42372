package dev.mooring.operator.apply;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Applies Mooring's desired objects with server-side apply under one field manager, and only when the
 * cluster does not already hold them: a reconcile with nothing to change makes no request. An object of the
 * same name that this server does not control is left alone ({@link NameInUse}).
 */
public final class ServerSideApplier {
    public static final String FIELD_MANAGER = "mooring";

    private final KubernetesClient client;
    private final DesiredStateMatcher matcher;

    public ServerSideApplier(KubernetesClient client) {
        this.client = client;
        this.matcher = new DesiredStateMatcher(client.getKubernetesSerialization());
    }

    /**
     * @param onApplied told of the new and the previous object when a request was made, so that the
     *                  caller's cache can hold what was written before its informer hears of it
     * @return the object as it now stands
     */
    public <T extends HasMetadata> T apply(T desired, Optional<T> actual, BiConsumer<T, T> onApplied) {
        if (actual.isPresent() && matcher.matches(desired, actual.get())) {
            return actual.get();
        }
        // The cache holds only objects with Mooring's labels: before creating, ask whether the name is taken.
        T existing = actual.orElseGet(() -> client.resource(desired).get());
        if (existing != null) {
            NameInUse.requireSameController(desired, existing);
        }
        T applied = client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
        onApplied.accept(applied, actual.orElse(null));
        return applied;
    }
}
