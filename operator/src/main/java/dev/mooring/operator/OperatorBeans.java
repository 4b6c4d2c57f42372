package dev.mooring.operator;

import dev.mooring.operator.apply.ServerSideApplier;
import dev.mooring.operator.model.ClusterCapabilities;
import dev.mooring.operator.reconciler.ServerHealthMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Wiring: the objects the reconciler is built from. */
public class OperatorBeans {
    private static final Logger LOG = Logger.getLogger(OperatorBeans.class);

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    ServerSideApplier applier(KubernetesClient client) {
        return new ServerSideApplier(client);
    }

    @Produces
    @Singleton
    ClusterCapabilities capabilities(KubernetesClient client) {
        VersionInfo version = client.getKubernetesVersion();
        ClusterCapabilities capabilities = ClusterCapabilities.forVersion(number(version.getMajor()), number(version.getMinor()));
        LOG.infof("API server %s.%s: preStop uses %s", version.getMajor(), version.getMinor(),
                capabilities.nativeSleepAction() ? "the native sleep action" : "an exec sleep");
        return capabilities;
    }

    /** Takes part in leader election only in the prod profile (quarkus.operator-sdk.activate-leader-election-for-profiles). */
    @Produces
    @Singleton
    LeaderElectionConfiguration leaderElection(@ConfigProperty(name = "mooring.leader-election.lease-name", defaultValue = "mooring-operator-lock") String lease,
                                               ServerHealthMetrics health) {
        // The defaults of LeaderElectionConfiguration(lease), with callbacks that tell the leader gauge (alerts use it).
        LeaderCallbacks callbacks = new LeaderCallbacks(() -> health.leading(true), () -> health.leading(false), leader -> {
        });
        return new LeaderElectionConfiguration(lease, null, LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE, LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                null, callbacks, true);
    }

    /** Minor versions look like "34" or "34+" depending on the distribution. */
    static int number(String text) {
        return Integer.parseInt(text.replaceAll("[^0-9]", ""));
    }
}
