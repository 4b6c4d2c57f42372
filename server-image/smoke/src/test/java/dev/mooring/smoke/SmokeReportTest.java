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
}
