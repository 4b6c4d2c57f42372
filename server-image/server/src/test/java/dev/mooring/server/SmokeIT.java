package dev.mooring.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** mcp-smoke against the reference server and against servers built with the official TypeScript SDK. */
class SmokeIT {
    private static ServerProcess reference;

    @BeforeAll
    static void startReferenceServer() {
        reference = ServerProcess.start(Map.of("LOG_JSON", "false")).awaitUp();
    }

    @AfterAll
    static void stopReferenceServer() {
        reference.close();
    }

    @Test
    void passesTheReferenceServerOverStreamableHttp() throws Exception {
        SmokeCli.Run run = SmokeCli.run("--url", reference.uri("/mcp").toString(), "--health-url", reference.uri("/health").toString(),
                "--expect-tools", "echo,sleep,status", "--call", "echo", "--args", "{\"text\":\"hello\"}");
        assertThat(run.exitCode()).as(run.line() + run.stderr()).isZero();
        JsonNode line = run.line();
        assertThat(line.get("ok").asBoolean()).isTrue();
        assertThat(line.get("protocolVersion").asText()).isEqualTo("2025-11-25");
        assertThat(line.get("serverName").asText()).isEqualTo("mooring-reference-server");
        assertThat(line.get("toolCount").asInt()).isEqualTo(3);
        assertThat(line.get("sessionIssuing").asBoolean()).isTrue();
        assertThat(line.get("toolSchemaSha256").asText()).matches("[0-9a-f]{64}");
        assertThat(line.get("latencyMs").fieldNames()).toIterable().contains("health", "handshake", "toolsList", "call", "total");
        assertThat(new ObjectMapper().readTree(run.terminationMessage())).isEqualTo(line);
    }

    @Test
    void passesTheReferenceServerOverLegacySse() throws Exception {
        SmokeCli.Run run = SmokeCli.run("--url", reference.uri("/mcp/sse").toString(), "--transport", "sse", "--call", "status");
        assertThat(run.exitCode()).as(run.line() + run.stderr()).isZero();
        assertThat(run.line().get("protocolVersion").asText()).isEqualTo("2024-11-05");
        assertThat(run.line().get("transport").asText()).isEqualTo("sse");
    }

    @Test
    void sameToolsGiveTheSameSchemaHashOverBothTransports() throws Exception {
        String streamable = SmokeCli.run("--url", reference.uri("/mcp").toString()).line().get("toolSchemaSha256").asText();
        String sse = SmokeCli.run("--url", reference.uri("/mcp/sse").toString(), "--transport", "sse").line().get("toolSchemaSha256").asText();
        assertThat(sse).isEqualTo(streamable);
        SmokeCli.Run pinned = SmokeCli.run("--url", reference.uri("/mcp").toString(), "--tool-schema-sha256", streamable);
        assertThat(pinned.exitCode()).isZero();
    }

