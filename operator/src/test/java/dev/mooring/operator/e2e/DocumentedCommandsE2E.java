package dev.mooring.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.operator.cluster.BuiltTools;
import dev.mooring.operator.cluster.TestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Every command block (```bash) of README.md and docs/ is run here or by CI, so the docs cannot drift: the
 * packages README lists are the ones .ci/run installs, and installed; `make demo` and `make test` are what .ci/run
 * runs; the Helm install renders with exactly its flags; every other block runs as shown against the local cluster,
 * with the quick start's server in place (applied here when `make demo` did not run first). Every `spec` example of the
 * user guide is admitted by the API server.
 */
@ExtendWith(InClusterOperator.class)
@ResourceLock(value = NodeShares.OPERATOR, mode = ResourceAccessMode.READ)
class DocumentedCommandsE2E {
    private static final Path REPO = TestCluster.REPO;
    private static final Pattern BLOCK = Pattern.compile("(?ms)^```bash\\n(.*?)^```");
    private static final String DEMO_NAMESPACE = "mooring-demo";

    record Block(String file, String text) {
        String command() {
            // Continuation lines are one command.
            return text.replace("\\\n", " ");
        }
    }

    @Test
    void everyCommandBlockInTheDocsRunsAsShown() throws Exception {
        List<Block> blocks = blocks();
        assertThat(blocks).as("README's quick start at least").hasSizeGreaterThanOrEqualTo(4);
        boolean createdDemo = ensureQuickStartServer();
        try {
            for (Block block : blocks) {
                String command = block.command().strip();
                if (command.startsWith("apt-get install")) {
                    packagesAreWhatCiInstalls(block);
                } else if (command.equals("make demo") || command.equals("make test")) {
                    assertThat(ciScript()).as(block.file() + ": `" + command + "` is what CI runs").containsPattern("(?m)^" + command + "$");
                } else if (command.contains("helm install")) {
                    run(block, rendered(command));
                } else {
                    run(block, command);
                }
            }
        } finally {
            if (createdDemo) {
                BuiltTools.runOrFail("kubectl", List.of("delete", "namespace", DEMO_NAMESPACE, "--wait=false"));
            }
        }
    }

    /** Every `spec` the user guide shows is one the API server admits (schema, defaults and CEL rules). */
    @Test
    void everySpecInTheUserGuideIsAdmitted() throws IOException {
        Matcher matcher = Pattern.compile("(?ms)^```yaml\\n(spec:\\n.*?)^```").matcher(Files.readString(REPO.resolve("docs/user-guide.md")));
        int n = 0;
        while (matcher.find()) {
            n++;
            String manifest = "apiVersion: mooring.dev/v1alpha1\nkind: McpServer\nmetadata:\n  name: docs-example-" + n + "\n" + matcher.group(1);
            Path file = Files.createTempFile("mooring-docs-example", ".yaml");
            try {
                Files.writeString(file, manifest);
                BuiltTools.Result applied = BuiltTools.run("kubectl", List.of("apply", "--dry-run=server", "-n", "default", "-f", file.toString()));
                assertThat(applied.exitCode()).as("docs/user-guide.md, example " + n + ":\n" + manifest + "\n" + applied.stderr()).isZero();
            } finally {
                Files.deleteIfExists(file);
            }
        }
        assertThat(n).as("the user guide shows each field group").isGreaterThanOrEqualTo(6);
    }

    private static List<Block> blocks() throws IOException {
        List<Path> files = new ArrayList<>(List.of(REPO.resolve("README.md")));
        try (Stream<Path> docs = Files.list(REPO.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        List<Block> blocks = new ArrayList<>();
        for (Path file : files) {
            Matcher matcher = BLOCK.matcher(Files.readString(file));
            while (matcher.find()) {
                blocks.add(new Block(REPO.relativize(file).toString(), matcher.group(1)));
            }
        }
        return blocks;
    }

    /** README's list and .ci/run's are the same packages, and this machine has them. */
    private static void packagesAreWhatCiInstalls(Block block) throws IOException {
        Set<String> documented = new TreeSet<>(Arrays.asList(block.command().replace("apt-get install", "").trim().split("\\s+")));
        Set<String> installedByCi = new TreeSet<>();
        Matcher pairs = Pattern.compile("[a-z]+:([a-z0-9.+-]+)").matcher(ciScript().substring(0, ciScript().indexOf("if [")));
        while (pairs.find()) {
            installedByCi.add(pairs.group(1));
        }
        Matcher extra = Pattern.compile("need_apt\\+=\\(([a-z0-9.+-]+)\\)").matcher(ciScript());
        while (extra.find()) {
            installedByCi.add(extra.group(1));
        }
        assertThat(documented).as(block.file() + ": the packages README lists are the ones .ci/run installs").isEqualTo(installedByCi);
        List<String> query = new ArrayList<>(List.of("dpkg-query", "-W"));
        query.addAll(documented);
        assertThat(BuiltTools.exec(query).exitCode()).as("dpkg-query -W " + documented).isZero();
    }

    /**
     * The Helm install as a user outside this machine runs it (a registry this machine cannot reach): helm renders
     * the chart with exactly those flags, and kubectl validates its commands without changing the cluster.
     */
    private static String rendered(String command) {
        return command.lines().map(line -> line.startsWith("kubectl ") ? line + " --dry-run=client -o name"
                : line.replace("helm install", "helm template") + " >/dev/null").collect(Collectors.joining("\n"));
    }

    private static void run(Block block, String command) {
        List<String> bash = List.of("bash", "-c", "set -euo pipefail\nexport PATH=" + toolsPath() + ":$PATH\ncd " + REPO + "\n" + command);
        BuiltTools.Result result = BuiltTools.exec(bash);
        assertThat(result.exitCode()).as(block.file() + ":\n" + command + "\n" + result.stdout() + result.stderr()).isZero();
    }

    private static String toolsPath() {
        BuiltTools.Result kubectl = BuiltTools.exec(List.of(REPO.resolve("hack/build-k8s.sh").toString(), "kubectl"));
        BuiltTools.Result helm = BuiltTools.exec(List.of(REPO.resolve("hack/build-k8s.sh").toString(), "helm"));
        return kubectl.stdout().trim() + ":" + helm.stdout().trim();
    }

    /** The quick start's server, as `make demo` leaves it; returns whether this test made it. */
    private static boolean ensureQuickStartServer() {
        boolean exists = BuiltTools.run("kubectl", List.of("get", "namespace", DEMO_NAMESPACE)).exitCode() == 0;
        if (!exists) {
            BuiltTools.runOrFail("kubectl", List.of("create", "namespace", DEMO_NAMESPACE));
            BuiltTools.runOrFail("kubectl", List.of("label", "namespace", DEMO_NAMESPACE, "pod-security.kubernetes.io/enforce=restricted"));
        }
        BuiltTools.runOrFail("kubectl", List.of("-n", DEMO_NAMESPACE, "apply", "--server-side", "-f", REPO.resolve("examples/quickstart.yaml").toString()));
        BuiltTools.runOrFail("kubectl", List.of("-n", DEMO_NAMESPACE, "wait", "mcps/quickstart", "--for=condition=Ready", "--timeout=180s"));
        return !exists;
    }

    private static String ciScript() throws IOException {
        return Files.readString(REPO.resolve(".ci/run"));
    }
}
