package dev.mooring.operator.reconciler;

import dev.mooring.operator.model.Annotations;
import dev.mooring.operator.model.ProxySidecar;
import dev.mooring.operator.verify.PodCheck;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
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
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Logger LOG = Logger.getLogger(PreTrafficGate.class);

    /**
     * @param failed  a pod whose check failed with the current settings
     * @param pending whether a pod's check is still running (or its proxy could not be asked): look again soon
     */
    record Reading(Optional<PodCheck> failed, boolean pending) {
        static final Reading NONE = new Reading(Optional.empty(), false);
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();

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

    private Optional<PodCheck> ask(Pod pod) {
        URI uri = URI.create("http://" + hostOf(pod.getStatus().getPodIP()) + ":" + ProxySidecar.ADMIN_PORT + "/ready");
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return PodCheck.parse(pod.getMetadata().getName(), response.body());
        } catch (IOException e) {
            LOG.debugf("could not ask %s how its MCP check stands: %s", uri, e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static String hostOf(String ip) {
        return ip.contains(":") ? "[" + ip + "]" : ip;
    }
}
