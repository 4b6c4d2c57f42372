package dev.mooring.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;

/**
 * SHA-256 of a server's tool contract. Canonical form: the tools sorted by name, each reduced to the
 * fields that make the contract (name, description, inputSchema, outputSchema, when present), every
 * object's keys sorted, serialised as compact JSON in UTF-8.
 */
public final class ToolSchemaHash {
    static final List<String> CONTRACT_FIELDS = List.of("name", "description", "inputSchema", "outputSchema");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ToolSchemaHash() {
    }

    public static String of(List<JsonNode> tools) {
        ArrayNode canonical = JSON.createArrayNode();
        tools.stream().sorted(Comparator.comparing(t -> t.path("name").asText())).forEach(tool -> {
            ObjectNode contract = JSON.createObjectNode();
            for (String field : CONTRACT_FIELDS) {
                if (tool.has(field)) {
                    contract.set(field, tool.get(field));
                }
            }
            canonical.add(sorted(contract));
        });
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(JSON.writeValueAsString(canonical).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> fields = new TreeMap<>();
            node.fields().forEachRemaining(e -> fields.put(e.getKey(), sorted(e.getValue())));
            ObjectNode out = JSON.createObjectNode();
            fields.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            List<JsonNode> items = new ArrayList<>();
            node.forEach(item -> items.add(sorted(item)));
            return JSON.createArrayNode().addAll(items);
        }
        return node;
    }
}
