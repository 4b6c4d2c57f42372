package dev.mooring.operator.cluster;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The cluster the tests run against: whatever KUBECONFIG points at (`make test` starts the local one).
 * A test that needs it fails with instructions when none answers; it never skips.
 */
public final class TestCluster {
    public static final Path REPO = findRepoRoot();
    public static final Path CRD = REPO.resolve("crds/mcpservers.mooring.dev-v1.yml");

    private TestCluster() {
    }

    public static KubernetesClient client() {
        KubernetesClient client = new KubernetesClientBuilder().build();
        try {
            client.getKubernetesVersion();
        } catch (KubernetesClientException e) {
            client.close();
            throw new IllegalStateException("no Kubernetes API server answers at " + client.getMasterUrl()
                    + ": run the tests with `make test` (which starts the local cluster) or point KUBECONFIG at a cluster", e);
        }
        return client;
    }

    /** Installs the committed CRD, the one users install, and waits until the API server serves it. */
    public static void installCrd(KubernetesClient client) {
        try (InputStream in = new FileInputStream(CRD.toFile())) {
            CustomResourceDefinition crd = client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
            client.resource(crd).fieldManager("mooring-tests").forceConflicts().serverSideApply();
            client.resource(crd).waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions().stream()
                    .anyMatch(cond -> "Established".equals(cond.getType()) && "True".equals(cond.getStatus())), 30, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + CRD, e);
        }
    }

    private static Path findRepoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("crds"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the repository root (a folder with crds/) above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