    @Test
    void failsWhenInitializeIsRefused() throws Exception {
        try (ServerProcess faulty = ServerProcess.start(Map.of("MCP_FAULTS", "fail-initialize", "LOG_JSON", "false")).awaitUp()) {
            SmokeCli.Run run = SmokeCli.run("--url", faulty.uri("/mcp").toString());
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.line().get("error").asText()).startsWith("initialize").contains("fail-initialize");
        }
    }

    @Test
    void failsWhenAnExpectedToolIsMissing() throws Exception {
        try (ServerProcess faulty = ServerProcess.start(Map.of("MCP_FAULTS", "drop-tool:sleep", "LOG_JSON", "false")).awaitUp()) {
            SmokeCli.Run run = SmokeCli.run("--url", faulty.uri("/mcp").toString(), "--expect-tools", "echo,sleep");
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.line().get("error").asText()).isEqualTo("expected tools missing: sleep (the server lists echo, status)");
            assertThat(run.line().get("toolCount").asInt()).isEqualTo(2);
        }
    }

    @Test
    void failsWhenTheToolSchemaChanged() throws Exception {
        try (ServerProcess faulty = ServerProcess.start(Map.of("MCP_FAULTS", "drop-tool:sleep", "LOG_JSON", "false")).awaitUp()) {
            String before = SmokeCli.run("--url", reference.uri("/mcp").toString()).line().get("toolSchemaSha256").asText();
            SmokeCli.Run run = SmokeCli.run("--url", faulty.uri("/mcp").toString(), "--tool-schema-sha256", before);
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.line().get("error").asText()).startsWith("tool schema changed").contains(before);
        }
    }

    @Test
    void failsWhenTheHealthCheckFails() throws Exception {
        try (ServerProcess faulty = ServerProcess.start(Map.of("MCP_FAULTS", "fail-health", "LOG_JSON", "false")).awaitUp()) {
            SmokeCli.Run run = SmokeCli.run("--url", faulty.uri("/mcp").toString(), "--health-url", faulty.uri("/health").toString());
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.line().get("error").asText()).contains("answered HTTP 503");
        }
    }

    @Test
    void saysItCouldNotRunWhenTheServerExitedAtStart() throws Exception {
        ServerProcess faulty = ServerProcess.start(Map.of("MCP_FAULTS", "exit-at-start", "LOG_JSON", "false"));
        try (faulty) {
            assertThat(faulty.awaitExit(java.time.Duration.ofSeconds(30))).isEqualTo(3);
            SmokeCli.Run run = SmokeCli.run("--url", faulty.uri("/mcp").toString(), "--timeout", "3s");
            assertThat(run.exitCode()).as("could not reach any server").isEqualTo(3);
            assertThat(run.line().get("reached").asBoolean()).isFalse();
            assertThat(run.line().get("attempts").asInt()).as("refused connections are retried within the timeout").isGreaterThan(1);
            assertThat(run.line().get("error").asText()).contains("connection refused");
        }
    }

    @Test
    void failsAFailingToolCall() throws Exception {
        SmokeCli.Run run = SmokeCli.run("--url", reference.uri("/mcp").toString(), "--call", "no-such-tool");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.line().get("error").asText()).contains("no-such-tool");
    }

    @Test
    void rejectsABadCommandLineWithExitCodeTwo() throws Exception {
        SmokeCli.Run run = SmokeCli.run("--transport", "grpc", "--url", "http://127.0.0.1:1/mcp");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("--transport must be streamable-http or sse").contains("usage: mcp-smoke");
        assertThat(run.line()).isNull();
    }

    @Test
    void speaksTheStatelessGenerationWithTheTypeScriptSdk() throws Exception {
        JsonNode line = smokeAgainstPeer("stateless-server.mjs", "--call", "add", "--args", "{\"a\":2,\"b\":3}");
        assertThat(line.get("protocolVersion").asText()).isEqualTo("2026-07-28");
        assertThat(line.get("sessionIssuing").asBoolean()).isFalse();
        assertThat(line.get("serverName").asText()).isEqualTo("ts-sdk-stateless");
    }

    @Test
    void speaksTheSessionfulGenerationWithTheTypeScriptSdk() throws Exception {
        JsonNode line = smokeAgainstPeer("stateful-server.mjs", "--call", "echo", "--args", "{\"text\":\"x\"}");
        assertThat(line.get("protocolVersion").asText()).isEqualTo("2025-11-25");
        assertThat(line.get("sessionIssuing").asBoolean()).isTrue();
    }

    /** Runs mcp-smoke, expecting the peers' two tools, against a TypeScript SDK server; it must pass. */
    private static JsonNode smokeAgainstPeer(String script, String... callArgs) throws Exception {
        int port = ServerProcess.freePort();
        Process peer = TypeScriptPeers.start(script, port);
        try {
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(
                    "--url", "http://127.0.0.1:" + port + "/mcp", "--expect-tools", "echo,add"));
            args.addAll(java.util.List.of(callArgs));
            SmokeCli.Run run = SmokeCli.run(args.toArray(String[]::new));
            assertThat(run.exitCode()).as(run.line() + run.stderr()).isZero();
            return run.line();
        } finally {
            peer.destroyForcibly();
        }
    }

    @Test
    void theReferenceServerServesTheOfficialTypeScriptClient() throws Exception {
        Process client = new ProcessBuilder(TypeScriptPeers.command("client.mjs", reference.uri("/mcp").toString())).redirectErrorStream(true).start();
        assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(client.exitValue()).as(out).isZero();
        JsonNode line = new ObjectMapper().readTree(out.substring(out.lastIndexOf('\n') + 1));
        assertThat(line.get("tools")).extracting(JsonNode::asText).containsExactlyInAnyOrder("echo", "sleep", "status");
        assertThat(line.get("echo").asText()).isEqualTo("from the TypeScript SDK");
    }
}
