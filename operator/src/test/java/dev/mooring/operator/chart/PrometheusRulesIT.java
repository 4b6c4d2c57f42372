package dev.mooring.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.operator.cluster.BuiltTools;
import dev.mooring.operator.cluster.TestCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Mooring's alerts as Prometheus evaluates them: `promtool test rules` (from Debian's prometheus package,
 * hack/promtool.sh) runs files/alerts/tests.yaml, in which every alert fires when it should and stays quiet when it
 * should not, and the chart's PrometheusRule carries exactly those rules.
 */
class PrometheusRulesIT {
    private static final Path ALERTS = Helm.CHART.resolve("files/alerts");

    @Test
    void everyAlertFiresWhenItShouldAndOnlyThen() {
        String promtool = BuiltTools.execOrFail(List.of(TestCluster.REPO.resolve("hack/promtool.sh").toString())).trim();

        String checked = BuiltTools.execOrFail(List.of(promtool, "check", "rules", ALERTS.resolve("rules.yaml").toString()));
        String tested = BuiltTools.execOrFail(List.of(promtool, "test", "rules", ALERTS.resolve("tests.yaml").toString()));

        List<String> alerts = java.util.regex.Pattern.compile("(?m)^  - alert: (\\S+)$").matcher(read("rules.yaml"))
                .results().map(m -> m.group(1)).toList();
        assertThat(alerts).hasSizeGreaterThanOrEqualTo(6);
        assertThat(checked).contains("SUCCESS: " + alerts.size() + " rules found");
        assertThat(tested).contains("SUCCESS");
        String tests = read("tests.yaml");
        assertThat(alerts).as("every alert has its test").allSatisfy(alert -> assertThat(tests).contains("alertname: " + alert));
    }

    private static String read(String file) {
        try {
            return java.nio.file.Files.readString(ALERTS.resolve(file));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theChartShipsTheTestedRulesOnlyWhenAsked() throws IOException {
        assertThat(Helm.template()).noneMatch(o -> o.getKind().equals("PrometheusRule"));
        HasMetadata rule = Helm.template("metrics.prometheusRule.enabled=true", "metrics.prometheusRule.labels.release=prometheus")
                .stream().filter(o -> o.getKind().equals("PrometheusRule")).findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> tested = Serialization.unmarshal(Files.readString(ALERTS.resolve("rules.yaml")), Map.class);

        assertThat(((GenericKubernetesResource) rule).getAdditionalProperties().get("spec")).isEqualTo(tested);
        assertThat(rule.getMetadata().getLabels()).containsEntry("release", "prometheus");
    }
}
