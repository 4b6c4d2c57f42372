package dev.mooring.smoke;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * HTTP headers from a folder, one per file: how a Kubernetes Secret mounted as a volume hands credentials to
 * mcp-smoke without putting them on its command line, where `kubectl get job -o yaml` would show them.
 */
final class HeaderFiles {
    private HeaderFiles() {
    }

    static Map<String, String> read(String folder) {
        Path dir = Path.of(folder);
        if (!Files.isDirectory(dir)) {
            throw new Options.UsageError("--headers-dir " + folder + " is not a folder");
        }
        Map<String, String> headers = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            // A mounted Secret also holds ..data and a timestamped folder; only its keys are headers.
            for (Path file : files.filter(f -> !f.getFileName().toString().startsWith(".") && Files.isRegularFile(f)).toList()) {
                String name = file.getFileName().toString();
                if (!name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
                    throw new Options.UsageError("--headers-dir: " + name + " is not a valid HTTP header name");
                }
                headers.put(name, Files.readString(file).strip());
            }
        } catch (IOException e) {
            throw new Options.UsageError("--headers-dir " + folder + ": " + e.getMessage());
        }
        return headers;
    }
}
