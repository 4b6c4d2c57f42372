package dev.mooring.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The image as a container engine runs it: `docker stop` sends SIGTERM to the exec-form entrypoint,
 * the server drains the call in flight and exits 0, and says so in its JSON log.
 */
class ImageIT {
    static final String IMAGE = requiredImage();

    @Test
    void drainsACallInFlightWhenDockerStopsIt() throws Exception {
        int port = ServerProcess.freePort();
        String container = docker("run", "-d", "-p", "127.0.0.1:" + port + ":3000", "-e", "DRAIN_TIMEOUT_MS=15000", IMAGE).trim();
        try {
            awaitHealthy(port);
            assertThat(docker("inspect", "-f", "{{.Config.User}}", container).trim()).isEqualTo("10001:10001");
            McpHttpClient client = new McpHttpClient(URI.create("http://127.0.0.1:" + port + "/mcp"));
            assertThat(client.initialize().statusCode()).isEqualTo(200);
            CompletableFuture<HttpResponse<String>> call = CompletableFuture.supplyAsync(
                    () -> DrainIT.unchecked(() -> client.callTool(2, "sleep", "{\"ms\":3000}")));
            ServerProcess.sleep(500);

            docker("stop", "-t", "30", container);

            HttpResponse<String> finished = call.get(30, TimeUnit.SECONDS);
            assertThat(finished.body()).contains("slept 3000 ms");
            assertThat(docker("inspect", "-f", "{{.State.ExitCode}}", container).trim()).isEqualTo("0");
            String logs = docker("logs", container);
            assertThat(logs).contains("\"drain.outcome\":\"drained\"").contains("\"drain.callsFinished\":\"1\"");
        } finally {
            docker("rm", "-f", container);
        }
    }

    private static void awaitHealthy(int port) throws Exception {
        for (int i = 0; i < 150; i++) {
            try {
                var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/health")).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            ServerProcess.sleep(200);
        }
        throw new IllegalStateException("the container did not become healthy within 30s");
    }

    static String docker(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("docker " + String.join(" ", args) + " did not finish");
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IllegalStateException("docker " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    private static String requiredImage() {
        String image = System.getenv("MOORING_SERVER_IMAGE");
        if (image == null || image.isBlank()) {
            throw new IllegalStateException("MOORING_SERVER_IMAGE is not set: run the tests with `make test`, which builds the image");
        }
        return image;
    }
}
