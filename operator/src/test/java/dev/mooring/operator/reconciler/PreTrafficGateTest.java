package dev.mooring.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.mooring.operator.model.Annotations;
import dev.mooring.operator.model.ProxySidecar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operator asks new pods' proxies how their MCP check stands; a pod's answer must not cost it a thread or its heap. */
class PreTrafficGateTest {
    private static final String FAILED = "{\"state\":\"failed\",\"check\":\"c1\",\"reason\":\"tool schema changed\"}";

    private HttpServer pod;
    private final AtomicReference<Answer> answer = new AtomicReference<>();

    interface Answer {
        void write(OutputStream body) throws IOException, InterruptedException;
    }

    @BeforeEach
    void start() throws IOException {
        pod = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pod.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        pod.createContext("/ready", exchange -> {
            exchange.sendResponseHeaders(503, 0);
            try (OutputStream body = exchange.getResponseBody()) {
                answer.get().write(body);
            } catch (InterruptedException | IOException e) {
                // the operator gave up on this answer
            }
        });
        pod.start();
    }

    @AfterEach
    void stop() {
        pod.stop(0);
    }

    @Test
    void aFailedCheckIsRead() {
        answer.set(body -> body.write(FAILED.getBytes(StandardCharsets.UTF_8)));
        PreTrafficGate.Reading reading = read();
        assertThat(reading.failed()).hasValueSatisfying(check -> assertThat(check.reason()).isEqualTo("tool schema changed"));
    }

    @Test
    void anAnswerLargerThanTheCapIsNotRead() {
        answer.set(body -> {
            byte[] mib = new byte[1024 * 1024];
            java.util.Arrays.fill(mib, (byte) ' ');
            body.write(FAILED.getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 64; i++) {
                body.write(mib);
            }
        });
        PreTrafficGate.Reading reading = read();
        assertThat(reading.failed()).as("64 MiB after a verdict: no verdict, nothing held").isEmpty();
        assertThat(reading.pending()).as("asked again later").isTrue();
    }

    @Test
    void anAnswerThatDripsIsGivenUpOnAtTheDeadline() {
        answer.set(body -> {
            for (int i = 0; i < 60; i++) {
                body.write(' ');
                body.flush();
                Thread.sleep(500);
            }
        });
        long started = System.nanoTime();
        PreTrafficGate.Reading reading = read();
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(reading.pending()).isTrue();
        assertThat(tookMillis).as("a reconcile waits at most the gate's timeout for a pod, not the 30 s the pod would take")
                .isLessThan(PreTrafficGate.TIMEOUT.toMillis() + 2_000);
    }

    private PreTrafficGate.Reading read() {
        return new PreTrafficGate(pod.getAddress().getPort()).read(List.of(checkingPod()), "r1", "c1");
    }

    private static Pod checkingPod() {
        return new PodBuilder().withNewMetadata().withName("weather-r1-a").withAnnotations(Map.of(Annotations.REVISION, "r1")).endMetadata()
                .withNewStatus().withPodIP("127.0.0.1")
                .addNewCondition().withType("Ready").withStatus("False").endCondition()
                .addNewInitContainerStatus().withName(ProxySidecar.CONTAINER).withStarted(true).endInitContainerStatus()
                .endStatus().build();
    }
}
