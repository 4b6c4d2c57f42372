package dev.mooring.operator.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** kubectl and helm as users run them, built from their Go modules by hack/build-k8s.sh (cached after the first build). */
public final class BuiltTools {
    private BuiltTools() {
    }

    public record Result(int exitCode, String stdout, String stderr) {
    }

    /** Runs the named tool (kubectl or helm) against the cluster KUBECONFIG names. */
    public static Result run(String tool, List<String> args) {
        List<String> command = new ArrayList<>(List.of(binary(tool).toString()));
        command.addAll(args);
        return exec(command);
    }

    /** Like {@link #run}, but throws with the tool's stderr unless it exits 0. */
    public static String runOrFail(String tool, List<String> args) {
        return succeeded(tool + " " + String.join(" ", args), run(tool, args));
    }

    /** Like {@link #exec}, but throws with the command's stderr unless it exits 0. */
    public static String execOrFail(List<String> command) {
        return succeeded(String.join(" ", command), exec(command));
    }

    private static String succeeded(String what, Result result) {
        if (result.exitCode() != 0) {
            throw new IllegalStateException(what + " failed (" + result.exitCode() + "): " + result.stderr());
        }
        return result.stdout();
    }

    private static Path binary(String tool) {
        Result built = exec(List.of(TestCluster.REPO.resolve("hack/build-k8s.sh").toString(), tool));
        if (built.exitCode() != 0) {
            throw new IllegalStateException("cannot build " + tool + " with hack/build-k8s.sh: " + built.stderr());
        }
        return Path.of(built.stdout().trim(), tool);
    }

    /** Runs any command to its end (at most ten minutes), capturing what it prints. */
    public static Result exec(List<String> command) {
        try {
            Path stderr = Files.createTempFile("mooring-tool", ".stderr");
            try {
                Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
                byte[] stdout = process.getInputStream().readAllBytes();
                if (!process.waitFor(600, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " did not finish");
                }
                return new Result(process.exitValue(), new String(stdout, StandardCharsets.UTF_8), Files.readString(stderr));
            } finally {
                Files.deleteIfExists(stderr);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
