package dev.mooring.operator.apply;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.ArrayList;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * An informer cache that keeps only what Mooring owns (the predicate, see {@code model.Ownership}: an object a tenant
 * merely labelled like Mooring's costs a watch event and nothing more), and of that, of each object's managedFields
 * only the entries of the field managers Mooring reads ({@link DesiredStateMatcher} compares with what Mooring's applies own; {@link ReplicasHandoff} looks for who owns
 * the replicas), and none for kinds Mooring never applies (pods, EndpointSlices); of pods, whose spec Mooring never
 * reads (it reads their metadata and status), not the spec either. The other managers' entries and the pods' specs
 * were most of the operator's heap at 500 servers (make bench-scale).
 */
public class TrimmedItemStore<R extends HasMetadata> extends BasicItemStore<R> {
    private static final Set<String> READ = Set.of(ServerSideApplier.FIELD_MANAGER, ReplicasHandoff.FIELD_MANAGER);

    private final boolean keepMooring;
    private final Predicate<R> owned;

    private TrimmedItemStore(boolean keepMooring, Predicate<R> owned) {
        super(Cache::metaNamespaceKeyFunc);
        this.keepMooring = keepMooring;
        this.owned = owned;
    }

    /** For pods: no managedFields and an empty spec. */
    public static TrimmedItemStore<Pod> pods(Predicate<Pod> owned) {
        return new TrimmedItemStore<>(false, owned) {
            @Override
            public Pod put(String key, Pod pod) {
                pod.setSpec(new PodSpec());
                return super.put(key, pod);
            }
        };
    }

    /** For the kinds Mooring applies: its own managers' entries stay. */
    public static <R extends HasMetadata> TrimmedItemStore<R> applied(Predicate<R> owned) {
        return new TrimmedItemStore<>(true, owned);
    }

    /** For the kinds Mooring only reads. */
    public static <R extends HasMetadata> TrimmedItemStore<R> readOnly(Predicate<R> owned) {
        return new TrimmedItemStore<>(false, owned);
    }

    /** Not kept, or no longer kept (an owner reference removed): whatever was kept under the key goes. */
    @Override
    public R put(String key, R object) {
        if (!owned.test(object)) {
            return super.remove(key);
        }
        var managed = object.getMetadata().getManagedFields();
        if (managed != null && !managed.isEmpty()) {
            object.getMetadata().setManagedFields(keepMooring
                    ? managed.stream().filter(entry -> READ.contains(entry.getManager())).collect(Collectors.toCollection(ArrayList::new))
                    : new ArrayList<>());
        }
        return super.put(key, object);
    }
}
