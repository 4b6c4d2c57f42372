package dev.mooring.operator.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

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
        return contained(want, have, ownedFields(haveMeta));
    }

    /** The fields Mooring's server-side applies own, from managedFields; a missing node when none is recorded. */
    private static JsonNode ownedFields(JsonNode meta) {
        for (JsonNode entry : meta.path("managedFields")) {
            if (ServerSideApplier.FIELD_MANAGER.equals(entry.path("manager").asText()) && "Apply".equals(entry.path("operation").asText())
                    && entry.path("subresource").asText().isEmpty()) {
                return entry.path("fieldsV1");
            }
        }
        return MissingNode.getInstance();
    }

    static boolean contained(JsonNode want, JsonNode have) {
        return contained(want, have, MissingNode.getInstance());
    }

    /**
     * Whether every value in {@code want} is present in {@code have}. Arrays match element by element, except lists
     * merged by name (containers, env, volumes) where managedFields say which elements are Mooring's: there an
     * element another manager added (an injected env var) is not Mooring's to remove, so it does not count, while
     * one Mooring applied and no longer wants does.
     *
     * @param owned the managedFields (fieldsV1) node at the same place, or a missing node
     */
    private static boolean contained(JsonNode want, JsonNode have, JsonNode owned) {
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
                if (!contained(field.getValue(), have.get(field.getKey()), owned.path("f:" + field.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (want.isArray() && have.isArray() && mergedByName(want, have, owned)) {
            return containedByName(want, have, owned);
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

    private static boolean mergedByName(JsonNode want, JsonNode have, JsonNode owned) {
        boolean ownedByName = false;
        for (Iterator<String> keys = owned.fieldNames(); keys.hasNext() && !ownedByName; ) {
            ownedByName = keys.next().startsWith("k:{\"name\":");
        }
        return ownedByName && named(want) && named(have);
    }

    private static boolean named(JsonNode array) {
        for (JsonNode element : array) {
            if (!element.path("name").isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static boolean containedByName(JsonNode want, JsonNode have, JsonNode owned) {
        Map<String, JsonNode> haveByName = new HashMap<>();
        have.forEach(element -> haveByName.put(element.path("name").asText(), element));
        Set<String> wanted = new HashSet<>();
        for (JsonNode element : want) {
            String name = element.path("name").asText();
            wanted.add(name);
            if (!contained(element, haveByName.get(name), owned.path(key(name)))) {
                return false;
            }
        }
        // An element Mooring applied before and no longer wants: the next apply removes it.
        return haveByName.keySet().stream().allMatch(name -> wanted.contains(name) || !owned.has(key(name)));
    }

    /** How managedFields name a list element keyed by name: k:{"name":"API_TOKEN"}. */
    private static String key(String name) {
        return "k:" + JsonNodeFactory.instance.objectNode().put("name", name);
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
