package dev.mooring.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.operator.cluster.TestCluster;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What `helm template` renders from helm/mooring, with the real Helm binary: permissions, hardening, modes, CRD. */
class ChartTemplateIT {

    @Test
    void passesHelmLintStrict() {
        assertThat(Helm.run("lint", "--strict", Helm.CHART.toString())).contains("0 chart(s) failed");
    }

    @Test
    void watchingEveryNamespaceGrantsOnlyTheVerbsTheOperatorUsesClusterWide() {
        List<HasMetadata> objects = Helm.template();
        ClusterRole role = of(objects, ClusterRole.class).stream().filter(r -> r.getMetadata().getName().equals("mooring-operator"))
                .findFirst().orElseThrow();
        // Which verbs: LeastPrivilegeE2E compares them with what the operator does on a real cluster.
        assertThat(verbsByResource(role.getRules())).containsEntry("mooring.dev/mcpservers", "list,watch")
                .containsEntry("apps/deployments", "create,get,list,patch,watch").doesNotContainKey("apps/replicasets");
        assertThat(role.getRules()).noneMatch(r -> r.getVerbs().contains("*") || r.getResources().contains("*") || r.getApiGroups().contains("*"));
        assertThat(kinds(objects)).contains("ClusterRoleBinding");
        assertThat(of(objects, Role.class)).extracting(r -> r.getMetadata().getName()).containsExactly("mooring-operator-leader-election");
        assertThat(env(operator(objects))).doesNotContainKey("QUARKUS_OPERATOR_SDK_CONTROLLERS_MCPSERVER_NAMESPACES");
    }

    @Test
    void givesTheNamespacesEditorsAndViewersTheirMcpServerRightsThroughAggregation() {
        List<HasMetadata> objects = Helm.template();
        ClusterRole edit = named(objects, "mooring-edit");
        assertThat(edit.getMetadata().getLabels()).containsEntry("rbac.authorization.k8s.io/aggregate-to-edit", "true")
                .containsEntry("rbac.authorization.k8s.io/aggregate-to-admin", "true")
                .doesNotContainKey("app.kubernetes.io/name");
        assertThat(verbsByResource(edit.getRules())).containsExactlyInAnyOrderEntriesOf(Map.of(
                "mooring.dev/mcpservers", "create,delete,deletecollection,get,list,patch,update,watch",
                "mooring.dev/mcpservers/status", "get,list,watch"));
        ClusterRole view = named(objects, "mooring-view");
        assertThat(view.getMetadata().getLabels()).containsEntry("rbac.authorization.k8s.io/aggregate-to-view", "true");
        assertThat(verbsByResource(view.getRules())).containsExactlyInAnyOrderEntriesOf(Map.of(
                "mooring.dev/mcpservers", "get,list,watch", "mooring.dev/mcpservers/status", "get,list,watch"));
        assertThat(of(Helm.template("userRoles.create=false"), ClusterRole.class)).extracting(r -> r.getMetadata().getName())
                .containsExactly("mooring-operator");
    }

    @Test
    void watchingAListOfNamespacesUsesARoleInEachAndNothingClusterWide() {
        List<HasMetadata> objects = Helm.template("watchNamespaces={team-a,team-b}");
        assertThat(kinds(objects)).doesNotContain("ClusterRoleBinding");
        assertThat(of(objects, ClusterRole.class)).as("only the roles for users, bound to nobody by the chart")
                .allSatisfy(r -> assertThat(r.getMetadata().getLabels()).containsEntry("app.kubernetes.io/component", "user-roles"));
        List<Role> roles = of(objects, Role.class).stream().filter(r -> !r.getMetadata().getName().endsWith("leader-election")).toList();
        assertThat(roles).extracting(r -> r.getMetadata().getNamespace()).containsExactlyInAnyOrder("team-a", "team-b");
        List<PolicyRule> clusterWide = of(Helm.template(), ClusterRole.class).stream()
                .filter(r -> r.getMetadata().getName().equals("mooring-operator")).findFirst().orElseThrow().getRules();
        assertThat(roles).as("the same verbs in each watched namespace as cluster-wide")
                .allSatisfy(r -> assertThat(verbsByResource(r.getRules())).isEqualTo(verbsByResource(clusterWide)));
        assertThat(env(operator(objects)))
                .containsEntry("QUARKUS_OPERATOR_SDK_CONTROLLERS_MCPSERVER_NAMESPACES", "team-a,team-b");
    }

