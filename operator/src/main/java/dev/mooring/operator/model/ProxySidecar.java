package dev.mooring.operator.model;

import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.api.v1alpha1.McpServerSpec;
import dev.mooring.operator.api.v1alpha1.spec.Durations;
import dev.mooring.operator.api.v1alpha1.spec.HealthSpec;
import dev.mooring.operator.api.v1alpha1.spec.TransportType;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.LifecycleBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The Mooring proxy in a server pod: a native sidecar (an init container with restartPolicy Always, so the kubelet
 * starts it before the server and stops it after) that takes the pod's MCP port and forwards to the server on
 * 127.0.0.1. The server's preStop asks it to drain, so SIGTERM reaches a server with nothing in flight.
 */
public final class ProxySidecar {
    public static final String CONTAINER = "mooring-proxy";
    public static final int MCP_PORT = 15080;
    public static final int ADMIN_PORT = 15081;
    static final String ADMIN_PORT_NAME = "mooring-admin";
    /** The server's own port once the proxy holds "mcp", the name the Service targets. */
    static final String UPSTREAM_PORT_NAME = "mcp-upstream";
    static final String TMP_VOLUME = "mooring-proxy-tmp";
    static final String HEADERS_VOLUME = "mooring-verification-headers";

    private ProxySidecar() {
    }

    public static boolean runsFor(McpServerSpec spec, ClusterCapabilities capabilities) {
        return spec.getProxy().isEnabled() && capabilities.nativeSidecars();
    }

    /** For status.proxy: On, Off, or Unsupported where the cluster lacks native sidecars. */
    public static String state(McpServerSpec spec, ClusterCapabilities capabilities) {
        if (!spec.getProxy().isEnabled()) {
            return "Off";
        }
        return capabilities.nativeSidecars() ? "On" : "Unsupported";
    }

    static Container container(McpServer server, String image) {
        McpServerSpec spec = server.getSpec();
        HealthSpec health = spec.getHealth();
        return new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(image)
                .withImagePullPolicy("IfNotPresent")
                .withRestartPolicy("Always")
                .addNewPort().withName(ServerDeployment.PORT_NAME).withContainerPort(MCP_PORT).withProtocol("TCP").endPort()
                .addNewPort().withName(ADMIN_PORT_NAME).withContainerPort(ADMIN_PORT).withProtocol("TCP").endPort()
                .withEnv(environment(server))
                .withResources(spec.getProxy().getResources() != null ? spec.getProxy().getResources() : defaultResources())
                .withStartupProbe(startup(health))
                .withReadinessProbe(readiness(health))
                .withLivenessProbe(new ProbeBuilder().withNewHttpGet().withPath("/live").withPort(new IntOrString(ADMIN_PORT)).endHttpGet()
                        .withPeriodSeconds(10).withTimeoutSeconds(health.getTimeoutSeconds()).withFailureThreshold(3).build())
                .withSecurityContext(RestrictedSecurity.container())
                .addNewVolumeMount().withName(TMP_VOLUME).withMountPath("/tmp").endVolumeMount()
                .addNewVolumeMount().withName(PreTrafficCheck.VOLUME).withMountPath(PreTrafficCheck.MOUNT).withReadOnly(true).endVolumeMount()
                .addAllToVolumeMounts(!SessionKeySecret.wanted(spec) ? List.of()
                        : List.of(new io.fabric8.kubernetes.api.model.VolumeMountBuilder().withName(SessionKeySecret.VOLUME)
                                .withMountPath(SessionKeySecret.MOUNT).withReadOnly(true).build()))
                .addAllToVolumeMounts(spec.getVerification().getHeadersSecret() == null ? List.of()
                        : List.of(new io.fabric8.kubernetes.api.model.VolumeMountBuilder().withName(HEADERS_VOLUME)
                                .withMountPath(VerificationJob.HEADERS_DIR).withReadOnly(true).build()))
                .build();
    }

    /**
     * A JVM on a starved node can take tens of seconds to listen; liveness counted from its start killed proxies
     * over and over (each restart starts the JVM again). The proxy gets the server's startup allowance instead, and
     * the server container starts once the proxy answers (a native sidecar's startup probe orders the pod's start).
     */
    static Probe startup(HealthSpec health) {
        return new ProbeBuilder()
                .withNewHttpGet().withPath("/live").withPort(new IntOrString(ADMIN_PORT)).endHttpGet()
                .withPeriodSeconds(1)
                .withTimeoutSeconds(health.getTimeoutSeconds())
                .withFailureThreshold((int) Math.max(1, Durations.ceilSeconds(Durations.parse(health.getStartupTimeout()))))
                .build();
    }

