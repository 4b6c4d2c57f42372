package dev.mooring.operator.model;

import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.api.v1alpha1.McpServerSpec;
import dev.mooring.operator.api.v1alpha1.spec.Durations;
import dev.mooring.operator.api.v1alpha1.spec.HealthSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.LifecycleBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Deployment an McpServer becomes: zero-drop rollouts, drain-aware stop, hardened pods. */
public final class ServerDeployment {
    public static final String CONTAINER = "mcp-server";
    public static final String PORT_NAME = "mcp";
    public static final int REVISION_HISTORY = 10;
    static final int STARTUP_PROBE_PERIOD_SECONDS = 2;

    private ServerDeployment() {
    }

    public static Deployment desired(McpServer server, ClusterCapabilities capabilities, String proxyImage) {
        return desired(server, capabilities, proxyImage, ReferencedData.NONE, DrainToken.fresh());
    }

    /**
     * With the hash of the referenced Secrets and ConfigMaps in the pod template (their rotation rolls the server),
     * and the token the server's preStop drains with, which is not part of the revision.
     */
    public static Deployment desired(McpServer server, ClusterCapabilities capabilities, String proxyImage, ReferencedData referenced,
                                     DrainToken drainToken) {
        PodTemplateSpec template = podTemplate(server, capabilities, proxyImage);
        if (referenced.hash() != null) {
            template.getMetadata().getAnnotations().put(Annotations.REFERENCED_DATA, referenced.hash());
        }
        String revision = Revision.of(template);
        template.getMetadata().getAnnotations().put(Annotations.REVISION, revision);
        PreTrafficCheck.pointAt(template, revision);
        drainToken.stamp(template);
        McpServerSpec spec = server.getSpec();
        return new DeploymentBuilder()
                .withMetadata(ChildMetadata.of(server).withAnnotations(Map.of(Annotations.REVISION, revision)).build())
                .withNewSpec()
                    // Left out when unset, so that an HPA's writes to replicas are never undone.
                    .withReplicas(spec.getReplicas())
                    .withNewSelector().withMatchLabels(Labels.selector(server)).endSelector()
                    .withNewStrategy()
                        .withType("RollingUpdate")
                        .withNewRollingUpdate()
                            .withMaxUnavailable(new IntOrString(0))
                            .withMaxSurge(new IntOrString(spec.getRollout().getMaxSurge()))
                        .endRollingUpdate()
                    .endStrategy()
                    .withProgressDeadlineSeconds(spec.getRollout().getProgressDeadlineSeconds())
                    .withRevisionHistoryLimit(REVISION_HISTORY)
                    .withTemplate(template)
                .endSpec()
                .build();
    }

    /** The revision of the template the Deployment carries (its annotation; the hash of the template Mooring rendered). */
    public static String revision(Deployment deployment) {
        return Revision.carriedBy(deployment.getSpec().getTemplate());
    }

    /** The same Deployment with another revision's template, as a rollback applies it. */
    public static Deployment withTemplate(Deployment deployment, PodTemplateSpec template) {
        deployment.getSpec().setTemplate(template);
        Map<String, String> annotations = new LinkedHashMap<>(deployment.getMetadata().getAnnotations());
        annotations.put(Annotations.REVISION, Revision.carriedBy(template));
        deployment.getMetadata().setAnnotations(annotations);
        return deployment;
    }

    static PodTemplateSpec podTemplate(McpServer server, ClusterCapabilities capabilities, String proxyImage) {
        McpServerSpec spec = server.getSpec();
        Map<String, String> labels = new LinkedHashMap<>();
        if (spec.getPodLabels() != null) {
            labels.putAll(spec.getPodLabels());
        }
        labels.putAll(Labels.server(server));
        Map<String, String> annotations = new LinkedHashMap<>();
        if (spec.getPodAnnotations() != null) {
            annotations.putAll(spec.getPodAnnotations());
        }
        boolean ownAccount = spec.getServiceAccountName() != null;
        boolean proxied = ProxySidecar.runsFor(spec, capabilities);
        PodTemplateSpecBuilder template = new PodTemplateSpecBuilder()
                .withNewMetadata().withLabels(labels).withAnnotations(annotations).endMetadata()
                .withNewSpec()
                    .withServiceAccountName(spec.getServiceAccountName())
                    // An MCP server rarely needs the Kubernetes API; only an account chosen for it gets a token.
                    .withAutomountServiceAccountToken(ownAccount ? null : false)
                    .withTerminationGracePeriodSeconds(GracePeriod.seconds(spec.getDrain()))
                    .withImagePullSecrets(spec.getImagePullSecrets())
                    .withNodeSelector(spec.getNodeSelector())
                    .withTolerations(spec.getTolerations())
                    .withAffinity(spec.getAffinity())
                    .withTopologySpreadConstraints(spec.getTopologySpreadConstraints())
                    .withSecurityContext(RestrictedSecurity.pod())
                    .withContainers(container(spec, capabilities, proxied))
                    .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec();
        if (proxied) {
            template.editSpec()
                    .withInitContainers(ProxySidecar.container(server, proxyImage))
                    .addNewVolume().withName(ProxySidecar.TMP_VOLUME).withNewEmptyDir().withSizeLimit(new Quantity("16Mi")).endEmptyDir().endVolume()
                    .addNewVolume().withName(PreTrafficCheck.VOLUME).withNewConfigMap().withName(PreTrafficCheck.configMapName(server))
                        .endConfigMap().endVolume()
                    .endSpec();
            if (SessionKeySecret.wanted(spec)) {
                // Optional: the operator creates it before the Deployment; without it the proxy hands nothing over.
                template.editSpec().addNewVolume().withName(SessionKeySecret.VOLUME).withNewSecret()
                        .withSecretName(SessionKeySecret.name(server)).withOptional(true).withDefaultMode(0444).endSecret().endVolume().endSpec();
            }
            if (spec.getVerification().getHeadersSecret() != null) {
                // Optional: a Secret not there yet fails the check with its reason instead of holding the pod in ContainerCreating.
                template.editSpec().addNewVolume().withName(ProxySidecar.HEADERS_VOLUME).withNewSecret()
                        .withSecretName(spec.getVerification().getHeadersSecret()).withOptional(true).endSecret().endVolume().endSpec();
            }
        }
        return template.build();
    }

