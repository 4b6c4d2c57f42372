package dev.mooring.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.operator.TestServers;
import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.api.v1alpha1.spec.ToolCallSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerificationJobTest {
    private final McpServer server = TestServers.server("weather");

    @Test
    void runsOnceWithinTheCheckTimeoutPlusStartUp() {
        server.getSpec().getVerification().setTimeout("90s");
        Job job = VerificationJob.desired(server, "abc1234567", 1, "mooring/mcp-server:dev");
        assertThat(job.getMetadata().getName()).isEqualTo("weather-verify-abc1234567-" + VerificationJob.check(server));
        assertThat(job.getMetadata().getAnnotations()).containsEntry("mooring.dev/revision", "abc1234567")
                .containsEntry("mooring.dev/verification-check", VerificationJob.check(server))
                .containsEntry("mooring.dev/verification-attempt", "1");
        assertThat(job.getSpec().getBackoffLimit()).as("a retry could hide a failure").isZero();
        assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(90 + VerificationJob.START_ALLOWANCE_SECONDS);
        assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(job.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getKind()).isEqualTo("McpServer"));
    }

    @Test
    void keepsItsNameAValidLabelValueForLongServerNames() {
        McpServer longName = TestServers.server("a-very-long-server-name-that-goes-on-and-on-and-on-forever");
        assertThat(VerificationJob.name(longName, "abc1234567", "c0ffee00", 999)).hasSizeLessThanOrEqualTo(63)
                .endsWith("-verify-abc1234567-c0ffee00-999").doesNotContain("--");
    }

    @Test
    void aRetryAfterACheckThatCouldNotRunGetsItsOwnJob() {
        assertThat(VerificationJob.name(server, "abc1234567", "c0ffee00", 2)).isEqualTo("weather-verify-abc1234567-c0ffee00-2");
        assertThat(VerificationJob.desired(server, "abc1234567", 2, "img").getMetadata().getAnnotations())
                .containsEntry("mooring.dev/verification-attempt", "2");
    }

    @Test
    void theCheckChangesWithEverySettingThatChangesTheVerdict() {
        String before = VerificationJob.check(server);
        server.getSpec().getVerification().setExpectedTools(java.util.List.of("forecast"));
        String withTools = VerificationJob.check(server);
        server.getSpec().getVerification().setToolSchemaSha256("0".repeat(64));
        String withHash = VerificationJob.check(server);
        server.getSpec().getVerification().setHeadersSecret("weather-headers");
        String withHeaders = VerificationJob.check(server);
        assertThat(java.util.List.of(before, withTools, withHash, withHeaders)).doesNotHaveDuplicates();
        server.getSpec().setReplicas(5);
        assertThat(VerificationJob.check(server)).as("replicas do not change what is checked").isEqualTo(withHeaders);
    }

    @Test
    void runsHardenedWithoutAServiceAccountToken() {
        var pod = VerificationJob.desired(server, "abc1234567", 1, "img").getSpec().getTemplate().getSpec();
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        var container = pod.getContainers().get(0);
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
    }

    @Test
    void passesTheSpecsChecksToMcpSmoke() throws Exception {
        var verification = server.getSpec().getVerification();
        verification.setExpectedTools(List.of("forecast", "alerts"));
        ToolCallSpec call = new ToolCallSpec();
        call.setTool("forecast");
        call.setArguments((ObjectNode) new ObjectMapper().readTree("{\"city\":\"Oslo\"}"));
        verification.setCall(call);
        assertThat(command()).containsSubsequence("mcp-smoke", "--url", "http://weather.team-a.svc/mcp")
                .containsSubsequence("--expect-tools", "forecast,alerts")
                .containsSubsequence("--call", "forecast", "--args", "{\"city\":\"Oslo\"}")
                .doesNotContain("--headers-dir");
    }

    @Test
    void mountsTheHeadersSecretInsteadOfPuttingCredentialsOnTheCommandLine() {
        server.getSpec().getVerification().setHeadersSecret("weather-mcp-token");
        Job job = VerificationJob.desired(server, "abc1234567", 1, "img");
        var pod = job.getSpec().getTemplate().getSpec();
        assertThat(pod.getVolumes()).filteredOn(v -> v.getSecret() != null).singleElement()
                .satisfies(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("weather-mcp-token"));
        assertThat(pod.getContainers().get(0).getVolumeMounts())
                .anySatisfy(m -> {
                    assertThat(m.getMountPath()).isEqualTo(VerificationJob.HEADERS_DIR);
                    assertThat(m.getReadOnly()).isTrue();
                });
        assertThat(command()).containsSubsequence("--headers-dir", VerificationJob.HEADERS_DIR);
    }

    private List<String> command() {
        return VerificationJob.desired(server, "abc1234567", 1, "img").getSpec().getTemplate().getSpec().getContainers().get(0).getCommand();
    }
}
