package dev.mooring.operator.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Iterator;
import java.util.Map;

/**
 * Tells whether an object in the cluster already holds everything Mooring would apply, so that a
 * reconcile with nothing to change sends nothing. Fields Mooring does not set (server defaults, an
 * HPA's replicas, annotations from webhooks or kubectl rollout restart) are ignored; the values it
 * does set must be there, compared the way the API server normalises them.
 */
public final class DesiredStateMatcher {
    private final KubernetesSerialization serialization;

    public DesiredStateMatcher(KubernetesSerialization serialization) {
        this.serialization = serialization;
    }

    public boolean matches(HasMetadata desired, HasMetadata actual) {
        if (actual == null) {
            return false;
        }
        ObjectNode want = serialization.convertValue(desired, ObjectNode.class);
        ObjectNode have = serialization.convertValue(actual, ObjectNode.class);
        want.remove("status");
        ObjectNode wantMeta = (ObjectNode) want.remove("metadata");
        JsonNode haveMeta = have.path("metadata");
        for (String field : new String[] {"labels", "annotations", "ownerReferences"}) {
            if (wantMeta != null && wantMeta.has(field) && !contained(wantMeta.get(field), haveMeta.get(field))) {
                return false;
            }
        }
        return contained(want, have);
    }

    /** Whether every value in {@code want} is present in {@code have}. Arrays match element by element. */
    static boolean contained(JsonNode want, JsonNode have) {
        if (isEmpty(want)) {
            return have == null || have.isMissingNode() || have.isNull() || isEmpty(have);
        }
        if (have == null || have.isMissingNode() || have.isNull()) {
            return false;
        }
        if (want.isObject()) {
            if (!have.isObject()) {
                return false;
            }
            Iterator<Map.Entry<String, JsonNode>> fields = want.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!contained(field.getValue(), have.get(field.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (want.isArray()) {
            if (!have.isArray() || have.size() != want.size()) {
                return false;
            }
            for (int i = 0; i < want.size(); i++) {
                if (!contained(want.get(i), have.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return sameScalar(want, have);
    }

    private static boolean sameScalar(JsonNode want, JsonNode have) {
        if (want.isNumber() && have.isNumber()) {
            return want.decimalValue().compareTo(have.decimalValue()) == 0;
        }
        if (want.equals(have)) {
            return true;
        }
        // Quantities come back canonical ("0.5" is stored as "500m"); compare their amounts.
        if (want.isValueNode() && have.isValueNode()) {
            return sameQuantity(want.asText(), have.asText());
        }
        return false;
    }

    private static boolean sameQuantity(String want, String have) {
        try {
            return Quantity.getAmountInBytes(new Quantity(want)).compareTo(Quantity.getAmountInBytes(new Quantity(have))) == 0;
        } catch (RuntimeException notAQuantity) {
            return false;
        }
    }

    /** The API server drops empty strings, lists and maps, so wanting one is the same as wanting none. */
    private static boolean isEmpty(JsonNode node) {
        return node != null && ((node.isTextual() && node.asText().isEmpty())
                || (node.isContainerNode() && node.isEmpty()));
    }
}
