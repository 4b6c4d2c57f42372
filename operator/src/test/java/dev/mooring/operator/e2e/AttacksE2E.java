package dev.mooring.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mooring.operator.cluster.TestNamespace;
import dev.mooring.operator.model.Labels;
import dev.mooring.operator.model.ProxySidecar;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Attacks on a server and on the operator, each with 20 official-SDK workers calling the victim throughout (a
 * 2-replica server on the official TypeScript SDK v1, through a NodePort on 127.0.0.1). For each: legit calls that
 * failed, whether both victim pods stayed Ready, the proxies' memory peak against their limit and restarts, the
 * operator's memory before and after and its restarts. The table is printed; the assertions are that no legit call
 * failed, the victim never lost a Ready pod, and nothing restarted. See docs/security.md.
 */
@ExtendWith(InClusterOperator.class)
@Lasts(seconds = 150)
@ResourceLock(value = NodeShares.OPERATOR, mode = ResourceAccessMode.READ)
@ResourceLock(NodeShares.LOAD)
class AttacksE2E {
    private static final int WORKERS = 20;
    private static final String VICTIM = "victim";

    @RegisterExtension
    static final TestNamespace VICTIMS = TestNamespace.restricted();
    @RegisterExtension
    static final TestNamespace TENANT = TestNamespace.restricted();

    private final ServersOnTheNode servers = new ServersOnTheNode(VICTIMS);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    /** One attack's figures. */
    record Row(String attack, String outcome, JsonNode load, boolean victimReadyThroughout, String proxyMemory, int proxyRestarts,
               String operatorMemory, int operatorRestarts) {
    }

    @Test
    void noClientServerProcessOrTenantTakesTheVictimOrTheOperatorDown() throws Exception {
        servers.apply(VICTIM, ServerSpec.sdkV1().replicas(2));
        servers.awaitReady(VICTIM);
        URI endpoint = servers.endpointThroughNodePort(VICTIM);
        List<Row> rows = new ArrayList<>();
        rows.add(underLoad(endpoint, "GET and POST /drain from the server container (both pods)", this::drainFromTheServerContainer));
        rows.add(underLoad(endpoint, "GET /drain from the operator's namespace (both pods)", this::drainFromTheOperatorsNamespace));
        rows.add(underLoad(endpoint, "5,000 requests with made-up HTTP methods", () -> madeUpMethods(endpoint, 5_000)));
        rows.add(underLoad(endpoint, "200 slowloris sockets (half a request head)", () -> slowloris(endpoint, 200)));
        rows.add(underLoad(endpoint, "50 connections with 4 MiB bodies at once", () -> largeBodies(endpoint, 50)));
        rows.add(underLoad(endpoint, "initialize with a 1 MB clientInfo", () -> hugeInitialize(endpoint)));
        rows.add(underLoad(endpoint, "200 labelled 0.9 MB ConfigMaps and 100 labelled pods in another namespace",
                () -> lookAlikes(200, 100)));
        rows.add(underLoad(endpoint, "20 rollouts that never finish in another namespace (look-alikes still there), then a rollout", () -> stuckRolloutsElsewhere(20)));

        System.out.println(table(rows));
        for (Row row : rows) {
            assertThat(row.load().path("failed").asInt()).as(row.attack() + ": legit calls failed: " + row.load().path("errors")).isZero();
            assertThat(row.load().path("succeeded").asInt()).as(row.attack() + ": legit calls served").isPositive();
            assertThat(row.victimReadyThroughout()).as(row.attack() + ": both victim pods Ready throughout").isTrue();
            assertThat(row.proxyRestarts()).as(row.attack() + ": proxy restarts").isZero();
            assertThat(row.operatorRestarts()).as(row.attack() + ": operator restarts").isZero();
        }
        assertThat(rows.get(0).outcome()).as("the server container cannot drain its pod").isEqualTo("403 403 403 403");
        assertThat(rows.get(1).outcome()).as("nor can a pod of the operator's namespace").isEqualTo("403 403");
        assertThat(rows.get(2).outcome()).as("metric series stay within the documented bound").contains("made-up labels 0");
        assertThat(rows.get(3).outcome()).as("every slowloris socket is closed by the proxy").startsWith("200 of 200 closed");
        assertThat(rows.get(4).outcome()).as("what the budget cannot hold is refused, never an OOM").contains("503");
        assertThat(rows.get(5).outcome()).as("an oversized session is not handed over but works").startsWith("200");
        assertThat(rows.get(7).outcome()).as("one namespace holds its share of the rollout slots, and another's rollout never queues")
                .startsWith("5 hold slots, 15 queued").endsWith("queued: no");
    }