    /** With the proxy, the server's port is the proxy's upstream; the proxy answers readiness and runs the drain. */
    private static Container container(McpServerSpec spec, ClusterCapabilities capabilities, boolean proxied) {
        int port = spec.getTransport().getPort();
        return new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(spec.getImage())
                .withImagePullPolicy(spec.getImagePullPolicy().name())
                .withCommand(spec.getCommand())
                .withArgs(spec.getArgs())
                .addNewPort().withName(proxied ? ProxySidecar.UPSTREAM_PORT_NAME : PORT_NAME).withContainerPort(port).withProtocol("TCP").endPort()
                .withEnv(environment(spec))
                .withEnvFrom(spec.getEnvFrom())
                .withResources(spec.getResources())
                .withReadinessProbe(proxied ? null : readiness(spec.getHealth(), port))
                .withLivenessProbe(liveness(spec.getHealth(), port))
                .withStartupProbe(startup(spec.getHealth(), port))
                .withLifecycle(proxied ? ProxySidecar.drainHook() : preStop(spec, capabilities))
                .withSecurityContext(RestrictedSecurity.container())
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                .build();
    }

    private static List<EnvVar> environment(McpServerSpec spec) {
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVarBuilder().withName("DRAIN_TIMEOUT_MS")
                .withValue(Long.toString(GracePeriod.drainTimeout(spec.getDrain()).toMillis())).build());
        if (spec.getEnv() != null) {
            env.addAll(spec.getEnv());
        }
        return env;
    }

    /** What decides whether a pod is ready, in words, for messages that tell users what is failing. */
    public static String readinessCheck(McpServer server, ClusterCapabilities capabilities) {
        HealthSpec health = server.getSpec().getHealth();
        int port = server.getSpec().getTransport().getPort();
        String upstream = health.getPath() == null ? "a TCP connect to :" + port : "GET :" + healthPort(health, port) + health.getPath();
        if (!ProxySidecar.runsFor(server.getSpec(), capabilities)) {
            return upstream;
        }
        return "the Mooring proxy's /ready (" + (PreTrafficCheck.active(server, capabilities) ? "the MCP check, then " : "") + upstream + ")";
    }

    static int healthPort(HealthSpec health, int transportPort) {
        return health.getPort() != null ? health.getPort() : transportPort;
    }

    /** An HTTP GET on the health path (a draining server answers 503 and leaves the endpoints), else a TCP connect. */
    static Probe readiness(HealthSpec health, int transportPort) {
        IntOrString port = new IntOrString(healthPort(health, transportPort));
        ProbeBuilder probe = health.getPath() == null ? new ProbeBuilder().withNewTcpSocket().withPort(port).endTcpSocket()
                : new ProbeBuilder().withNewHttpGet().withPath(health.getPath()).withPort(port).endHttpGet();
        return probe
                .withPeriodSeconds(health.getPeriodSeconds())
                .withTimeoutSeconds(health.getTimeoutSeconds())
                .withFailureThreshold(health.getFailureThreshold())
                .build();
    }

    /** TCP unless a drain-safe liveness path is given: a draining server must never be restarted. */
    static Probe liveness(HealthSpec health, int transportPort) {
        return aliveCheck(health, transportPort)
                .withPeriodSeconds(health.getPeriodSeconds() * 2)
                .withTimeoutSeconds(health.getTimeoutSeconds())
                .withFailureThreshold(health.getFailureThreshold())
                .build();
    }

    static Probe startup(HealthSpec health, int transportPort) {
        Duration allowance = Durations.parse(health.getStartupTimeout());
        long attempts = Math.max(1, (Durations.ceilSeconds(allowance) + STARTUP_PROBE_PERIOD_SECONDS - 1) / STARTUP_PROBE_PERIOD_SECONDS);
        return aliveCheck(health, transportPort)
                .withPeriodSeconds(STARTUP_PROBE_PERIOD_SECONDS)
                .withTimeoutSeconds(health.getTimeoutSeconds())
                .withFailureThreshold((int) attempts)
                .build();
    }

    private static ProbeBuilder aliveCheck(HealthSpec health, int transportPort) {
        IntOrString port = new IntOrString(healthPort(health, transportPort));
        ProbeBuilder probe = new ProbeBuilder();
        if (health.getLivenessPath() != null) {
            return probe.withNewHttpGet().withPath(health.getLivenessPath()).withPort(port).endHttpGet();
        }
        return probe.withNewTcpSocket().withPort(port).endTcpSocket();
    }

    /** Keeps a terminating pod serving until every proxy has dropped it, then lets SIGTERM start the drain. */
    static Lifecycle preStop(McpServerSpec spec, ClusterCapabilities capabilities) {
        long seconds = Durations.ceilSeconds(GracePeriod.preStopDelay(spec.getDrain()));
        if (seconds == 0) {
            return null;
        }
        if (capabilities.nativeSleepAction()) {
            return new LifecycleBuilder().withNewPreStop().withNewSleep(seconds).endPreStop().build();
        }
        return new LifecycleBuilder().withNewPreStop().withNewExec()
                .withCommand("sleep", Long.toString(seconds)).endExec().endPreStop().build();
    }
}