    @Test
    void runsTheOperatorUnderTheRestrictedPodSecurityStandardWithProbes() {
        Deployment deployment = only(Helm.template(), Deployment.class);
        var pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        Container operator = pod.getContainers().get(0);
        assertThat(operator.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(operator.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(operator.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(operator.getStartupProbe().getPeriodSeconds() * operator.getStartupProbe().getFailureThreshold())
                .as("seconds a starting operator is given before liveness counts").isEqualTo(180);
        assertThat(operator.getResources().getLimits()).containsKey("memory");
        assertThat(operator.getImage()).isEqualTo("mooring/operator:0.1.0");
        assertThat(env(operator)).containsEntry("MOORING_VERIFICATION_IMAGE", "mooring/mcp-server:0.1.0");
        assertThat(env(operator)).containsEntry("MOORING_PROXY_IMAGE", "mooring/proxy:0.1.0");
    }

    @Test
    void carriesTheGeneratedCrdKeptOnUninstallUnlessToldOtherwise() throws IOException {
        CustomResourceDefinition committed = Serialization.unmarshal(Files.readString(TestCluster.CRD), CustomResourceDefinition.class);
        CustomResourceDefinition rendered = only(Helm.template(), CustomResourceDefinition.class);
        assertThat(rendered.getSpec()).as("the chart's CRD is the generated one").isEqualTo(committed.getSpec());
        assertThat(rendered.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");

        assertThat(only(Helm.template("crds.keep=false"), CustomResourceDefinition.class).getMetadata().getAnnotations())
                .doesNotContainKey("helm.sh/resource-policy");
        assertThat(kinds(Helm.template("crds.install=false"))).doesNotContain("CustomResourceDefinition");
    }

    @Test
    void rejectsWrongValuesBeforeRenderingAnything() {
        assertThat(Helm.tryRun("template", "mooring", Helm.CHART.toString(), "--set", "replicas=two").stderr())
                .contains("/replicas").contains("want integer");
        assertThat(Helm.tryRun("template", "mooring", Helm.CHART.toString(), "--set", "watchNamespaces={Team_A}").stderr())
                .contains("/watchNamespaces/0");
        assertThat(Helm.tryRun("template", "mooring", Helm.CHART.toString(), "--set", "metrics.service.enabled=false",
                "--set", "metrics.serviceMonitor.enabled=true").stderr()).contains("metrics.serviceMonitor.enabled needs metrics.service.enabled");
    }

    @Test
    void addsAServiceMonitorOnlyWhenAsked() {
        assertThat(kinds(Helm.template())).contains("Service").doesNotContain("ServiceMonitor");
        assertThat(kinds(Helm.template("metrics.serviceMonitor.enabled=true", "metrics.serviceMonitor.labels.release=prometheus")))
                .contains("ServiceMonitor");
    }

    @Test
    void addsAPodMonitorForTheProxiesOnlyWhenAsked() {
        assertThat(kinds(Helm.template())).doesNotContain("PodMonitor");
        HasMetadata monitor = Helm.template("metrics.podMonitor.enabled=true").stream()
                .filter(o -> o.getKind().equals("PodMonitor")).findFirst().orElseThrow();
        assertThat(Serialization.asJson(monitor)).as("the proxy's admin port in every server pod, in every namespace")
                .contains("\"port\":\"mooring-admin\"").contains("\"path\":\"/metrics\"").contains("\"any\":true")
                .contains("\"app.kubernetes.io/component\":\"mcp-server\"");
    }

    private static Map<String, String> verbsByResource(List<PolicyRule> rules) {
        return rules.stream().flatMap(r -> r.getApiGroups().stream().flatMap(g -> r.getResources().stream()
                        .map(res -> Map.entry(g + "/" + res, r.getVerbs().stream().sorted().collect(Collectors.joining(","))))))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a));
    }

    private static Container operator(List<HasMetadata> objects) {
        return only(objects, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static Map<String, String> env(Container container) {
        return container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e.getValue() == null ? "" : e.getValue()));
    }

    private static List<String> kinds(List<HasMetadata> objects) {
        return objects.stream().map(HasMetadata::getKind).toList();
    }

    private static <T extends HasMetadata> List<T> of(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static ClusterRole named(List<HasMetadata> objects, String name) {
        return of(objects, ClusterRole.class).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    }

    private static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type) {
        List<T> found = of(objects, type);
        assertThat(found).as(type.getSimpleName() + " objects").hasSize(1);
        return found.get(0);
    }
}
