package dev.mooring.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.operator.TestServers;
import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.api.v1alpha1.spec.NetworkPolicyMode;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerNetworkPolicyTest {
    private final McpServer server = TestServers.server("weather");

    private NetworkPolicy policy() {
        return ServerNetworkPolicy.desired(server, true, "mooring-system").orElseThrow();
    }

    @Test
    void byDefaultAdmitsTheServersOwnNamespaceOnItsMcpPortOnly() {
        NetworkPolicy policy = policy();
        assertThat(policy.getMetadata().getName()).isEqualTo("weather");
        assertThat(policy.getSpec().getPodSelector().getMatchLabels()).isEqualTo(Labels.selector(server));
        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
        NetworkPolicyIngressRule mcp = policy.getSpec().getIngress().get(0);
        assertThat(ports(mcp)).containsExactly("TCP/15080");
        assertThat(namespacesIn(mcp.getFrom().get(0))).containsExactly("team-a");
    }

    @Test
    void byDefaultAServerReachesEverythingButTheCloudMetadataService() {
        var egress = policy().getSpec().getEgress();
        assertThat(egress).hasSize(2);
        var anywhere = egress.get(0);
        assertThat(anywhere.getPorts()).as("every port").isNullOrEmpty();
        assertThat(anywhere.getTo().get(0).getNamespaceSelector().getMatchLabels()).as("every pod of the cluster").isNullOrEmpty();
        assertThat(anywhere.getTo().get(0).getNamespaceSelector().getMatchExpressions()).isNullOrEmpty();
        assertThat(anywhere.getTo().subList(1, 3)).extracting(peer -> peer.getIpBlock().getCidr() + " except " + peer.getIpBlock().getExcept())
                .containsExactly("0.0.0.0/0 except [169.254.169.254/32]", "::/0 except [fd00:ec2::254/128]");
        assertThat(ports(egress.get(1).getPorts())).containsExactly("TCP/53", "UDP/53");
    }

    @Test
    void alwaysAdmitsVerificationPodsAndTheServersOwnPodsWhateverNamespacesAreListed() {
        server.getSpec().getNetwork().setNamespaces(List.of());
        List<NetworkPolicyPeer> from = policy().getSpec().getIngress().get(0).getFrom();
        assertThat(from).extracting(NetworkPolicyPeer::getNamespaceSelector).containsOnlyNulls();
        assertThat(from).extracting(p -> p.getPodSelector().getMatchLabels()).containsExactly(
                Map.of(Labels.INSTANCE, "weather", Labels.COMPONENT, VerificationJob.COMPONENT),
                Map.of(Labels.INSTANCE, "weather", Labels.COMPONENT, Labels.SERVER_COMPONENT));
    }

    @Test
    void listedNamespacesReplaceTheOwnOneAndTheIngressControllerAndExtraPeersAreAdded() {
        server.getSpec().getNetwork().setNamespaces(List.of("agents", "team-b"));
        server.getSpec().getNetwork().setIngressControllerNamespace("ingress-nginx");
        NetworkPolicyPeer extra = new NetworkPolicyPeerBuilder().withNewIpBlock().withCidr("10.1.0.0/16").endIpBlock().build();
        server.getSpec().getNetwork().setFrom(List.of(extra));
        List<NetworkPolicyPeer> from = policy().getSpec().getIngress().get(0).getFrom();
        assertThat(namespacesIn(from.get(0))).containsExactly("agents", "team-b");
        assertThat(from.get(1).getNamespaceSelector().getMatchLabels()).isEqualTo(Map.of("kubernetes.io/metadata.name", "ingress-nginx"));
        assertThat(from.get(from.size() - 1)).isEqualTo(extra);
    }

    @Test
    void theProxysAdminPortIsOpenOnlyToTheOperatorsNamespace() {
        NetworkPolicyIngressRule admin = policy().getSpec().getIngress().get(1);
        assertThat(ports(admin)).containsExactly("TCP/15081");
        assertThat(admin.getFrom()).singleElement()
                .satisfies(p -> assertThat(p.getNamespaceSelector().getMatchLabels()).isEqualTo(Map.of("kubernetes.io/metadata.name", "mooring-system")));
    }

    @Test
    void withoutTheProxyTheServersOwnPortIsTheOneAdmitted() {
        server.getSpec().getTransport().setPort(8080);
        NetworkPolicy policy = ServerNetworkPolicy.desired(server, false, "mooring-system").orElseThrow();
        assertThat(policy.getSpec().getIngress()).singleElement().satisfies(rule -> assertThat(ports(rule)).containsExactly("TCP/8080"));
    }

    @Test
    void restrictedEgressKeepsDns() {
        server.getSpec().getNetwork().setEgress(List.of(new NetworkPolicyEgressRuleBuilder()
                .addNewTo().withNewIpBlock().withCidr("10.2.0.0/16").endIpBlock().endTo().build()));
        NetworkPolicy policy = policy();
        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
        assertThat(policy.getSpec().getEgress()).hasSize(2);
        assertThat(policy.getSpec().getEgress().get(0).getTo().get(0).getIpBlock().getCidr()).isEqualTo("10.2.0.0/16");
        assertThat(policy.getSpec().getEgress().get(1).getTo()).isEmpty();
        assertThat(ports(policy.getSpec().getEgress().get(1).getPorts())).containsExactly("TCP/53", "UDP/53");
    }

    @Test
    void anEmptyEgressListAllowsOnlyDns() {
        server.getSpec().getNetwork().setEgress(List.of());
        assertThat(policy().getSpec().getEgress()).singleElement()
                .satisfies(rule -> assertThat(ports(rule.getPorts())).containsExactly("TCP/53", "UDP/53"));
    }

    @Test
    void noneMeansNoPolicy() {
        server.getSpec().getNetwork().setPolicy(NetworkPolicyMode.None);
        assertThat(ServerNetworkPolicy.desired(server, true, "mooring-system")).isEmpty();
    }

    private static List<String> namespacesIn(NetworkPolicyPeer peer) {
        var expression = peer.getNamespaceSelector().getMatchExpressions().get(0);
        assertThat(expression.getKey()).isEqualTo("kubernetes.io/metadata.name");
        assertThat(expression.getOperator()).isEqualTo("In");
        assertThat(peer.getPodSelector()).isNull();
        return expression.getValues();
    }

    private static List<String> ports(NetworkPolicyIngressRule rule) {
        return ports(rule.getPorts());
    }

    private static List<String> ports(List<NetworkPolicyPort> ports) {
        return ports.stream().map(p -> p.getProtocol() + "/" + valueOf(p.getPort())).toList();
    }

    private static String valueOf(IntOrString port) {
        return port.getIntVal() != null ? port.getIntVal().toString() : port.getStrVal();
    }
}
