package dev.mooring.operator;

import dev.mooring.operator.apply.ServerSideApplier;
import dev.mooring.operator.model.ClusterCapabilities;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
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
    LeaderElectionConfiguration leaderElection(@ConfigProperty(name = "mooring.leader-election.lease-name", defaultValue = "mooring-operator-lock") String lease) {
        return new LeaderElectionConfiguration(lease);
    }

    /** Minor versions look like "34" or "34+" depending on the distribution. */
    static int number(String text) {
        return Integer.parseInt(text.replaceAll("[^0-9]", ""));
    }
}
