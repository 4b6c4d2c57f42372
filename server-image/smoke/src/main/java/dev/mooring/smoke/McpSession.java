package dev.mooring.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One protocol generation over one transport: a handshake, then requests. */
interface McpSession extends AutoCloseable {
    Handshake handshake();

    /** The result of a request; a JSON-RPC error becomes a {@link SmokeFailure}. */
    JsonNode request(String method, ObjectNode params);

    @Override
    void close();
}