    /** The chart's ValidatingAdmissionPolicy, as the API server enforces it on the operator's own account. */
    @Test
    void theOperatorWritesNoSecretButTheSessionKeySecretsOfMcpServers() {
        servers.apply("keyed", ServerSpec.sdkV1().replicas(0));
        await("the session key Secret Mooring made").atMost(Duration.ofMinutes(2))
                .until(() -> VICTIMS.client().secrets().inNamespace(VICTIMS.name()).withName("keyed-mcp-session").get() != null);
        var config = new io.fabric8.kubernetes.client.ConfigBuilder(VICTIMS.client().getConfiguration())
                .withImpersonateUsername("system:serviceaccount:" + InClusterOperator.NAMESPACE + ":" + InClusterOperator.NAME).build();
        try (var operator = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(config).build()) {
            for (String name : List.of("anything", "weather-mcp-session")) {
                var secret = new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata().withName(name).endMetadata()
                        .withStringData(Map.of("k", "v")).build();
                assertThatThrownBy(() -> operator.secrets().inNamespace(VICTIMS.name()).resource(secret).create())
                        .as("the operator's account creates " + name + " without an McpServer controlling it")
                        .hasMessageContaining("writes only the session key Secrets of McpServers");
            }
            assertThatThrownBy(() -> operator.secrets().inNamespace(VICTIMS.name()).withName("keyed-mcp-session")
                    .edit(s -> new io.fabric8.kubernetes.api.model.SecretBuilder(s).editMetadata().withOwnerReferences().endMetadata().build()))
                    .as("nor strips the McpServer's control from its own").hasMessageContaining("writes only the session key Secrets");
        }
        servers.delete("keyed");
    }

    private Row underLoad(URI endpoint, String attack, Attack body) throws Exception {
        int operatorRestarts = operatorRestarts();
        long operatorBefore = PodMemory.rssBytes(operatorPod(), "operator");
        ReadinessWatch watch = new ReadinessWatch(() -> servers.pods(VICTIM), 2);
        String outcome;
        JsonNode figures;
        try (SdkLoad load = new SdkLoad(endpoint, WORKERS)) {
            load.awaitEveryWorkerServed();
            watch.start();
            outcome = body.run();
            figures = load.stop();
        } finally {
            watch.stop();
        }
        List<Pod> pods = servers.pods(VICTIM);
        String proxyMemory = pods.stream().map(p -> PodMemory.mib(PodMemory.peakBytes(p, ProxySidecar.CONTAINER)) + " MiB")
                .collect(Collectors.joining(", ")) + " of 128 MiB";
        int proxyRestarts = pods.stream().mapToInt(p -> restarts(p, ProxySidecar.CONTAINER)).sum();
        long operatorAfter = PodMemory.rssBytes(operatorPod(), "operator");
        System.out.printf("attack: %s -> %s; load %s%n", attack, outcome, figures);
        return new Row(attack, outcome, figures, watch.readyThroughout(), proxyMemory, proxyRestarts,
                PodMemory.mib(operatorBefore) + " -> " + PodMemory.mib(operatorAfter) + " MiB", operatorRestarts() - operatorRestarts);
    }

    interface Attack {
        String run() throws Exception;
    }

    private String drainFromTheServerContainer() {
        List<String> codes = new ArrayList<>();
        for (Pod pod : servers.pods(VICTIM)) {
            for (String method : List.of("GET", "POST")) {
                codes.add(exec(VICTIMS, pod.getMetadata().getName(), "mcp-server", "node", "-e",
                        "fetch('http://127.0.0.1:" + ProxySidecar.ADMIN_PORT + "/drain',{method:'" + method + "'})"
                                + ".then(r=>console.log(r.status)).catch(e=>console.log('error '+e.message))").strip());
            }
        }
        return String.join(" ", codes);
    }

    private String drainFromTheOperatorsNamespace() {
        List<String> codes = new ArrayList<>();
        for (Pod pod : servers.pods(VICTIM)) {
            String line = exec(null, operatorPod().getMetadata().getName(), "operator", "bash", "-c",
                    "exec 3<>/dev/tcp/" + pod.getStatus().getPodIP() + "/" + ProxySidecar.ADMIN_PORT
                            + " && printf 'GET /drain HTTP/1.1\\r\\nHost: proxy\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -1 <&3");
            codes.add(line.strip().replaceFirst("^HTTP/1\\.1 (\\d+).*$", "$1"));
        }
        return String.join(" ", codes);
    }

