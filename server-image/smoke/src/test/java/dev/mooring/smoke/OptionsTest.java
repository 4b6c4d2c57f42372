package dev.mooring.smoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptionsTest {

    @Test
    void readsEveryOption() {
        Options o = Options.parse(new String[] {"--url", "http://svc/mcp", "--transport", "sse", "--expect-tools", "a, b,",
                "--tool-schema-sha256", "0".repeat(64), "--call", "echo", "--args", "{\"text\":\"x\"}",
                "--header", "Authorization: Bearer t", "--timeout", "45s", "--health-url", "http://svc:3000/health"});
        assertThat(o.transport()).isEqualTo(Options.Transport.SSE);
        assertThat(o.expectTools()).containsExactly("a", "b");
        assertThat(o.callArgs().get("text").asText()).isEqualTo("x");
        assertThat(o.headers()).containsEntry("Authorization", "Bearer t");
        assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(o.healthUrl().getPort()).isEqualTo(3000);
    }

    @Test
    void readsHeadersFromAFolderLaidOutLikeAMountedSecret(@TempDir Path dir) throws IOException {
        // The kubelet writes keys into a timestamped folder and links them through ..data.
        Path version = Files.createDirectory(dir.resolve("..2026_11_21_14_00_00.123"));
        Files.writeString(version.resolve("Authorization"), "Bearer s3cret\n");
        Files.writeString(version.resolve("X-Tenant"), "blue");
        Files.createSymbolicLink(dir.resolve("..data"), version.getFileName());
        Files.createSymbolicLink(dir.resolve("Authorization"), Path.of("..data/Authorization"));
        Files.createSymbolicLink(dir.resolve("X-Tenant"), Path.of("..data/X-Tenant"));

        Options o = Options.parse(new String[] {"--url", "http://svc/mcp", "--headers-dir", dir.toString()});
        assertThat(o.headers()).containsExactlyInAnyOrderEntriesOf(Map.of("Authorization", "Bearer s3cret", "X-Tenant", "blue"));
    }

    @Test
    void acceptsEveryDurationTheMcpServerResourceAccepts() {
        assertThat(Options.duration("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Options.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Options.duration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Options.duration("2m0s250ms")).isEqualTo(Duration.ofMillis(120_250));
    }

    @Test
    void defaultsToStreamableHttpAndThirtySeconds() {
        Options o = Options.parse(new String[] {"--url", "http://svc/mcp"});
        assertThat(o.transport()).isEqualTo(Options.Transport.STREAMABLE_HTTP);
        assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void explainsEveryUsageMistake() {
        assertUsage("--url is required");
        assertUsage("unknown option --verbose", "--verbose", "x");
        assertUsage("--url needs a value", "--url");
        assertUsage("URLs must be http or https", "--url", "ftp://x");
        assertUsage("--tool-schema-sha256 must be 64 lowercase hex characters", "--url", "http://x", "--tool-schema-sha256", "ABC");
        assertUsage("--args must be a JSON object", "--url", "http://x", "--args", "[1]");
        assertUsage("--args is not valid JSON", "--url", "http://x", "--args", "{");
        assertUsage("--header must look like Name:value", "--url", "http://x", "--header", "nocolon");
        assertUsage("--headers-dir /nonexistent is not a folder", "--url", "http://x", "--headers-dir", "/nonexistent");
        assertUsage("--timeout must look like 500ms, 30s, 2m or 1m30s", "--url", "http://x", "--timeout", "1.5s");
        assertUsage("--timeout must look like 500ms, 30s, 2m or 1m30s", "--url", "http://x", "--timeout", "30");
    }

    private static void assertUsage(String message, String... args) {
        assertThatThrownBy(() -> Options.parse(args)).isInstanceOf(Options.UsageError.class).hasMessageContaining(message);
    }
}
