package dev.mooring.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.operator.chart.Helm;
import dev.mooring.operator.cluster.BuiltTools;
import dev.mooring.operator.cluster.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The chart's life on a real cluster: the operator installed from helm/mooring runs a server to Ready; an upgrade
 * to a chart whose CRD gained a field upgrades the CRD; uninstalling keeps the CRD and every McpServer with the
 * servers they run; installed again to watch one namespace, it runs with Roles only and leaves other namespaces
 * alone. A second release whose namespaces overlap the first's is refused, naming the first. The release is
 * installed again as it was afterwards for the other end-to-end classes. The servers are the official TypeScript SDK
 * v1 server, which listens within a second: what is tested here is the chart, not the server.
 */
@ExtendWith(InClusterOperator.class)
@Tag(NodeShares.ALONE)
@ResourceLock(value = NodeShares.OPERATOR, mode = ResourceAccessMode.READ_WRITE)
class HelmChartE2E {
    private static final String CRD_NAME = "mcpservers.mooring.dev";
    private static final String CRD_FILE = "files/crds/mcpservers.mooring.dev-v1.yml";

    @RegisterExtension
    static final TestNamespace NAMESPACE = TestNamespace.restricted();
    @RegisterExtension
    static final TestNamespace UNWATCHED = TestNamespace.restricted();

    private final ServersOnTheNode servers = new ServersOnTheNode(NAMESPACE);
    private final ServersOnTheNode unwatched = new ServersOnTheNode(UNWATCHED);

    @Test
    void upgradesTheCrdUninstallsWithoutLosingServersAndWatchesANamespaceList(@TempDir Path dir) throws IOException {
        KubernetesClient client = NAMESPACE.client();
        assertThat(Helm.run("status", "mooring", "--namespace", InClusterOperator.NAMESPACE)).contains("STATUS: deployed");
        servers.apply("charted", ServerSpec.sdkV1().replicas(1));
        servers.awaitReady("charted");

        assertThat(rivalRelease("watchNamespaces={" + UNWATCHED.name() + "}").stderr())
                .as("a second release while this one watches every namespace")
                .contains("Mooring release \"mooring\" in namespace \"" + InClusterOperator.NAMESPACE + "\" already watches every namespace");

        try {
            Path chart = chartWithGrownCrd(dir);
            Helm.run("upgrade", "mooring", chart.toString(), "--namespace", InClusterOperator.NAMESPACE, "--reuse-values", "--wait", "--timeout", "3m");
            CustomResourceDefinition upgraded = client.apiextensions().v1().customResourceDefinitions().withName(CRD_NAME).get();
            assertThat(specProperties(upgraded)).as("the CRD after helm upgrade").containsKey("upgradeProbe");
            // The API server now keeps the new field instead of pruning it: the CRD really changed.
            Resource<GenericKubernetesResource> charted = client.genericKubernetesResources("mooring.dev/v1alpha1", "McpServer")
                    .inNamespace(NAMESPACE.name()).withName("charted");
            charted.edit(r -> {
                @SuppressWarnings("unchecked")
                Map<String, Object> spec = (Map<String, Object>) r.getAdditionalProperties().get("spec");
                spec.put("upgradeProbe", "kept");
                return r;
            });
            assertThat(((Map<?, ?>) charted.get().getAdditionalProperties().get("spec")).get("upgradeProbe")).isEqualTo("kept");
            servers.awaitReady("charted");

            Helm.run("uninstall", "mooring", "--namespace", InClusterOperator.NAMESPACE, "--wait");
            assertThat(client.apps().deployments().inNamespace(InClusterOperator.NAMESPACE).withName(InClusterOperator.NAME).get())
                    .as("the operator is gone").isNull();
            assertThat(client.apiextensions().v1().customResourceDefinitions().withName(CRD_NAME).get()).as("the CRD after uninstall").isNotNull();
            assertThat(servers.get("charted")).as("the user's McpServer after uninstall").isNotNull();
            assertThat(client.apps().deployments().inNamespace(NAMESPACE.name()).withName("charted").get().getStatus().getReadyReplicas())
                    .as("the server keeps serving without its operator").isEqualTo(1);

            // Watching a list of namespaces: Roles in those, nothing cluster-wide, and servers elsewhere left alone.
            InClusterOperator.installFromChart(client, "watchNamespaces={" + NAMESPACE.name() + "}", "crds.install=false");
            assertThat(client.rbac().clusterRoles().withName(InClusterOperator.NAME).get()).as("ClusterRole in namespaced mode").isNull();
            servers.apply("watched", ServerSpec.sdkV1().replicas(1));
            unwatched.apply("unwatched", ServerSpec.sdkV1().replicas(1));
            servers.awaitReady("watched");
            assertThat(unwatched.get("unwatched").getStatus()).as("an McpServer outside watchNamespaces").isNull();
            assertThat(client.apps().deployments().inNamespace(UNWATCHED.name()).withName("unwatched").get()).isNull();

            BuiltTools.Result everywhere = rivalRelease();
            assertThat(everywhere.exitCode()).as("a second release watching every namespace, this one included").isNotZero();
            assertThat(everywhere.stderr()).contains("already watches namespace " + NAMESPACE.name());
            BuiltTools.Result elsewhere = rivalRelease("watchNamespaces={" + UNWATCHED.name() + "}");
            assertThat(elsewhere.exitCode()).as("a second release watching only another namespace; it reported:%n%s", elsewhere.stderr()).isZero();
        } finally {
            InClusterOperator.installFromChart(client);
        }
        servers.awaitReady("charted");
    }

    /** `helm install --dry-run=server` of a second release, which renders against the cluster and creates nothing. */
    private static BuiltTools.Result rivalRelease(String... setValues) {
        List<String> args = new ArrayList<>(List.of("install", "rival", Helm.CHART.toString(), "--namespace", UNWATCHED.name(),
                "--dry-run=server", "--set", "crds.install=false"));
        args.addAll(Helm.setFlags(setValues));
        return Helm.tryRun(args.toArray(String[]::new));
    }

    /** A copy of the chart, one version on, whose CRD has one more optional spec field. */
    private static Path chartWithGrownCrd(Path dir) throws IOException {
        Path chart = dir.resolve("mooring");
        try (Stream<Path> files = Files.walk(Helm.CHART)) {
            for (Path source : files.toList()) {
                Path target = chart.resolve(Helm.CHART.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        Path chartYaml = chart.resolve("Chart.yaml");
        Files.writeString(chartYaml, Files.readString(chartYaml).replaceFirst("(?m)^version: .*$", "version: 0.1.1-upgrade-test"));
        CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(chart.resolve(CRD_FILE)), CustomResourceDefinition.class);
        specProperties(crd).put("upgradeProbe", new JSONSchemaPropsBuilder().withType("string")
                .withDescription("A field that only the upgraded chart's CRD has.").build());
        Files.writeString(chart.resolve(CRD_FILE), Serialization.asYaml(crd));
        return chart;
    }

    private static Map<String, io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps> specProperties(CustomResourceDefinition crd) {
        return crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec").getProperties();
    }
}
