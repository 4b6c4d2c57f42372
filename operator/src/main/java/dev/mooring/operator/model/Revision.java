package dev.mooring.operator.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.MapperFeature;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;

/** A stable name for a rendered pod template: the same template always hashes to the same revision. */
public final class Revision {
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();
    private static final int LENGTH = 10;

    private Revision() {
    }

    /** The revision a rendered template carries in its annotation, wherever it went (Deployment, ReplicaSet); null if none. */
    public static String carriedBy(PodTemplateSpec template) {
        var annotations = template.getMetadata() == null ? null : template.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(Annotations.REVISION);
    }

    public static String of(PodTemplateSpec template) {
        try {
            // Through a tree first so that maps nested in fabric8's additionalProperties sort too.
            JsonNode tree = CANONICAL.valueToTree(template);
            byte[] canonical = CANONICAL.writeValueAsBytes(CANONICAL.treeToValue(tree, Object.class));
            return ShortHash.of(canonical, LENGTH);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot hash pod template", e);
        }
    }

}
