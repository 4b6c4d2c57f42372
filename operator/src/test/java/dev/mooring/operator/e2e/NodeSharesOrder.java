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
 * The order of the end-to-end classes, from a simulation of the run. JUnit forks every class onto one worker's
 * queue in this order: that worker takes them from the end, the others take them from the front, and a worker whose
 * class waits for a lock waits with it. So the simulation lets each worker, when it is free, take the longest class
 * ({@link Lasts}) that can run beside those running (one class under {@link NodeShares#LOAD} at a time), and puts it
 * at the front or, for the first worker, at the back. Longest first leaves no long class to run alone at the end.
 */
public final class NodeSharesOrder implements ClassOrderer {
    static final String WORKERS = "junit.jupiter.execution.parallel.config.fixed.parallelism";

    private record Running(ClassDescriptor descriptor, int worker, long endsAt) {
    }

    @Override
    public void orderClasses(ClassOrdererContext context) {
        int workers = context.getConfigurationParameter(WORKERS).map(Integer::parseInt).orElse(1);
        List<? extends ClassDescriptor> classes = context.getClassDescriptors();
        List<ClassDescriptor> waiting = new ArrayList<>(classes);
        waiting.sort(Comparator.comparingInt(NodeSharesOrder::seconds).reversed().thenComparing(c -> c.getTestClass().getName()));

        List<ClassDescriptor> front = new ArrayList<>();
        List<ClassDescriptor> back = new ArrayList<>();
        PriorityQueue<Running> running = new PriorityQueue<>(Comparator.comparingLong(Running::endsAt));
        List<Integer> free = new ArrayList<>();
        for (int worker = 0; worker < workers; worker++) {
            free.add(worker);
        }
        long now = 0;
        while (!waiting.isEmpty()) {
            boolean loadTaken = running.stream().anyMatch(r -> underLoad(r.descriptor()));
            ClassDescriptor next = free.isEmpty() ? null : waiting.stream().filter(c -> !loadTaken || !underLoad(c)).findFirst().orElse(null);
            if (next == null) {
                Running done = running.poll();
                now = done.endsAt();
                free.add(done.worker());
                continue;
            }
            int worker = free.remove(0);
            waiting.remove(next);
            if (worker == 0 && workers > 1) {
                back.add(0, next);
            } else {
                front.add(next);
            }
            running.add(new Running(next, worker, now + seconds(next)));
        }
        List<ClassDescriptor> order = new ArrayList<>(front);
        order.addAll(back);
        Map<ClassDescriptor, Integer> position = new HashMap<>();
        order.forEach(c -> position.put(c, position.size()));
        classes.sort(Comparator.comparingInt(position::get));
    }

    private static boolean underLoad(ClassDescriptor c) {
        return c.findRepeatableAnnotations(ResourceLock.class).stream()
                .anyMatch(l -> l.value().equals(NodeShares.LOAD) && l.mode() == ResourceAccessMode.READ_WRITE);
    }

    private static int seconds(ClassDescriptor c) {
        return c.findAnnotation(Lasts.class).map(Lasts::seconds).orElse(60);
    }
}
