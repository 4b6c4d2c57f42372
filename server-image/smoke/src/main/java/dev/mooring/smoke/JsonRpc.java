package dev.mooring.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.atomic.AtomicLong;

/** JSON-RPC 2.0 messages. */
final class JsonRpc {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CLIENT_NAME = "mcp-smoke";
    static final String CLIENT_VERSION = "0.1.0";
    private final AtomicLong ids = new AtomicLong();

    ObjectNode request(String method, ObjectNode params) {
        ObjectNode message = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", ids.incrementAndGet()).put("method", method);
        if (params != null) {
            message.set("params", params);
        }
        return message;
    }

    static ObjectNode notification(String method) {
        return JSON.createObjectNode().put("jsonrpc", "2.0").put("method", method);
    }

    /** The params of an initialize request offering {@code version}. */
    static ObjectNode initializeParams(String version) {
        ObjectNode params = JSON.createObjectNode().put("protocolVersion", version);
        params.set("capabilities", JSON.createObjectNode());
        params.set("clientInfo", clientInfo());
        return params;
    }

    static ObjectNode clientInfo() {
        return JSON.createObjectNode().put("name", CLIENT_NAME).put("version", CLIENT_VERSION);
    }

    /** Whether {@code message} answers the request with {@code id}. */
    static boolean answers(JsonNode message, JsonNode id) {
        // Compared as text: a server may echo 1 as an int where it was sent as a long.
        return message.has("id") && message.get("id").asText().equals(id.asText()) && (message.has("result") || message.has("error"));
    }

    static JsonNode resultOf(JsonNode response, String method) {
        if (response.has("error")) {
            JsonNode error = response.get("error");
            throw new SmokeFailure(method + " failed: " + error.path("message").asText("error " + error.path("code").asText()));
        }
        return response.get("result");
    }

    static JsonNode parse(String text, String what) {
        try {
            return JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SmokeFailure(what + " is not JSON: " + abbreviate(text));
        }
    }

    static String abbreviate(String text) {
        String flat = text == null ? "" : text.replaceAll("\\s+", " ").trim();
        return flat.length() > 200 ? flat.substring(0, 200) + "..." : flat;
    }
}
