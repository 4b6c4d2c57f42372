package dev.mooring.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mooring.operator.TestServers;
import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.api.v1alpha1.spec.ToolCallSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreTrafficCheckTest {
    private static final ClusterCapabilities MODERN = new ClusterCapabilities(true, true);
    private final McpServer server = TestServers.server("weather");

    private JsonNode settings(ClusterCapabilities capabilities) throws Exception {
        ConfigMap map = PreTrafficCheck.configMap(server, capabilities, List.of("r1"), java.util.Optional.empty(), null);
        assertThat(map.getMetadata().getName()).isEqualTo("weather-mcp-check");
        assertThat(map.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getController()).isTrue());
        return new ObjectMapper().readTree(map.getData().get("r1.json"));
    }

    private static List<String> args(JsonNode settings) {
        List<String> args = new ArrayList<>();
        settings.get("args").forEach(a -> args.add(a.asText()));
        return args;
    }

    @Test
    void theProxyRunsTheJobsCheckAgainstItsOwnServer() throws Exception {
        server.getSpec().getVerification().setExpectedTools(List.of("forecast", "echo"));
        ToolCallSpec call = new ToolCallSpec();
        call.setTool("echo");
        server.getSpec().getVerification().setCall(call);
        JsonNode settings = settings(MODERN);
        assertThat(settings.get("check").asText()).isEqualTo(VerificationJob.check(server));
        List<String> job = VerificationJob.command(server, server.getSpec().getVerification());
        List<String> pod = args(settings);
        assertThat(pod).containsSubsequence("--url", "http://127.0.0.1:3000/mcp");
        assertThat(pod).containsSubsequence("--expect-tools", "forecast,echo").containsSubsequence("--call", "echo");
        assertThat(pod).as("the same check as the Job's, only the URL differs")
                .hasSize(job.size() - 1).containsAll(job.subList(1, job.size()).stream().filter(a -> !a.startsWith("http://")).toList());
    }

    @Test
    void eachRevisionKeepsTheCheckItPassedSoAVerificationEditNeverStrandsTheServingRevisionsPods() throws Exception {
        server.getSpec().getVerification().setExpectedTools(List.of("forecast"));
        ConfigMap served = PreTrafficCheck.configMap(server, MODERN, List.of("r1"), java.util.Optional.empty(), null);

        server.getSpec().getVerification().setExpectedTools(List.of("forecast", "alerts"));
        ConfigMap edited = PreTrafficCheck.configMap(server, MODERN, List.of("r1"), java.util.Optional.of(served), "r1");
        assertThat(edited.getData().get("r1.json")).as("r1 serves verified: a pod replacing one of its pods runs the check r1 passed")
                .isEqualTo(served.getData().get("r1.json"));
        ConfigMap next = PreTrafficCheck.configMap(server, MODERN, List.of("r2"), java.util.Optional.of(edited), "r1");
        assertThat(args(new ObjectMapper().readTree(next.getData().get("r2.json")))).as("the next revision is checked for the edit")
                .containsSubsequence("--expect-tools", "forecast,alerts");
        assertThat(next.getData().get("r1.json")).isEqualTo(served.getData().get("r1.json"));
        ConfigMap onItsWay = PreTrafficCheck.configMap(server, MODERN, List.of("r2"), java.util.Optional.of(next), "r1");
        server.getSpec().getVerification().setExpectedTools(List.of("alerts"));
        onItsWay = PreTrafficCheck.configMap(server, MODERN, List.of("r2"), java.util.Optional.of(onItsWay), "r1");
        assertThat(args(new ObjectMapper().readTree(onItsWay.getData().get("r2.json")))).as("a revision not verified yet follows edits")
                .containsSubsequence("--expect-tools", "alerts");
    }

    @Test
    void theOldestEntriesGoOnceMoreRevisionsThanADeploymentKeepsWereWritten() {
        ConfigMap map = PreTrafficCheck.configMap(server, MODERN, List.of("r0"), java.util.Optional.empty(), null);
        for (int i = 1; i <= 20; i++) {
            map = PreTrafficCheck.configMap(server, MODERN, List.of("r" + i), java.util.Optional.of(map), "r" + (i - 1));
        }
        assertThat(map.getData()).hasSize(PreTrafficCheck.ENTRIES).containsKeys("r20.json", "r19.json", "r9.json")
                .doesNotContainKeys("r0.json", "r8.json");
    }

    @Test
    void noCheckWhenVerificationOrTheGateIsOff() throws Exception {
        server.getSpec().getVerification().setBeforeTraffic(false);
        assertThat(args(settings(MODERN))).isEmpty();
        assertThat(PreTrafficCheck.active(server, MODERN)).isFalse();
        server.getSpec().getVerification().setBeforeTraffic(true);
        server.getSpec().getVerification().setEnabled(false);
        assertThat(args(settings(MODERN))).isEmpty();
        server.getSpec().getVerification().setEnabled(true);
        server.getSpec().getProxy().setEnabled(false);
        assertThat(PreTrafficCheck.active(server, MODERN)).as("no proxy, nobody to run it").isFalse();
        server.getSpec().getProxy().setEnabled(true);
        assertThat(PreTrafficCheck.active(server, new ClusterCapabilities(true, false))).isFalse();
        assertThat(PreTrafficCheck.active(server, MODERN)).isTrue();
    }
}
