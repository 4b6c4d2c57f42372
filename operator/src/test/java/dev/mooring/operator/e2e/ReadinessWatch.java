package dev.mooring.operator.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.function.Supplier;

/** Looks at a server's pods twice a second while something runs, and says whether as many as wanted stayed Ready. */
final class ReadinessWatch {
    private final Supplier<List<Pod>> pods;
    private final int wanted;
    private volatile boolean running;
    private volatile boolean readyThroughout = true;
    private Thread thread;

    ReadinessWatch(Supplier<List<Pod>> pods, int wanted) {
        this.pods = pods;
        this.wanted = wanted;
    }

    void start() {
        running = true;
        thread = new Thread(() -> {
            while (running) {
                long ready = pods.get().stream().filter(ReadinessWatch::ready).count();
                if (ready < wanted) {
                    readyThroughout = false;
                    System.out.println("readiness watch: " + ready + " of " + wanted + " pods Ready");
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "readiness-watch");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(5_000);
        }
    }

    boolean readyThroughout() {
        return readyThroughout;
    }

    private static boolean ready(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() == null && pod.getStatus() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
