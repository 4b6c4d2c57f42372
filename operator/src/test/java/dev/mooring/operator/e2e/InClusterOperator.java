package dev.mooring.operator.e2e;

import dev.mooring.operator.chart.Helm;
import dev.mooring.operator.cluster.AuditLog;
import dev.mooring.operator.cluster.BuiltTools;
import dev.mooring.operator.cluster.TestCluster;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The operator as users run it: its image in a pod of the cluster, installed with the Helm chart by the same
 * script `make demo` uses. Installed once for all end-to-end classes; it keeps running when they are done, as
 * `make demo` left it (the in-JVM operator tests scale it to zero while they run, and back).
 */
public final class InClusterOperator implements BeforeAllCallback, ExtensionContext.Store.CloseableResource {
    public static final String NAMESPACE = "mooring-system";
    public static final String NAME = "mooring-operator";
    static final String IMAGE = System.getenv().getOrDefault("MOORING_OPERATOR_IMAGE", "mooring/operator:dev");
    static final String PROXY_IMAGE = System.getenv().getOrDefault("MOORING_PROXY_IMAGE", "mooring/proxy:dev");

    private static volatile long auditMark = -1;

    private KubernetesClient client;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent(InClusterOperator.class, k -> install(), InClusterOperator.class);
    }

    private InClusterOperator install() {
        auditMark = auditMarkOfThisRun();
        client = TestCluster.client();
        installFromChart(client);
        return this;
    }

    /**
     * Installs or upgrades release "mooring" from helm/mooring, with extra `--set` values if given, and waits
     * until the operator is available.
     */
    static void installFromChart(KubernetesClient client, String... setValues) {
        List<String> command = new ArrayList<>(List.of(TestCluster.REPO.resolve("hack/install-operator.sh").toString(),
                IMAGE, ServersOnTheNode.SERVER_IMAGE, PROXY_IMAGE, "--"));
        command.addAll(Helm.setFlags(setValues));
        BuiltTools.execOrFail(command);
        // The script leaves replicas alone when the Deployment exists; an earlier run may have scaled it to zero.
        client.apps().deployments().inNamespace(NAMESPACE).withName(NAME).scale(1);
        client.apps().deployments().inNamespace(NAMESPACE).withName(NAME)
                .waitUntilCondition(InClusterOperator::available, 120, TimeUnit.SECONDS);
    }

    /**
     * Where the audit log stood when this run first installed the operator, kept in the file failsafe names
     * (mooring.auditMarkFile, deleted before each run) so that LeastPrivilegeE2E, in its own execution after the others,
     * reads the whole run.
     */
    private static long auditMarkOfThisRun() {
        String file = System.getProperty("mooring.auditMarkFile");
        try {
            java.nio.file.Path path = file == null ? null : java.nio.file.Path.of(file);
            if (path != null && java.nio.file.Files.exists(path)) {
                return Long.parseLong(java.nio.file.Files.readString(path).trim());
            }
            long mark = AuditLog.fromEnvironment().mark();
            if (path != null) {
                java.nio.file.Files.createDirectories(path.getParent());
                java.nio.file.Files.writeString(path, Long.toString(mark));
            }
            return mark;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot keep the audit log's mark in " + file, e);
        }
    }

    /** Where the audit log stood when this run installed the operator: what the operator did since is this run's. */
    static long auditMark() {
        if (auditMark < 0) {
            throw new IllegalStateException("the operator was not installed by this run");
        }
        return auditMark;
    }

    @Override
    public void close() {
        client.close();
    }

    /** The operator's Prometheus metrics, fetched through its metrics Service's ClusterIP as Prometheus would. */
    static String metrics(KubernetesClient client) {
        var service = client.services().inNamespace(NAMESPACE).withName(NAME + "-metrics").get();
        URI uri = URI.create("http://" + service.getSpec().getClusterIP() + ":" + service.getSpec().getPorts().get(0).getPort() + "/q/metrics");
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static boolean available(Deployment d) {
        return d != null && d.getStatus() != null && d.getStatus().getAvailableReplicas() != null
                && d.getStatus().getAvailableReplicas() >= 1 && d.getStatus().getReadyReplicas() != null
                && d.getStatus().getReadyReplicas().equals(d.getStatus().getReplicas());
    }
}
