package dev.mooring.k3s;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.Container;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * A k3s cluster for the test suite, started through Testcontainers and kept until standard input closes.
 * Writes into STATE_DIR what hack/test.sh hands to the tests: {@code kubeconfig}, {@code node-ip} (the
 * container's address, which ClusterIPs are routed through) and {@code logs/audit.log}, the API server's
 * audit log that the no-op test reads. The project's images are imported into k3s's containerd, because
 * they exist only in the local Docker engine.
 *
 * <p>Usage: {@code K3sCluster STATE_DIR K3S_IMAGE AUDIT_POLICY IMAGE...}
 */
public final class K3sCluster {
    private static final String AUDIT_DIR = "/var/log/mooring";
    private static final String AUDIT_POLICY = "/etc/mooring/audit-policy.yaml";

    private K3sCluster() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: K3sCluster STATE_DIR K3S_IMAGE AUDIT_POLICY [IMAGE...]");
            System.exit(2);
        }
        Path state = Path.of(args[0]).toAbsolutePath();
        Path logs = Files.createDirectories(state.resolve("logs"));
        DockerImageName image = DockerImageName.parse(args[1]).asCompatibleSubstituteFor("rancher/k3s");
        try (K3sContainer k3s = new K3sContainer(image)) {
            k3s.withCopyToContainer(MountableFile.forHostPath(args[2]), AUDIT_POLICY)
                    .withFileSystemBind(logs.toString(), AUDIT_DIR, BindMode.READ_WRITE)
                    .withCommand("server", "--disable=traefik", "--tls-san=" + k3s.getHost(),
                            "--kube-apiserver-arg=audit-policy-file=" + AUDIT_POLICY,
                            "--kube-apiserver-arg=audit-log-path=" + AUDIT_DIR + "/audit.log",
                            "--kube-apiserver-arg=audit-log-format=json");
            System.err.println("k3s: starting " + image);
            k3s.start();
            for (int i = 3; i < args.length; i++) {
                importImage(k3s, args[i], state);
            }
            Files.writeString(state.resolve("kubeconfig"), k3s.getKubeConfigYaml());
            Files.writeString(state.resolve("node-ip"), k3s.getContainerInfo().getNetworkSettings().getNetworks().values().iterator().next().getIpAddress());
            Files.writeString(state.resolve("ready"), k3s.getContainerId());
            System.err.println("k3s: ready; kubeconfig " + state.resolve("kubeconfig") + "; stops when standard input closes");
            // hack/test.sh holds our standard input open for as long as the tests run.
            while (System.in.read() >= 0) {
                // discard
            }
        }
    }

    /** The images exist only in the local Docker engine, and nothing can pull them: saved there, imported here. */
    private static void importImage(K3sContainer k3s, String image, Path state) throws IOException, InterruptedException {
        Path archive = state.resolve("image.tar");
        Process save = new ProcessBuilder("docker", "save", "-o", archive.toString(), image).inheritIO().start();
        if (save.waitFor() != 0) {
            throw new IllegalStateException("docker save " + image + " failed; build it first (make images)");
        }
        k3s.copyFileToContainer(MountableFile.forHostPath(archive), "/tmp/image.tar");
        Files.delete(archive);
        Container.ExecResult result = k3s.execInContainer("ctr", "--namespace", "k8s.io", "images", "import", "/tmp/image.tar");
        if (result.getExitCode() != 0) {
            throw new IllegalStateException("importing " + image + " into k3s failed: " + result.getStderr());
        }
        System.err.println("k3s: imported " + image);
    }
}
