package dev.mooring.operator.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A container's memory as the node's cgroups count it (the tests run on the node): its peak since it started, and
 * its resident anonymous memory now. cgroup v1 and v2.
 */
final class PodMemory {
    private static final Path CGROUPS = Path.of("/sys/fs/cgroup");

    private PodMemory() {
    }

    static long peakBytes(Pod pod, String container) {
        Path group = group(pod, container);
        return Files.exists(group.resolve("memory.peak")) ? number(group.resolve("memory.peak"))
                : number(group.resolve("memory.max_usage_in_bytes"));
    }

    static long rssBytes(Pod pod, String container) {
        Path group = group(pod, container);
        try (Stream<String> lines = Files.lines(group.resolve("memory.stat"))) {
            return lines.map(line -> line.split(" "))
                    .filter(f -> f[0].equals("anon") || f[0].equals("total_rss"))
                    .mapToLong(f -> Long.parseLong(f[1])).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no anon or total_rss in " + group.resolve("memory.stat")));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + group, e);
        }
    }

    static long mib(long bytes) {
        return bytes / (1024 * 1024);
    }

    /** The container's memory cgroup: the directory named after its container id, under the memory hierarchy. */
    private static Path group(Pod pod, String container) {
        List<io.fabric8.kubernetes.api.model.ContainerStatus> statuses = new ArrayList<>(pod.getStatus().getContainerStatuses());
        statuses.addAll(pod.getStatus().getInitContainerStatuses());
        String id = statuses.stream().filter(s -> container.equals(s.getName()) && s.getContainerID() != null).findFirst()
                .map(s -> s.getContainerID().replaceFirst("^[a-z]+://", ""))
                .orElseThrow(() -> new IllegalStateException("container " + container + " of " + pod.getMetadata().getName() + " has no id"));
        Path root = Files.isDirectory(CGROUPS.resolve("memory")) ? CGROUPS.resolve("memory") : CGROUPS;
        try (Stream<Path> found = Files.find(root, 8, (path, attributes) -> attributes.isDirectory() && path.getFileName().toString().contains(id))) {
            Optional<Path> group = found.findFirst();
            return group.orElseThrow(() -> new IllegalStateException("no memory cgroup for container " + id + " under " + root));
        } catch (IOException e) {
            throw new IllegalStateException("cannot search " + root, e);
        }
    }

    private static long number(Path file) {
        try {
            return Long.parseLong(Files.readString(file).strip());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }
}
