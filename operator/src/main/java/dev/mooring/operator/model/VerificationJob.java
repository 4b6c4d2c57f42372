package dev.mooring.operator.model;

import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.api.v1alpha1.spec.Durations;
import dev.mooring.operator.api.v1alpha1.spec.TransportType;
import dev.mooring.operator.api.v1alpha1.spec.VerificationSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Job that checks one revision with a real MCP client: mcp-smoke against the server's Service, its
 * one-line JSON report left in the pod's termination message. It runs once: a retry could hide a failure.
 */
public final class VerificationJob {
    public static final String COMPONENT = "verification";
    /** Time for the client's JVM to start and the pod to be scheduled, on top of the check's own timeout. */
    static final long START_ALLOWANCE_SECONDS = 60;
    /** Leaves room for "-verify-", the revision, the check and an attempt number within a label value's 63 characters. */
    private static final int MAX_SERVER_NAME = 32;
    private static final int CHECK_LENGTH = 8;
    static final String HEADERS_DIR = "/etc/mooring/verification-headers";
    /** Readable by the check's non-root user; the files live only in this pod. */
    private static final int HEADERS_FILE_MODE = 0444;

    private VerificationJob() {
    }

    /**
     * `<name>-verify-<revision>-<check>`, and `-<attempt>` after a first attempt that could not run; the server's
     * name is shortened so that the Job's name stays a valid label value.
     */
    public static String name(McpServer server, String revision, String check, int attempt) {
        return prefix(server.getMetadata().getName()) + revision + "-" + check + (attempt > 1 ? "-" + attempt : "");
    }

    /** What the names of a server's verification Jobs begin with. */
    static String prefix(String serverName) {
        String base = serverName.length() > MAX_SERVER_NAME ? serverName.substring(0, MAX_SERVER_NAME).replaceAll("-+$", "") : serverName;
        return base + "-verify-";
    }

    /**
     * What the check is asked to do, as a short hash of the command it runs (expected tools, schema hash, call,
     * timeout, transport, endpoint) and the headers Secret: a verdict holds for these settings only.
     */
    public static String check(McpServer server) {
        VerificationSpec spec = server.getSpec().getVerification();
        return ShortHash.of(String.join("\u0000", command(server, spec)) + "\u0000" + spec.getHeadersSecret(), CHECK_LENGTH);
    }

    public static Job desired(McpServer server, String revision, int attempt, String image) {
        VerificationSpec spec = server.getSpec().getVerification();
        long timeoutSeconds = Durations.ceilSeconds(Durations.parse(spec.getTimeout()));
        Map<String, String> labels = Labels.standard(server, COMPONENT);
        String check = check(server);
        return withHeaders(new JobBuilder()
                .withMetadata(ChildMetadata.of(server).withName(name(server, revision, check, attempt)).withLabels(labels)
                        .withAnnotations(Map.of(Annotations.REVISION, revision, Annotations.VERIFICATION_CHECK, check,
                                Annotations.VERIFICATION_ATTEMPT, Integer.toString(attempt))).build())
                .withNewSpec()
                    .withBackoffLimit(0)
                    .withActiveDeadlineSeconds(timeoutSeconds + START_ALLOWANCE_SECONDS)
                    .withNewTemplate()
                        .withNewMetadata().withLabels(labels).withAnnotations(Map.of(Annotations.REVISION, revision)).endMetadata()
                        .withNewSpec()
                            .withRestartPolicy("Never")
                            .withAutomountServiceAccountToken(false)
                            .withSecurityContext(RestrictedSecurity.pod())
                            .addNewContainer()
                                .withName("mcp-smoke")
                                .withImage(image)
                                .withImagePullPolicy("IfNotPresent")
                                .withCommand(command(server, spec))
                                .withSecurityContext(RestrictedSecurity.container())
                                .withTerminationMessagePolicy("FallbackToLogsOnError")
                                .withNewResources()
                                    .addToRequests("cpu", new Quantity("100m"))
                                    .addToRequests("memory", new Quantity("128Mi"))
                                    .addToLimits("memory", new Quantity("256Mi"))
                                .endResources()
                                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                            .endContainer()
                            .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build(), spec.getHeadersSecret());
    }

    /** The Secret behind spec.verification.headersSecret, as files mcp-smoke reads with --headers-dir. */
    private static Job withHeaders(Job job, String secret) {
        if (secret == null) {
            return job;
        }
        var pod = job.getSpec().getTemplate().getSpec();
        pod.getVolumes().add(new VolumeBuilder().withName("headers")
                .withNewSecret().withSecretName(secret).withDefaultMode(HEADERS_FILE_MODE).endSecret().build());
        pod.getContainers().get(0).getVolumeMounts().add(new VolumeMountBuilder().withName("headers").withMountPath(HEADERS_DIR)
                .withReadOnly(true).build());
        return job;
    }

    static List<String> command(McpServer server, VerificationSpec spec) {
        List<String> command = new ArrayList<>(List.of("mcp-smoke", "--url", ServerService.endpoint(server), "--timeout", spec.getTimeout()));
        if (server.getSpec().getTransport().getType() == TransportType.SSE) {
            command.addAll(List.of("--transport", "sse"));
        }
        if (spec.getExpectedTools() != null && !spec.getExpectedTools().isEmpty()) {
            command.addAll(List.of("--expect-tools", String.join(",", spec.getExpectedTools())));
        }
        if (spec.getToolSchemaSha256() != null) {
            command.addAll(List.of("--tool-schema-sha256", spec.getToolSchemaSha256()));
        }
        if (spec.getCall() != null) {
            command.addAll(List.of("--call", spec.getCall().getTool()));
            if (spec.getCall().getArguments() != null) {
                command.addAll(List.of("--args", spec.getCall().getArguments().toString()));
            }
        }
        if (spec.getHeadersSecret() != null) {
            command.addAll(List.of("--headers-dir", HEADERS_DIR));
        }
        return command;
    }
}
