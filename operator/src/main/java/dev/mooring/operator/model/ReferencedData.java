package dev.mooring.operator.model;

import dev.mooring.operator.model.ReferencedObjects.Kind;
import dev.mooring.operator.model.ReferencedObjects.Reference;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * What the server's referenced Secrets and ConfigMaps hold, as one hash for the pod template, or what is missing.
 * Pure: the objects are looked up by the caller, so the hash and the messages are unit-tested.
 *
 * @param hash    a short hash of every referenced object's data (keys and values), or null when nothing is referenced
 * @param missing what a pod could not start without, in words ("Secret db (env DB_PASSWORD)"); empty when all is there
 */
public record ReferencedData(String hash, List<String> missing) {
    static final int HASH_LENGTH = 16;

    public static final ReferencedData NONE = new ReferencedData(null, List.of());

    public boolean complete() {
        return missing.isEmpty();
    }

    /**
     * @param lookup the data of an object as stored (a Secret's values in base64; binaryData included), or empty when
     *               the object does not exist
     */
    public static ReferencedData of(List<Reference> references, BiFunction<Kind, String, Optional<Map<String, String>>> lookup) {
        if (references.isEmpty()) {
            return NONE;
        }
        Map<String, Optional<Map<String, String>>> objects = new TreeMap<>();
        for (Reference reference : references) {
            objects.computeIfAbsent(reference.object(), ignored -> lookup.apply(reference.kind(), reference.name()));
        }
        Set<String> missing = new LinkedHashSet<>();
        for (Reference reference : references) {
            Optional<Map<String, String>> data = objects.get(reference.object());
            if (reference.optional()) {
                continue;
            }
            if (data.isEmpty()) {
                missing.add(reference.object() + " (" + reference.usedBy() + ")");
            } else if (reference.key() != null && !data.get().containsKey(reference.key())) {
                missing.add("key " + reference.key() + " of " + reference.object() + " (" + reference.usedBy() + ")");
            }
        }
        StringBuilder digest = new StringBuilder();
        objects.forEach((object, data) -> {
            // Length-prefixed, so that no two different sets of objects and entries write the same text.
            digest.append(object.length()).append(':').append(object);
            data.ifPresentOrElse(entries -> new TreeMap<>(entries).forEach((key, value) -> digest
                    .append(key.length()).append(':').append(key).append(value.length()).append(':').append(value)), () -> digest.append("-absent"));
            digest.append('\n');
        });
        return new ReferencedData(ShortHash.of(digest.toString(), HASH_LENGTH), List.copyOf(new ArrayList<>(missing)));
    }
}