    /**
     * The proxy answers for the server: its /ready asks the server's health path, or its port. The kubelet asks
     * every second, so a pod is ready within a second of passing its MCP check instead of at the next period; the
     * proxy asks the server once per health.periodSeconds, and the threshold keeps the time to unready the same.
     */
    static Probe readiness(HealthSpec health) {
        return new ProbeBuilder()
                .withNewHttpGet().withPath("/ready").withPort(new IntOrString(ADMIN_PORT)).endHttpGet()
                .withPeriodSeconds(1)
                .withTimeoutSeconds(health.getTimeoutSeconds())
                .withFailureThreshold(health.getFailureThreshold() * health.getPeriodSeconds())
                .build();
    }

    /** The server's preStop: returns once the proxy has drained the pod; {@link DrainToken} adds the header that proves it. */
    static Lifecycle drainHook() {
        return new LifecycleBuilder().withNewPreStop().withNewHttpGet().withPath("/drain").withPort(new IntOrString(ADMIN_PORT))
                .endHttpGet().endPreStop().build();
    }

    private static List<EnvVar> environment(McpServer server) {
        McpServerSpec spec = server.getSpec();
        HealthSpec health = spec.getHealth();
        int port = spec.getTransport().getPort();
        List<EnvVar> env = new ArrayList<>();
        env.add(variable("MOORING_PROXY_UPSTREAM_PORT", Integer.toString(port)));
        if (health.getPath() != null) {
            env.add(variable("MOORING_PROXY_HEALTH_PATH", health.getPath()));
            env.add(variable("MOORING_PROXY_HEALTH_PORT", Integer.toString(ServerDeployment.healthPort(health, port))));
        }
        env.add(variable("MOORING_PROXY_HEALTH_PERIOD_MS", Long.toString(health.getPeriodSeconds() * 1000L)));
        if (spec.getTransport().getType() == TransportType.SSE) {
            env.add(variable("MOORING_PROXY_TRANSPORT", "sse"));
        }
        env.add(variable("MOORING_PROXY_STARTUP_TIMEOUT_MS", Long.toString(PreTrafficCheck.startupTimeoutMillis(health))));
        if (SessionKeySecret.wanted(spec)) {
            env.add(variable("MOORING_PROXY_SESSION_KEYS", SessionKeySecret.MOUNT));
            env.add(variable("MOORING_PROXY_SERVER", server.getMetadata().getNamespace() + "/" + server.getMetadata().getName()));
            env.add(variable("MOORING_PROXY_SESSION_MAX_AGE_MS", Long.toString(Durations.parse(spec.getSession().getMaxAge()).toMillis())));
        }
        env.add(variable("MOORING_PROXY_PRESTOP_DELAY_MS", Long.toString(GracePeriod.preStopDelay(spec.getDrain()).toMillis())));
        env.add(variable("MOORING_PROXY_DRAIN_TIMEOUT_MS", Long.toString(GracePeriod.drainTimeout(spec.getDrain()).toMillis())));
        // A drain still under way after the grace period was not the kubelet's (it kills the pod by then): it ends.
        env.add(variable("MOORING_PROXY_GRACE_PERIOD_MS", Long.toString(GracePeriod.seconds(spec.getDrain()) * 1000L)));
        return env;
    }

    /**
     * Adds a variable to the proxy of a rendered template, for what is set after the revision is named and is no part
     * of it (the drain token, the check entry the revision's pods read).
     */
    static void addToEnvironment(io.fabric8.kubernetes.api.model.PodTemplateSpec template, String name, String value) {
        if (template.getSpec().getInitContainers() == null) {
            return;
        }
        template.getSpec().getInitContainers().stream().filter(c -> CONTAINER.equals(c.getName())).forEach(proxy -> {
            List<EnvVar> env = new ArrayList<>(proxy.getEnv() == null ? List.of() : proxy.getEnv());
            env.add(variable(name, value));
            proxy.setEnv(env);
        });
    }

    private static EnvVar variable(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    /** Measured by make bench-proxy: the JVM stays under 96 MiB; the limit leaves room for bursts of buffers. */
    static ResourceRequirements defaultResources() {
        return new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity("50m"))
                .addToRequests("memory", new Quantity("64Mi"))
                .addToLimits("memory", new Quantity("128Mi"))
                .build();
    }
}
