package dev.mooring.operator.e2e;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The order the workers take the end-to-end classes in. JUnit hands classes out in this order to whichever worker is
 * free, and a worker whose class waits for a lock waits with it; so the order comes from a simulation of the run:
 * first the classes that must have the operator to themselves, then, whenever a worker is free, the longest class
 * ({@link Lasts}) that can run beside those running (one class under {@link NodeShares#LOAD} at a time). Longest first
 * leaves no long class to run alone at the end.
 */
public final class NodeSharesOrder implements ClassOrderer {
    static final String WORKERS = "junit.jupiter.execution.parallel.config.fixed.parallelism";

    private record Running(ClassDescriptor descriptor, long endsAt) {
    }

    @Override
    public void orderClasses(ClassOrdererContext context) {
        int workers = context.getConfigurationParameter(WORKERS).map(Integer::parseInt).orElse(1);
        List<? extends ClassDescriptor> classes = context.getClassDescriptors();
        List<ClassDescriptor> alone = new ArrayList<>();
        List<ClassDescriptor> waiting = new ArrayList<>();
        classes.stream().sorted(Comparator.comparing(c -> c.getTestClass().getName())).forEach(c -> (holds(c, NodeShares.OPERATOR, ResourceAccessMode.READ_WRITE) ? alone : waiting).add(c));
        waiting.sort(Comparator.comparingInt(NodeSharesOrder::seconds).reversed());

        List<ClassDescriptor> order = new ArrayList<>(alone);
        PriorityQueue<Running> running = new PriorityQueue<>(Comparator.comparingLong(Running::endsAt));
        long now = 0;
        while (!waiting.isEmpty()) {
            boolean loadTaken = running.stream().anyMatch(r -> holds(r.descriptor(), NodeShares.LOAD, ResourceAccessMode.READ_WRITE));
            ClassDescriptor next = running.size() >= workers ? null
                    : waiting.stream().filter(c -> !loadTaken || !holds(c, NodeShares.LOAD, ResourceAccessMode.READ_WRITE)).findFirst().orElse(null);
            if (next == null) {
                now = running.poll().endsAt();
                continue;
            }
            waiting.remove(next);
            order.add(next);
            running.add(new Running(next, now + seconds(next)));
        }
        Map<ClassDescriptor, Integer> position = new HashMap<>();
        order.forEach(c -> position.put(c, position.size()));
        classes.sort(Comparator.comparingInt(position::get));
    }

    private static boolean holds(ClassDescriptor c, String resource, ResourceAccessMode mode) {
        return c.findRepeatableAnnotations(ResourceLock.class).stream().anyMatch(l -> l.value().equals(resource) && l.mode() == mode);
    }

    private static int seconds(ClassDescriptor c) {
        return c.findAnnotation(Lasts.class).map(Lasts::seconds).orElse(60);
    }
}
