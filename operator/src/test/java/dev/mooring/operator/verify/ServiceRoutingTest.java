package dev.mooring.operator.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.operator.model.Annotations;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceRoutingTest {
    private static final String NEW = "bbbbbbbbbb";
    private static final String OLD = "aaaaaaaaaa";

    @Test
    void routesOnceTheSlicesListReadyPodsOfTheRevisionAlone() {
        assertThat(ServiceRouting.notRouted("weather", NEW, List.of(pod("new-1", NEW, null), pod("new-2", NEW, null)),
                List.of(slice("weather", endpoint("new-1", true), endpoint("new-2", true))))).isEmpty();
    }

    @Test
    void anOldPodInItsPreStopDelayStillCounts() {
        Pod draining = new PodBuilder(pod("old-1", OLD, "Running")).editMetadata().withDeletionTimestamp("2026-11-21T10:00:00Z").endMetadata().build();
        assertThat(ServiceRouting.notRouted("weather", NEW, List.of(pod("new-1", NEW, null), draining),
                List.of(slice("weather", endpoint("new-1", true), endpoint("old-1", false)))))
                .hasValueSatisfying(why -> assertThat(why).contains("earlier revision", "old-1"));
    }

    @Test
    void finishedPodsOfOtherRevisionsServeNothing() {
        assertThat(ServiceRouting.notRouted("weather", NEW, List.of(pod("new-1", NEW, null), pod("evicted", OLD, "Failed")),
                List.of(slice("weather", endpoint("new-1", true))))).isEmpty();
    }

    @Test
    void waitsWhileTheSlicesListNoReadyPod() {
        assertThat(ServiceRouting.notRouted("weather", NEW, List.of(pod("new-1", NEW, null)), List.of()))
                .hasValueSatisfying(why -> assertThat(why).contains("list no ready pod"));
        assertThat(ServiceRouting.notRouted("weather", NEW, List.of(pod("new-1", NEW, null)),
                List.of(slice("weather", endpoint("new-1", false))))).isPresent();
    }

    @Test
    void aSliceWithoutEndpointsListsNoReadyPod() {
        EndpointSlice empty = new EndpointSliceBuilder().withNewMetadata().withName("weather-x").addToLabels(ServiceRouting.SERVICE_NAME_LABEL, "weather")
                .endMetadata().withAddressType("IPv4").build();
        empty.setEndpoints(null);
        assertThat(ServiceRouting.notRouted("weather", NEW, List.of(pod("new-1", NEW, null)), List.of(empty)))
                .hasValueSatisfying(why -> assertThat(why).contains("list no ready pod"));
    }

    @Test
    void anEndpointOfAnUnknownPodKeepsTheCheckWaiting() {
        assertThat(ServiceRouting.notRouted("weather", NEW, List.of(pod("new-1", NEW, null)),
                List.of(slice("weather", endpoint("new-1", true), endpoint("stranger", true)))))
                .hasValueSatisfying(why -> assertThat(why).contains("stranger"));
    }

    @Test
    void slicesOfOtherServicesDoNotCount() {
        assertThat(ServiceRouting.notRouted("weather", NEW, List.of(pod("new-1", NEW, null)),
                List.of(slice("weather", endpoint("new-1", true)), slice("other", endpoint("stranger", true))))).isEmpty();
    }

    private static Pod pod(String name, String revision, String phase) {
        return new PodBuilder().withNewMetadata().withName(name).addToAnnotations(Annotations.REVISION, revision).endMetadata()
                .withNewStatus().withPhase(phase == null ? "Running" : phase).endStatus().build();
    }

    private static io.fabric8.kubernetes.api.model.discovery.v1.Endpoint endpoint(String pod, boolean ready) {
        return new io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder().withAddresses("10.244.0.9")
                .withNewConditions().withReady(ready).endConditions()
                .withNewTargetRef().withKind("Pod").withName(pod).endTargetRef().build();
    }

    private static EndpointSlice slice(String service, io.fabric8.kubernetes.api.model.discovery.v1.Endpoint... endpoints) {
        return new EndpointSliceBuilder().withNewMetadata().withName(service + "-x").addToLabels(ServiceRouting.SERVICE_NAME_LABEL, service)
                .endMetadata().withAddressType("IPv4").withEndpoints(endpoints).build();
    }
}
