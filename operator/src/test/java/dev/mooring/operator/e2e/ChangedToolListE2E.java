package dev.mooring.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.api.v1alpha1.spec.Durations;
import dev.mooring.operator.api.v1alpha1.spec.VerificationSpec;
import dev.mooring.operator.cluster.TestNamespace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * A changed tool list is caught even while old pods drain: five servers (the official TypeScript SDK v1 server,
 * HIDE_TOOLS hides a tool) pinned to their tool schema's hash roll out a revision that lost a tool, twice each, under
 * light official-SDK load; all ten fail verification on the hash and are rolled back, each check well within its
 * timeout. The second gate alone (verification.beforeTraffic: false), as in VerdictsE2E, which has the other verdicts.
 * One replica each is enough for a bad revision to meet a draining pod. Its load is light, but its ten rollouts and
 * their Jobs at once are not: beside it (with two replicas each), SessionHandoffE2E's 10-second progress calls twice
 * timed out in the SDK client (60 s) and a reference-server JVM of ExamplesE2E did not start within 60 s; so it runs
 * with nothing beside it.
 */
@ExtendWith(InClusterOperator.class)
@Tag(NodeShares.ALONE)
@Lasts(seconds = 150)
@ResourceLock(value = NodeShares.OPERATOR, mode = ResourceAccessMode.READ)
class ChangedToolListE2E {
    private static final Duration TIMEOUT = Duration.ofMinutes(4);

    @RegisterExtension
    static final TestNamespace NAMESPACE = TestNamespace.restricted();

    private final ServersOnTheNode servers = new ServersOnTheNode(NAMESPACE);

    @Test
    void aChangedToolListUnderLoadFailsVerificationAndRollsBackEveryTime() throws Exception {
        List<String> names = List.of("tools-1", "tools-2", "tools-3", "tools-4", "tools-5");
        names.forEach(name -> servers.apply(name, toolsSpec("0", "", null)));
        Map<String, McpServer> good = names.stream().collect(Collectors.toMap(n -> n, servers::awaitReady));
        String hash = good.get("tools-1").getStatus().getVerification().getToolSchemaSha256();
        names.forEach(name -> servers.apply(name, toolsSpec("0", "", hash)));
        for (String name : names) {
            McpServer pinned = await(name + " verified with the hash pinned").atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1))
                    .until(() -> servers.get(name), s -> ServersOnTheNode.ready(s)
                            && s.getStatus().getLastVerifiedCheck().equals(s.getStatus().getVerification().getCheck())
                            && !s.getStatus().getLastVerifiedCheck().equals(good.get(name).getStatus().getLastVerifiedCheck()));
            good.put(name, pinned);
        }

        List<SdkLoad> loads = new ArrayList<>();
        Map<String, String> lastBad = new HashMap<>();
        try {
            names.forEach(name -> loads.add(new SdkLoad(servers.endpointThroughNodePort(name), 2)));
            for (int round = 1; round <= 2; round++) {
                String generation = Integer.toString(round);
                names.forEach(name -> servers.apply(name, toolsSpec(generation, "add", hash)));
                for (String name : names) {
                    String goodRevision = good.get(name).getStatus().getRevision();
                    McpServer rolledBack = await(name + " rolled back in round " + round).atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1))
                            .until(() -> servers.get(name), s -> s.getStatus().getRollback() != null
                                    && !s.getStatus().getRollback().getFrom().equals(lastBad.get(name))
                                    && goodRevision.equals(s.getStatus().getRevision()) && ServersOnTheNode.ready(s));
                    lastBad.put(name, rolledBack.getStatus().getRollback().getFrom());
                    assertThat(rolledBack.getStatus().getRollback().getReason()).as(name + ", round " + round).contains("tool schema changed");
                    // A check that has its verdict ends: once, a session's closing DELETE held every failing Job to its 60 s timeout.
                    Map<String, Long> latency = rolledBack.getStatus().getVerification().getLatencyMs();
                    System.out.println("verdicts e2e: " + name + ", round " + round + ": the failing check's steps in ms " + latency);
                    assertThat(latency.get("total")).as(name + ", round " + round + ": the check's milliseconds, of its timeout of "
                            + VerificationSpec.DEFAULT_TIMEOUT).isLessThan(Durations.parse(VerificationSpec.DEFAULT_TIMEOUT).toMillis() / 2);
                    assertThat(rolledBack.getStatus().getVerification().getToolCount()).as("the check reached the new revision")
                            .isEqualTo(good.get(name).getStatus().getVerification().getToolCount() - 1);
                }
            }
        } finally {
            for (SdkLoad load : loads) {
                JsonNode figures = load.stop();
                System.out.println("verdicts e2e: TypeScript SDK load during 10 bad rollouts and their rollbacks: " + figures);
                load.close();
            }
        }
        assertThat(servers.events("RolledBack")).hasSize(10);
        names.forEach(servers::delete);
    }

    private static ServerSpec toolsSpec(String generation, String hidden, String hash) {
        ServerSpec spec = ServerSpec.sdkV1().replicas(1).drain("10s", "2s").env("DEPLOYED_GENERATION", generation).env("HIDE_TOOLS", hidden)
                .secondGateOnly();
        return hash == null ? spec : spec.set("verification.toolSchemaSha256", hash);
    }
}
