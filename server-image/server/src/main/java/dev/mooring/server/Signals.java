package dev.mooring.server;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import sun.misc.Signal;

/**
 * Takes SIGTERM and SIGINT away from the JVM's default (run shutdown hooks now, cut everything) and hands
 * them to the drain, which exits once in-flight work is done.
 */
public class Signals {
    void onStart(@Observes StartupEvent event, Drain drain, Faults faults) {
        faults.exitAtStartIfAsked();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> drain.start(signal.getName()));
        }
    }
}
