package dev.mooring.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.operator.TestServers;
import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.api.v1alpha1.spec.TransportType;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerDeploymentTest {
    private static final ClusterCapabilities MODERN = new ClusterCapabilities(true, true);
    private static final ClusterCapabilities OLD = new ClusterCapabilities(false, false);
    private static final String PROXY_IMAGE = "mooring/proxy:test";

    private final McpServer server = TestServers.server("weather");

    @Test
    void rollsOutWithoutEverReducingCapacity() {
        server.getSpec().getRollout().setMaxSurge(2);
        var strategy = deployment().getSpec().getStrategy();
        assertThat(strategy.getType()).isEqualTo("RollingUpdate");
        assertThat(strategy.getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
        assertThat(strategy.getRollingUpdate().getMaxSurge().getIntVal()).isEqualTo(2);
        assertThat(deployment().getSpec().getProgressDeadlineSeconds()).isEqualTo(600);
    }

    @Test
    void runsTheProxyAsANativeSidecarOnTheMcpPort() {
        server.getSpec().getHealth().setPath("/health");
        PodSpec pod = pod();
        assertThat(pod.getInitContainers()).hasSize(1);
        Container proxy = pod.getInitContainers().get(0);
        assertThat(proxy.getName()).isEqualTo(ProxySidecar.CONTAINER);
        assertThat(proxy.getImage()).isEqualTo(PROXY_IMAGE);
        assertThat(proxy.getRestartPolicy()).as("a sidecar: started before the server, stopped after it").isEqualTo("Always");
        assertThat(proxy.getPorts()).extracting(p -> p.getName() + "=" + p.getContainerPort()).containsExactly("mcp=15080", "mooring-admin=15081");
        assertThat(container().getPorts()).extracting(p -> p.getName() + "=" + p.getContainerPort())
                .as("the Service's target port name moves to the proxy").containsExactly("mcp-upstream=3000");
        assertThat(proxy.getEnv()).filteredOn(e -> !e.getName().equals("MOORING_PROXY_DRAIN_TOKEN"))
                .extracting(e -> e.getName() + "=" + e.getValue()).containsExactly(
                "MOORING_PROXY_UPSTREAM_PORT=3000", "MOORING_PROXY_HEALTH_PATH=/health", "MOORING_PROXY_HEALTH_PORT=3000",
                "MOORING_PROXY_HEALTH_PERIOD_MS=5000",
                "MOORING_PROXY_STARTUP_TIMEOUT_MS=60000",
                "MOORING_PROXY_SESSION_KEYS=/etc/mooring/session", "MOORING_PROXY_SERVER=team-a/weather", "MOORING_PROXY_SESSION_MAX_AGE_MS=86400000",
                "MOORING_PROXY_PRESTOP_DELAY_MS=5000", "MOORING_PROXY_DRAIN_TIMEOUT_MS=25000", "MOORING_PROXY_GRACE_PERIOD_MS=35000",
                "MOORING_PROXY_CHECK_SETTINGS=/etc/mooring/check/" + ServerDeployment.revision(deployment()) + ".json");
        assertThat(proxy.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
        assertThat(proxy.getReadinessProbe().getPeriodSeconds()).as("ready within a second of passing the check").isEqualTo(1);
        assertThat(proxy.getReadinessProbe().getFailureThreshold()).as("unready after 3 x 5 s, as without the proxy").isEqualTo(15);
        assertThat(proxy.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/live");
        assertThat(proxy.getStartupProbe().getHttpGet().getPath()).isEqualTo("/live");
        assertThat(proxy.getStartupProbe().getFailureThreshold() * proxy.getStartupProbe().getPeriodSeconds())
                .as("the server's startup allowance, not liveness, while the proxy's JVM starts").isEqualTo(60);
        assertThat(proxy.getResources().getLimits()).containsKey("memory");
        assertThat(proxy.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(proxy.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
    }

    @Test
    void withTheProxyTheServersPreStopWaitsForItsDrainAndItsReadinessIsTheProxys() {
        server.getSpec().getDrain().setTimeout("40s");
        server.getSpec().getDrain().setPreStopDelay("7s");
        assertThat(container().getLifecycle().getPreStop().getHttpGet().getPath()).isEqualTo("/drain");
        assertThat(container().getLifecycle().getPreStop().getHttpGet().getPort().getIntVal()).isEqualTo(15081);
        assertThat(container().getReadinessProbe()).isNull();
        assertThat(container().getLivenessProbe().getTcpSocket()).as("liveness never fails during a drain").isNotNull();
        assertThat(pod().getTerminationGracePeriodSeconds()).isEqualTo(7 + 40 + 5);
        assertThat(ServerDeployment.readinessCheck(server, MODERN)).isEqualTo("the Mooring proxy's /ready (the MCP check, then a TCP connect to :3000)");
    }

    @Test
    void onlyThePodsOwnPreStopCanDrainAndTheTokenOutlivesEveryRevision() {
        Deployment first = ServerDeployment.desired(server, MODERN, PROXY_IMAGE, ReferencedData.NONE, DrainToken.keptOrFresh(Optional.empty()));
        Container proxy = first.getSpec().getTemplate().getSpec().getInitContainers().get(0);
        String token = proxy.getEnv().stream().filter(v -> v.getName().equals("MOORING_PROXY_DRAIN_TOKEN")).findFirst().orElseThrow().getValue();
        assertThat(token).as("unguessable").hasSizeGreaterThanOrEqualTo(32);
        assertThat(first.getSpec().getTemplate().getSpec().getContainers().get(0).getLifecycle().getPreStop().getHttpGet().getHttpHeaders())
                .as("the preStop proves itself with the proxy's token")
                .singleElement().satisfies(header -> {
                    assertThat(header.getName()).isEqualTo("X-Mooring-Drain-Token");
                    assertThat(header.getValue()).isEqualTo(token);
                });
        assertThat(proxy.getEnv()).anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo("MOORING_PROXY_GRACE_PERIOD_MS");
            assertThat(v.getValue()).as("a drain nobody ends is over when the kubelet would have killed the pod").isEqualTo("35000");
        });

        server.getSpec().setImage("registry.example.com/weather-mcp:2.0");
        Deployment next = ServerDeployment.desired(server, MODERN, PROXY_IMAGE, ReferencedData.NONE, DrainToken.keptOrFresh(Optional.of(first)));
        assertThat(DrainToken.in(next.getSpec().getTemplate())).as("kept from the Deployment as it is").contains(new DrainToken(token));
        Deployment again = ServerDeployment.desired(server, MODERN, PROXY_IMAGE, ReferencedData.NONE, DrainToken.fresh());
        assertThat(ServerDeployment.revision(again)).as("another token is not another revision").isEqualTo(ServerDeployment.revision(next));
        assertThat(new DrainToken(token).toString()).as("never logged").doesNotContain(token);
    }

    @Test
    void theProxyReadsItsCheckFromAConfigMapSoEditingVerificationRollsNoPod() {
        String before = ServerDeployment.revision(deployment());
        server.getSpec().getVerification().setExpectedTools(List.of("forecast"));
        server.getSpec().getVerification().setTimeout("20s");
        server.getSpec().getVerification().setBeforeTraffic(false);
        assertThat(ServerDeployment.revision(deployment())).isEqualTo(before);
        assertThat(pod().getVolumes()).filteredOn(v -> v.getConfigMap() != null)
                .singleElement().satisfies(v -> assertThat(v.getConfigMap().getName()).isEqualTo("weather-mcp-check"));
        assertThat(pod().getInitContainers().get(0).getVolumeMounts())
                .anySatisfy(m -> assertThat(m.getMountPath() + ":" + m.getReadOnly()).isEqualTo("/etc/mooring/check:true"));
    }

    @Test
    void aHeadersSecretReachesTheProxysCheckAsFiles() {
        server.getSpec().getVerification().setHeadersSecret("weather-token");
        assertThat(pod().getVolumes()).filteredOn(v -> v.getSecret() != null && v.getName().contains("headers")).singleElement().satisfies(v -> {
            assertThat(v.getSecret().getSecretName()).isEqualTo("weather-token");
            assertThat(v.getSecret().getOptional()).isTrue();
        });
        assertThat(pod().getInitContainers().get(0).getVolumeMounts())
                .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo(VerificationJob.HEADERS_DIR));
    }

    @Test
    void theProxiesOfAServerThatHandsSessionsOverShareItsKeySecret() {
        assertThat(pod().getVolumes()).filteredOn(v -> v.getSecret() != null).singleElement().satisfies(v -> {
            assertThat(v.getSecret().getSecretName()).isEqualTo("weather-mcp-session");
            assertThat(v.getSecret().getOptional()).isTrue();
        });
        assertThat(pod().getInitContainers().get(0).getVolumeMounts())
                .anySatisfy(m -> assertThat(m.getMountPath() + ":" + m.getReadOnly()).isEqualTo("/etc/mooring/session:true"));
        server.getSpec().getSession().setHandoff(dev.mooring.operator.api.v1alpha1.spec.SessionHandoffMode.Off);
        assertThat(pod().getVolumes()).noneMatch(v -> v.getSecret() != null);
        assertThat(pod().getInitContainers().get(0).getEnv()).noneMatch(e -> e.getName().startsWith("MOORING_PROXY_SESSION"));
        assertThat(SessionKeySecret.state(server.getSpec(), MODERN)).isEqualTo("Off");
        server.getSpec().getSession().setHandoff(dev.mooring.operator.api.v1alpha1.spec.SessionHandoffMode.Reinitialize);
        assertThat(SessionKeySecret.state(server.getSpec(), MODERN)).isEqualTo("On");
        assertThat(SessionKeySecret.state(server.getSpec(), OLD)).isEqualTo("Unsupported");
        server.getSpec().getTransport().setType(TransportType.SSE);
        assertThat(SessionKeySecret.state(server.getSpec(), MODERN)).as("legacy SSE: the session lives in its stream").isEqualTo("Unsupported");
    }

    @Test
    void aFreshKeySecretHoldsOneRandomKeyAndNamesIt() {
        var one = SessionKeySecret.fresh(server, java.time.Instant.parse("2026-12-01T10:00:00Z"));
        var two = SessionKeySecret.fresh(server, java.time.Instant.parse("2026-12-01T10:00:00Z"));
        String id = SessionKeySecret.sealingKey(one);
        assertThat(one.getStringData()).containsKeys("key-" + id, "sealing");
        assertThat(java.util.Base64.getDecoder().decode(one.getStringData().get("key-" + id))).hasSize(32);
        assertThat(one.getStringData().get("key-" + id)).isNotEqualTo(two.getStringData().get("key-" + id));
        assertThat(one.getMetadata().getName()).isEqualTo("weather-mcp-session");
        assertThat(one.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getController()).isTrue());
    }

    @Test
    void tellsTheProxyWhenTheGetStreamCarriesTheAnswers() {
        server.getSpec().getTransport().setType(TransportType.SSE);
        assertThat(pod().getInitContainers().get(0).getEnv()).contains(new EnvVar("MOORING_PROXY_TRANSPORT", "sse", null));
    }

    @Test
    void reportsWhetherThePodsRunTheProxy() {
        assertThat(ProxySidecar.state(server.getSpec(), MODERN)).isEqualTo("On");
        assertThat(ProxySidecar.state(server.getSpec(), OLD)).isEqualTo("Unsupported");
        withoutProxy();
        assertThat(ProxySidecar.state(server.getSpec(), MODERN)).isEqualTo("Off");
    }

    @Test
    void withoutAHealthPathTheProxyConnectsOverTcp() {
        assertThat(pod().getInitContainers().get(0).getEnv()).extracting(EnvVar::getName).doesNotContain("MOORING_PROXY_HEALTH_PATH");
    }

    @Test
    void leavesTheProxyOutWhenTurnedOffOrWhereSidecarsAreMissing() {
        assertThat(ServerDeployment.desired(server, OLD, PROXY_IMAGE).getSpec().getTemplate().getSpec().getInitContainers()).isEmpty();
        withoutProxy();
        assertThat(pod().getInitContainers()).isEmpty();
        assertThat(container().getPorts().get(0).getName()).isEqualTo("mcp");
        assertThat(container().getReadinessProbe().getTcpSocket().getPort().getIntVal()).as("no health path: TCP").isEqualTo(3000);
    }

    @Test
    void givesThePodTheDrainTimeAndTheGracePeriodThatCoversIt() {
        withoutProxy();
        server.getSpec().getDrain().setTimeout("40s");
        server.getSpec().getDrain().setPreStopDelay("7s");
        PodSpec pod = pod();
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(7 + 40 + 5);
        assertThat(container().getEnv()).contains(new EnvVar("DRAIN_TIMEOUT_MS", "40000", null));
        assertThat(container().getLifecycle().getPreStop().getSleep().getSeconds()).isEqualTo(7);
    }

    @Test
    void fallsBackToAnExecSleepWhereTheSleepActionIsMissing() {
        Container container = ServerDeployment.desired(server, OLD, PROXY_IMAGE).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getLifecycle().getPreStop().getSleep()).isNull();
        assertThat(container.getLifecycle().getPreStop().getExec().getCommand()).containsExactly("sleep", "5");
    }

    @Test
    void leavesPreStopOutWhenTheDelayIsZero() {
        withoutProxy();
        server.getSpec().getDrain().setPreStopDelay("0s");
        assertThat(container().getLifecycle()).isNull();
        assertThat(pod().getTerminationGracePeriodSeconds()).isEqualTo(30);
    }

    @Test
    void probesHealthForReadinessAndNeverTheMcpEndpoint() {
        withoutProxy();
        server.getSpec().getHealth().setPath("/health");
        Container c = container();
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health");
        assertThat(c.getReadinessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(3000);
        assertThat(c.getLivenessProbe().getTcpSocket().getPort().getIntVal()).isEqualTo(3000);
        assertThat(c.getLivenessProbe().getHttpGet()).isNull();
        assertThat(c.getStartupProbe().getTcpSocket()).isNotNull();
        assertThat(List.of(c.getReadinessProbe(), c.getLivenessProbe(), c.getStartupProbe()))
                .allSatisfy(p -> assertThat(p.getHttpGet() == null ? "" : p.getHttpGet().getPath()).isNotEqualTo("/mcp"));
    }

    @Test
    void usesADrainSafeLivenessPathWhenGiven() {
        withoutProxy();
        server.getSpec().getHealth().setPath("/health");
        server.getSpec().getHealth().setLivenessPath("/livez");
        server.getSpec().getHealth().setPort(9000);
        Container c = container();
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/livez");
        assertThat(c.getLivenessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(9000);
        assertThat(c.getReadinessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(9000);
    }

    @Test
    void givesTheStartupProbeTheStartupAllowance() {
        server.getSpec().getHealth().setStartupTimeout("61s");
        var startup = container().getStartupProbe();
        assertThat(startup.getPeriodSeconds() * startup.getFailureThreshold()).isBetween(61, 62);
    }

    @Test
    void meetsTheRestrictedPodSecurityStandard() {
        PodSpec pod = pod();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        var sc = container().getSecurityContext();
        assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
        assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
        assertThat(container().getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
        assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getEmptyDir()).isNotNull());
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    }

    @Test
    void leavesReplicasToTheAutoscalerWhenUnset() {
        assertThat(deployment().getSpec().getReplicas()).isNull();
        server.getSpec().setReplicas(3);
        assertThat(deployment().getSpec().getReplicas()).isEqualTo(3);
    }

    @Test
    void labelsEverythingAndSelectsOnlyServerPods() {
        Deployment d = deployment();
        assertThat(d.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "mooring")
                .containsEntry("app.kubernetes.io/instance", "weather").containsEntry("app.kubernetes.io/name", "weather");
        assertThat(d.getSpec().getSelector().getMatchLabels()).isEqualTo(Map.of(
                "app.kubernetes.io/instance", "weather", "app.kubernetes.io/component", "mcp-server"));
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
    }

    @Test
    void keepsUserPodLabelsAndAnnotationsBesideItsOwn() {
        server.getSpec().setPodLabels(Map.of("team", "weather"));
        server.getSpec().setPodAnnotations(Map.of("prometheus.io/scrape", "true"));
        var meta = deployment().getSpec().getTemplate().getMetadata();
        assertThat(meta.getLabels()).containsEntry("team", "weather").containsEntry("app.kubernetes.io/component", "mcp-server");
        assertThat(meta.getAnnotations()).containsEntry("prometheus.io/scrape", "true").containsKey(Annotations.REVISION);
    }

    @Test
    void marksTheTemplateAndTheDeploymentWithTheRevision() {
        Deployment d = deployment();
        String revision = d.getSpec().getTemplate().getMetadata().getAnnotations().get(Annotations.REVISION);
        assertThat(revision).isEqualTo(Revision.of(ServerDeployment.podTemplate(server, MODERN, PROXY_IMAGE)));
        assertThat(d.getMetadata().getAnnotations()).containsEntry(Annotations.REVISION, revision);
    }

    @Test
    void isOwnedByTheMcpServer() {
        var owner = deployment().getMetadata().getOwnerReferences().get(0);
        assertThat(owner.getKind()).isEqualTo("McpServer");
        assertThat(owner.getApiVersion()).isEqualTo("mooring.dev/v1alpha1");
        assertThat(owner.getUid()).isEqualTo(server.getMetadata().getUid());
        assertThat(owner.getController()).isTrue();
    }

    @Test
    void passesTheUsersContainerSettingsThrough() {
        withoutProxy();
        server.getSpec().setEnv(List.of(new EnvVar("LOG_LEVEL", "debug", null)));
        server.getSpec().setArgs(List.of("--stateless"));
        server.getSpec().getTransport().setPort(8080);
        Container c = container();
        assertThat(c.getEnv()).extracting(EnvVar::getName).containsExactly("DRAIN_TIMEOUT_MS", "LOG_LEVEL");
        assertThat(c.getArgs()).containsExactly("--stateless");
        assertThat(c.getPorts().get(0).getContainerPort()).isEqualTo(8080);
        assertThat(c.getPorts().get(0).getName()).isEqualTo("mcp");
        assertThat(c.getImage()).isEqualTo("registry.example.com/weather-mcp:1.0");
        assertThat(c.getImagePullPolicy()).isEqualTo("IfNotPresent");
    }

    private void withoutProxy() {
        server.getSpec().getProxy().setEnabled(false);
    }

    private Deployment deployment() {
        return ServerDeployment.desired(server, MODERN, PROXY_IMAGE);
    }

    private PodSpec pod() {
        return deployment().getSpec().getTemplate().getSpec();
    }

    private Container container() {
        return pod().getContainers().get(0);
    }
}
