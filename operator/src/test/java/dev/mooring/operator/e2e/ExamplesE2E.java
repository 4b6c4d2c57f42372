package dev.mooring.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.cluster.BuiltTools;
import dev.mooring.operator.cluster.TestCluster;
import dev.mooring.operator.cluster.TestNamespace;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every example in examples/ (and the folder the Argo CD example syncs), applied the way Argo CD applies Git
 * (server-side, its field manager) to a namespace that enforces the restricted Pod Security Standard: its servers
 * become Ready and verified, what the example promises is there, and a server-side dry-run of the same file finds
 * nothing to change once the operator has reconciled, so Argo CD shows it Synced without ignore rules.
 */
@ExtendWith(InClusterOperator.class)
@Lasts(seconds = 107)
@ResourceLock(value = NodeShares.OPERATOR, mode = ResourceAccessMode.READ)
class ExamplesE2E {
    private static final String ARGOCD_FIELD_MANAGER = "argocd-controller";
    private static final String STATELESS_IMAGE = System.getenv().getOrDefault("MOORING_STATELESS_IMAGE", "mooring/mcp-stateless:dev");

    @RegisterExtension
    static final TestNamespace NAMESPACE = TestNamespace.restricted();

    private final ServersOnTheNode servers = new ServersOnTheNode(NAMESPACE);

    @ParameterizedTest
    @ValueSource(strings = {"quickstart.yaml", "highly-available.yaml", "env-from-secret.yaml", "ingress.yaml", "stateless.yaml",
            "argocd/servers/tools.yaml"})
    void runsVerifiedAndStaysSynced(String example, @TempDir Path dir) throws IOException {
        String yaml = Files.readString(TestCluster.REPO.resolve("examples").resolve(example))
                .replace("image: mooring/mcp-server:dev", "image: " + ServersOnTheNode.SERVER_IMAGE)
                .replace("image: mooring/mcp-stateless:dev", "image: " + STATELESS_IMAGE);
        Path file = Files.writeString(dir.resolve(Path.of(example).getFileName()), yaml);
        List<String> target = List.of("--namespace", NAMESPACE.name(), "--field-manager", ARGOCD_FIELD_MANAGER, "-f", file.toString());

        kubectl("apply", "--server-side", target);
        try {
            for (HasMetadata object : objects(yaml)) {
                if ("McpServer".equals(object.getKind())) {
                    McpServer server = servers.awaitReady(object.getMetadata().getName());
                    assertThat(server.getStatus().getLastVerifiedRevision()).as(example + ": verified revision").isEqualTo(server.getStatus().getRevision());
                }
            }
            promises(example);

            BuiltTools.Result diff = BuiltTools.run("kubectl", concat(List.of("diff", "--server-side"), target));
            assertThat(diff.exitCode()).as(example + ": server-side dry-run after the operator reconciled; it reported:%n%s%s", diff.stdout(), diff.stderr())
                    .isZero();
        } finally {
            kubectl("delete", "--wait=false", List.of("--namespace", NAMESPACE.name(), "-f", file.toString()));
        }
    }

    /** What each example says it does, beyond becoming Ready. */
    private void promises(String example) {
        KubernetesClient client = NAMESPACE.client();
        switch (example) {
            case "highly-available.yaml" -> {
                List<Pod> pods = servers.pods("ha");
                assertThat(pods).hasSize(3);
                assertThat(pods).allSatisfy(p -> assertThat(p.getSpec().getTopologySpreadConstraints()).hasSize(2));
                assertThat(client.policy().v1().podDisruptionBudget().inNamespace(NAMESPACE.name()).withName("ha").get().getSpec().getMaxUnavailable().getIntVal())
                        .isEqualTo(1);
            }
            case "env-from-secret.yaml" -> assertThat(servers.pods("weather")).allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getEnvFrom())
                    .extracting(e -> e.getSecretRef() != null ? "secret/" + e.getSecretRef().getName() : "configmap/" + e.getConfigMapRef().getName())
                    .containsExactly("secret/weather-credentials", "configmap/weather-settings"));
            case "ingress.yaml" -> {
                Ingress ingress = client.network().v1().ingresses().inNamespace(NAMESPACE.name()).withName("public-tools").get();
                var backend = ingress.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService();
                var service = client.services().inNamespace(NAMESPACE.name()).withName(backend.getName()).get();
                assertThat(service.getSpec().getPorts()).anySatisfy(p -> assertThat(p.getName()).isEqualTo(backend.getPort().getName()));
                assertThat(ingress.getMetadata().getAnnotations())
                        .containsEntry("nginx.ingress.kubernetes.io/proxy-buffering", "off")
                        .containsEntry("nginx.ingress.kubernetes.io/proxy-read-timeout", "3600");
            }
            case "stateless.yaml" -> {
                McpServer server = servers.get("stateless");
                assertThat(server.getStatus().getVerification().getProtocolVersion()).isEqualTo("2026-07-28");
                assertThat(server.getStatus().getVerification().getSessionIssuing()).as("verification found no sessions").isFalse();
                assertThat(client.services().inNamespace(NAMESPACE.name()).withName("stateless").get().getSpec().getSessionAffinity())
                        .as("session.affinity Auto for a stateless server").isEqualTo("None");
            }
            default -> {
            }
        }
    }

    private List<HasMetadata> objects(String yaml) {
        return NAMESPACE.client().load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
    }

    private static void kubectl(String verb, String option, List<String> target) {
        BuiltTools.runOrFail("kubectl", concat(List.of(verb, option), target));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }
}
