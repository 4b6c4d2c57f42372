package dev.mooring.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SmokeReportTest {

    @Test
    void fitsTheTerminationMessageByDroppingToolNamesFirst() {
        SmokeReport report = new SmokeReport();
        report.url = "http://svc/mcp";
        report.tools = IntStream.range(0, 400).mapToObj(i -> "tool-number-" + i).toList();
        String line = report.toJsonWithin(SmokeReport.TERMINATION_LIMIT);
        assertThat(line.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);
        assertThat(line).contains("\"toolCount\":400").doesNotContain("tool-number-0");
        assertThat(report.toJson()).contains("tool-number-0");
    }

    @Test
    void cutsAHugeErrorToFit() {
        SmokeReport report = new SmokeReport();
        report.error = "x".repeat(10_000);
        assertThat(report.toJsonWithin(SmokeReport.TERMINATION_LIMIT).getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);
        assertThat(report.ok()).isFalse();
    }

    @Test
    void staysValidJsonWithinTheLimitWhateverTheServerCallsItself() throws Exception {
        SmokeReport report = new SmokeReport();
        report.url = "http://svc/mcp";
        report.serverName = "n\u0000\"ame".repeat(5_000);
        report.serverVersion = "v".repeat(5_000);
        report.protocolVersion = "p".repeat(5_000);
        report.tools = java.util.List.of("echo");
        String line = report.toJsonWithin(SmokeReport.TERMINATION_LIMIT);
        assertThat(line.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);
        var parsed = JsonRpc.JSON.readTree(line);
        assertThat(parsed.path("ok").asBoolean()).isTrue();
        assertThat(parsed.path("serverName").asText()).startsWith("n\u0000\"ame").endsWith("...");
    }

    @Test
    void saysWhetherAServerWasReached() {
        SmokeReport report = new SmokeReport();
        report.error = "cannot reach http://svc/mcp: connection refused";
        report.reached = false;
        report.attempts = 7;
        assertThat(report.toJson()).contains("\"reached\":false", "\"attempts\":7");
    }
}