    private String madeUpMethods(URI endpoint, int requests) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger answered = new AtomicInteger();
        List<Future<?>> sent = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            int n = i;
            sent.add(pool.submit(() -> {
                http.send(HttpRequest.newBuilder(endpoint).method("ATTACK" + n, HttpRequest.BodyPublishers.noBody())
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
                answered.incrementAndGet();
                return null;
            }));
        }
        for (Future<?> f : sent) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException ignored) {
                // counted by what was answered
            }
        }
        pool.shutdown();
        int series = 0;
        int madeUp = 0;
        for (Pod pod : servers.pods(VICTIM)) {
            String metrics = get(URI.create("http://" + pod.getStatus().getPodIP() + ":" + ProxySidecar.ADMIN_PORT + "/metrics"));
            series += (int) metrics.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).count();
            madeUp += (int) metrics.lines().filter(l -> l.contains("ATTACK")).count();
        }
        return answered.get() + " answered; series on both proxies " + series + ", made-up labels " + madeUp;
    }

    private String slowloris(URI endpoint, int sockets) throws Exception {
        List<Socket> open = new ArrayList<>();
        for (int i = 0; i < sockets; i++) {
            Socket socket = new Socket("127.0.0.1", endpoint.getPort());
            socket.getOutputStream().write("POST /mcp HTTP/1.1\r\nHost: victim\r\nContent-Type: appl".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            open.add(socket);
        }
        long started = System.nanoTime();
        int closed = 0;
        long lastClosedMs = 0;
        for (Socket socket : open) {
            // The proxy's header timeout is 10 s: each socket is given until 30 s after the first was opened.
            long left = Math.max(1, 30_000 - (System.nanoTime() - started) / 1_000_000);
            socket.setSoTimeout((int) left);
            try (socket) {
                InputStream in = socket.getInputStream();
                while (in.read() >= 0) {
                    // a 408 or nothing, then the close
                }
                closed++;
                lastClosedMs = (System.nanoTime() - started) / 1_000_000;
            } catch (java.net.SocketTimeoutException e) {
                // still open after 30 s
            } catch (IOException e) {
                closed++;
            }
        }
        return closed + " of " + sockets + " closed by the proxy, the last " + lastClosedMs + " ms after the first was opened";
    }

    private String largeBodies(URI endpoint, int connections) throws Exception {
        byte[] filler = new byte[4 * 1024 * 1024 - 512];
        java.util.Arrays.fill(filler, (byte) 'x');
        String head = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"text\":\"";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(filler);
        body.writeBytes("\"}}}".getBytes(StandardCharsets.US_ASCII));
        byte[] payload = body.toByteArray();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            answers.add(pool.submit(() -> {
                HttpClient own = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                return own.send(HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.ofByteArray(payload))
                        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            }));
        }
        Map<String, Integer> statuses = new LinkedHashMap<>();
        for (Future<Integer> answer : answers) {
            String status;
            try {
                status = Integer.toString(answer.get(90, TimeUnit.SECONDS));
            } catch (java.util.concurrent.ExecutionException e) {
                status = e.getCause().getClass().getSimpleName();
            }
            statuses.merge(status, 1, Integer::sum);
        }
        pool.shutdownNow();
        return "answers " + statuses;
    }

    private String hugeInitialize(URI endpoint) throws Exception {
        String name = "x".repeat(1024 * 1024);
        String initialize = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"" + name + "\",\"version\":\"1\"}}}";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.ofString(initialize))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        String session = response.headers().firstValue("Mcp-Session-Id").orElse("");
        return response.statusCode() + ", session id of " + session.length() + " characters"
                + (session.startsWith("m1.") ? " (a Mooring token)" : " (the server's own: not handed over)");
    }

    /** Objects anyone with ConfigMap or pod rights can make, wearing Mooring's labels and the victim's name. */
    private String lookAlikes(int configMaps, int pods) {
        Map<String, String> labels = Map.of(Labels.MANAGED_BY, Labels.MANAGER, Labels.INSTANCE, VICTIM, Labels.COMPONENT, Labels.SERVER_COMPONENT);
        String filler = "x".repeat(900 * 1024);
        for (int i = 0; i < configMaps; i++) {
            TENANT.client().configMaps().inNamespace(TENANT.name()).resource(new ConfigMapBuilder().withNewMetadata().withName("flood-" + i)
                    .withLabels(labels).endMetadata().withData(Map.of("filler", filler)).build()).create();
        }
        for (int i = 0; i < pods; i++) {
            // Pending on a node that does not exist: what the operator sees of them is all they cost.
            TENANT.client().pods().inNamespace(TENANT.name()).resource(new io.fabric8.kubernetes.api.model.PodBuilder()
                    .withNewMetadata().withName("look-alike-" + i).withLabels(labels).endMetadata()
                    .withNewSpec().withNodeSelector(Map.of(dev.mooring.operator.TestServers.NO_NODE_LABEL, "true"))
                        .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(10001L)
                            .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
                        .addNewContainer().withName("server").withImage(ServersOnTheNode.SERVER_IMAGE)
                            .withNewSecurityContext().withAllowPrivilegeEscalation(false).withNewCapabilities().withDrop("ALL").endCapabilities()
                            .endSecurityContext().endContainer()
                    .endSpec().build()).create();
        }
        // They stay for the next attack, whose rollout of the victim shows the operator at work beside them.
        return configMaps + " ConfigMaps (" + configMaps * 900 / 1024 + " MiB), " + pods + " pods";
    }

    /**
     * A tenant's servers whose new revisions never schedule, with a progress deadline of a day: each holds a rollout
     * slot for as long as its rollout runs.
     */
    private String stuckRolloutsElsewhere(int count) {
        ServersOnTheNode tenant = new ServersOnTheNode(TENANT);
        java.util.function.Supplier<ServerSpec> stuck = () -> ServerSpec.sdkV1().replicas(1)
                .set("nodeSelector", java.util.Map.of(dev.mooring.operator.TestServers.NO_NODE_LABEL, "true"))
                .set("rollout.progressDeadlineSeconds", 86400);
        for (int i = 0; i < count; i++) {
            tenant.apply("stuck-" + i, stuck.get());
        }
        await("the tenant's Deployments").atMost(Duration.ofMinutes(2)).until(() -> TENANT.client().apps().deployments()
                .inNamespace(TENANT.name()).list().getItems().size() == count);
        for (int i = 0; i < count; i++) {
            tenant.apply("stuck-" + i, stuck.get().env("NEXT", "1"));
        }
        java.util.function.Supplier<Long> queued = () -> java.util.stream.IntStream.range(0, count)
                .filter(i -> ServersOnTheNode.condition(tenant.get("stuck-" + i), "Progressing").endsWith("/Queued")).count();
        await("all but the namespace's share of the slots queued").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(queued::get, q -> q == count - 5);
        return (count - queued.get()) + " hold slots, " + queued.get() + " queued; " + victimRollout("AFTER_STUCK_ROLLOUTS");
    }

    /** A rollout of the victim: how long it took, and whether it ever waited for a slot. */
    private String victimRollout(String variable) {
        String before = servers.get(VICTIM).getStatus().getRevision();
        long started = System.nanoTime();
        servers.apply(VICTIM, ServerSpec.sdkV1().replicas(2).env(variable, "1"));
        java.util.concurrent.atomic.AtomicBoolean waited = new java.util.concurrent.atomic.AtomicBoolean();
        await("victim rolled out").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).until(() -> {
            var server = servers.get(VICTIM);
            if (ServersOnTheNode.condition(server, "Progressing").endsWith("/Queued")) {
                waited.set(true);
            }
            return ServersOnTheNode.ready(server) && !before.equals(server.getStatus().getRevision());
        });
        servers.awaitOnly(VICTIM, servers.get(VICTIM).getStatus().getRevision(), 2);
        return "the victim's rollout took " + (System.nanoTime() - started) / 1_000_000_000 + " s, queued: " + (waited.get() ? "yes" : "no");
    }

    private Pod operatorPod() {
        return VICTIMS.client().pods().inNamespace(InClusterOperator.NAMESPACE).withLabel("app.kubernetes.io/name", InClusterOperator.NAME)
                .list().getItems().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null && "Running".equals(p.getStatus().getPhase()))
                .findFirst().orElseThrow(() -> new IllegalStateException("no running operator pod"));
    }

    private int operatorRestarts() {
        return restarts(operatorPod(), "operator");
    }

    private static int restarts(Pod pod, String container) {
        var statuses = new ArrayList<>(pod.getStatus().getContainerStatuses());
        statuses.addAll(pod.getStatus().getInitContainerStatuses());
        return statuses.stream().filter(s -> container.equals(s.getName())).mapToInt(s -> s.getRestartCount()).sum();
    }

    private String exec(TestNamespace namespace, String pod, String container, String... command) {
        String ns = namespace == null ? InClusterOperator.NAMESPACE : namespace.name();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var watch = VICTIMS.client().pods().inNamespace(ns).withName(pod).inContainer(container).writingOutput(out).writingError(out)
                .exec(command)) {
            watch.exitCode().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("exec in " + ns + "/" + pod + " failed", e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private String get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String table(List<Row> rows) {
        StringBuilder out = new StringBuilder("attacks, each beside " + WORKERS + " official TypeScript SDK workers calling the victim:\n");
        out.append("%-66s | %-70s | %-22s | %-5s | %-28s | %-8s | %-14s | %s%n".formatted("attack", "what it met", "legit failed/served",
                "Ready", "proxy memory peak", "restarts", "operator RSS", "restarts"));
        for (Row row : rows) {
            out.append("%-66s | %-70s | %-22s | %-5s | %-28s | %-8d | %-14s | %d%n".formatted(row.attack(), row.outcome(),
                    row.load().path("failed").asInt() + "/" + row.load().path("succeeded").asInt(), row.victimReadyThroughout() ? "yes" : "NO",
                    row.proxyMemory(), row.proxyRestarts(), row.operatorMemory(), row.operatorRestarts()));
        }
        return out.toString();
    }
}
