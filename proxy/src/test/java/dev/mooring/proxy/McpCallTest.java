package dev.mooring.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class McpCallTest {
    @Test
    void theHeadersOf2026ClientsNameTheCall() {
        assertThat(McpCall.of("tools/call", "forecast", "POST", Buffer.buffer("{}"))).isEqualTo(new McpCall("tools/call", "forecast"));
    }

    @Test
    void otherwiseTheJsonRpcBodyDoes() {
        Buffer body = Buffer.buffer("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{}}}");
        assertThat(McpCall.of(null, null, "POST", body)).isEqualTo(new McpCall("tools/call", "echo"));
        assertThat(McpCall.of(null, null, "POST", Buffer.buffer("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}")))
                .isEqualTo(new McpCall("tools/list", ""));
        assertThat(McpCall.of(null, null, "POST", Buffer.buffer("[{\"method\":\"ping\"}]"))).isEqualTo(new McpCall("batch", ""));
        assertThat(McpCall.of(null, null, "POST", Buffer.buffer("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}"))).isEqualTo(new McpCall("response", ""));
        assertThat(McpCall.of(null, null, "GET", Buffer.buffer())).isEqualTo(new McpCall("stream", ""));
        assertThat(McpCall.of(null, null, "DELETE", Buffer.buffer())).isEqualTo(new McpCall("delete", ""));
    }

    @Test
    void whatClientsMakeUpDoesNotBecomeALabel() {
        assertThat(McpCall.of("made/up", null, "POST", Buffer.buffer())).isEqualTo(new McpCall("other", ""));
        assertThat(McpCall.of(null, null, "POST", Buffer.buffer("not json"))).isEqualTo(new McpCall("unparsable", ""));
        assertThat(McpCall.of("tools/call", "x".repeat(1000), "POST", Buffer.buffer()).tool()).hasSize(128);
        assertThat(McpCall.of("ping", "ignored", "POST", Buffer.buffer())).isEqualTo(new McpCall("ping", ""));
        assertThat(McpCall.of(null, null, "FOO1", Buffer.buffer())).isEqualTo(new McpCall("other", ""));
        assertThat(McpCall.of(null, null, "get", Buffer.buffer())).as("methods are case-sensitive").isEqualTo(new McpCall("other", ""));
    }

    @Test
    void knownHttpMethodsAreLabelledByName() {
        assertThat(McpCall.of(null, null, "OPTIONS", Buffer.buffer())).isEqualTo(new McpCall("options", ""));
        assertThat(McpCall.of(null, null, "HEAD", Buffer.buffer())).isEqualTo(new McpCall("head", ""));
        assertThat(McpCall.of(null, null, "PUT", Buffer.buffer())).isEqualTo(new McpCall("put", ""));
        assertThat(McpCall.of(null, null, "PATCH", Buffer.buffer())).isEqualTo(new McpCall("patch", ""));
    }

    @Test
    void everyMethodLabelIsOneOfTheKnownFew() {
        java.util.List<McpCall> calls = java.util.List.of(McpCall.of(null, null, "TRACE", Buffer.buffer()),
                McpCall.of(null, null, "GET", Buffer.buffer()), McpCall.of("made/up", null, "POST", Buffer.buffer()),
                McpCall.of(null, null, "POST", Buffer.buffer("{\"method\":\"made/up\"}")), McpCall.of(null, null, "POST", Buffer.buffer("[]")),
                McpCall.of(null, null, "POST", Buffer.buffer("{}")), McpCall.of(null, null, "POST", Buffer.buffer("{")),
                McpCall.of(null, null, "POST", Buffer.buffer()));
        assertThat(calls).allSatisfy(call -> assertThat(McpCall.METHOD_LABELS).contains(call.method()));
        assertThat(McpCall.METHOD_LABELS).as("docs/proxy.md: 28 at most").hasSize(28);
    }
}
