package dev.mooring.operator.reconciler;

import dev.mooring.operator.model.Annotations;
import dev.mooring.operator.model.ProxySidecar;
import dev.mooring.operator.verify.PodCheck;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Reads the first gate from the pods: a new pod that is not ready is asked (its proxy's /ready on the pod's IP) how its
 * MCP check stands. A readiness probe's failure reaches no API object with its reason, so the operator asks the proxy
 * itself; that is how a bad revision is rolled back in seconds instead of at the rollout's progress deadline.
 */
final class PreTrafficGate {
    /** How often a rollout whose new pods are still being checked is looked at again. */
    static final Duration POLL = Duration.ofSeconds(2);
    /** Pods asked per reconcile: one failing pod decides, and a big rollout must not make a reconcile slow. */
    static final int MAX_PODS_ASKED = 5;
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** The proxy's answer is a line of JSON with mcp-smoke's report: a few KiB. */
    static final int MAX_ANSWER_BYTES = 64 * 1024;
    private static final Logger LOG = Logger.getLogger(PreTrafficGate.class);

    /**
     * @param failed  a pod whose check failed with the current settings
     * @param pending whether a pod's check is still running (or its proxy could not be asked): look again soon
     */
    record Reading(Optional<PodCheck> failed, boolean pending) {
        static final Reading NONE = new Reading(Optional.empty(), false);
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();
    private final int adminPort;

    PreTrafficGate() {
        this(ProxySidecar.ADMIN_PORT);
    }

    PreTrafficGate(int adminPort) {
        this.adminPort = adminPort;
    }

    Reading read(List<Pod> serverPods, String revision, String check) {
        List<Pod> asked = serverPods.stream()
                .filter(p -> revision.equals(p.getMetadata().getAnnotations().get(Annotations.REVISION)))
                .filter(PreTrafficGate::checkingBeforeTraffic)
                .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                .limit(MAX_PODS_ASKED)
                .toList();
        boolean pending = false;
        for (Pod pod : asked) {
            Optional<PodCheck> answer = ask(pod);
            if (answer.isPresent() && answer.get().failed(check)) {
                return new Reading(answer, false);
            }
            pending |= answer.map(a -> a.checking() || "failed".equals(a.state())).orElse(true);
        }
        return new Reading(Optional.empty(), pending);
    }

    /** Running, its proxy started, not ready, not going away: a pod whose proxy is running the check. */
    private static boolean checkingBeforeTraffic(Pod pod) {
        var status = pod.getStatus();
        if (pod.getMetadata().getDeletionTimestamp() != null || status == null || status.getPodIP() == null) {
            return false;
        }
        boolean ready = status.getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        boolean proxyStarted = status.getInitContainerStatuses().stream()
                .anyMatch(c -> ProxySidecar.CONTAINER.equals(c.getName()) && Boolean.TRUE.equals(c.getStarted()));
        return !ready && proxyStarted;
    }

    /**
     * The whole answer within TIMEOUT and MAX_ANSWER_BYTES, or none: the request's own timeout ends at the response's
     * head, and a pod that drips its body (or sends a large one) would otherwise hold a reconcile thread or the heap.
     */
    private Optional<PodCheck> ask(Pod pod) {
        URI uri = URI.create("http://" + hostOf(pod.getStatus().getPodIP()) + ":" + adminPort + "/ready");
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                CappedBody.handler(MAX_ANSWER_BYTES));
        try {
            return PodCheck.parse(pod.getMetadata().getName(), answer.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).body());
        } catch (ExecutionException | TimeoutException e) {
            answer.cancel(true);
            LOG.debugf("could not ask %s how its MCP check stands: %s", uri, e instanceof TimeoutException ? "no whole answer within "
                    + TIMEOUT.toSeconds() + " s" : e.getCause().getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static String hostOf(String ip) {
        return ip.contains(":") ? "[" + ip + "]" : ip;
    }
}
