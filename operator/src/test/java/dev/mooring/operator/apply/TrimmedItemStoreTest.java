package dev.mooring.operator.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.api.Test;

class TrimmedItemStoreTest {

    @Test
    void keepsTheEntriesOfMooringsManagersOnWhatItApplies() {
        Deployment deployment = new DeploymentBuilder().withNewMetadata().withName("weather").withNamespace("team-a")
                .withManagedFields(entry(ServerSideApplier.FIELD_MANAGER), entry(ReplicasHandoff.FIELD_MANAGER),
                        entry("kube-controller-manager"), entry("kubectl-edit"))
                .endMetadata().build();
        TrimmedItemStore<Deployment> store = TrimmedItemStore.applied(d -> true);
        store.put(store.getKey(deployment), deployment);

        assertThat(store.get("team-a/weather").getMetadata().getManagedFields()).extracting(ManagedFieldsEntry::getManager)
                .containsExactly(ServerSideApplier.FIELD_MANAGER, ReplicasHandoff.FIELD_MANAGER);
    }

    @Test
    void keepsNothingItDoesNotOwnAndForgetsWhatStopsBeingItsOwn() {
        TrimmedItemStore<Deployment> store = TrimmedItemStore.applied(d -> !d.getMetadata().getLabels().isEmpty());
        Deployment foreign = new DeploymentBuilder().withNewMetadata().withName("copycat").withNamespace("team-a").endMetadata().build();
        store.put(store.getKey(foreign), foreign);
        assertThat(store.values().toList()).isEmpty();

        Deployment owned = new DeploymentBuilder().withNewMetadata().withName("weather").withNamespace("team-a")
                .addToLabels("owned", "yes").endMetadata().build();
        store.put(store.getKey(owned), owned);
        assertThat(store.get("team-a/weather")).isNotNull();
        Deployment released = new DeploymentBuilder().withNewMetadata().withName("weather").withNamespace("team-a").endMetadata().build();
        assertThat(store.put(store.getKey(released), released)).as("the update reports what was kept").isNotNull();
        assertThat(store.get("team-a/weather")).as("no longer owned, no longer kept").isNull();
    }

    @Test
    void keepsNoneOnWhatItOnlyReads() {
        Pod pod = new PodBuilder().withNewMetadata().withName("weather-1").withNamespace("team-a")
                .withManagedFields(entry("kubelet"), entry(ServerSideApplier.FIELD_MANAGER)).endMetadata().build();
        TrimmedItemStore<Pod> store = TrimmedItemStore.readOnly(p -> true);
        store.put(store.getKey(pod), pod);

        assertThat(store.get("team-a/weather-1").getMetadata().getManagedFields()).isEmpty();
        assertThat(store.values().toList()).hasSize(1);
    }

    @Test
    void keepsOfPodsTheMetadataAndStatusMooringReads() {
        Pod pod = new PodBuilder().withNewMetadata().withName("weather-1").withNamespace("team-a").addToAnnotations("mooring.dev/revision", "r1")
                .withManagedFields(entry("kubelet")).endMetadata()
                .withNewSpec().addNewContainer().withName("server").withImage("weather:1").endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP("10.244.0.9").endStatus().build();
        TrimmedItemStore<Pod> store = TrimmedItemStore.pods(p -> true);
        store.put(store.getKey(pod), pod);

        Pod cached = store.get("team-a/weather-1");
        assertThat(cached.getSpec().getContainers()).isEmpty();
        assertThat(cached.getMetadata().getManagedFields()).isEmpty();
        assertThat(cached.getMetadata().getAnnotations()).containsEntry("mooring.dev/revision", "r1");
        assertThat(cached.getStatus().getPodIP()).isEqualTo("10.244.0.9");
    }

    private static ManagedFieldsEntry entry(String manager) {
        return new ManagedFieldsEntryBuilder().withManager(manager).withOperation("Apply").build();
    }
}
