package dev.mooring.operator.model;

import dev.mooring.operator.api.v1alpha1.McpServer;
import dev.mooring.operator.api.v1alpha1.spec.NetworkSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who may reach a server's pods. Ports are numbers, not names: the proxy is a native sidecar (an init container),
 * and policy implementations resolve named ports on regular containers only.
 */
public final class ServerNetworkPolicy {
    /** Set on every namespace by the API server, so a namespace is selected by its name. */
    static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";
    static final int DNS_PORT = 53;
    static final String METADATA_IPV4 = "169.254.169.254/32";
    static final String METADATA_IPV6 = "fd00:ec2::254/128";

    private ServerNetworkPolicy() {
    }

    /**
     * @param operatorNamespace where the operator runs: it asks new pods' proxies whether they passed the MCP
     *                          check, and metrics scrapes come from there
     */
    public static Optional<NetworkPolicy> desired(McpServer server, boolean proxy, String operatorNamespace) {
        NetworkSpec network = server.getSpec().getNetwork();
        if (!network.enabled()) {
            return Optional.empty();
        }
        List<NetworkPolicyIngressRule> ingress = new ArrayList<>();
        int mcpPort = proxy ? ProxySidecar.MCP_PORT : server.getSpec().getTransport().getPort();
        ingress.add(new NetworkPolicyIngressRuleBuilder().withPorts(tcp(mcpPort)).withFrom(callers(server)).build());
        if (proxy) {
            ingress.add(new NetworkPolicyIngressRuleBuilder().withPorts(tcp(ProxySidecar.ADMIN_PORT))
                    .withFrom(namespace(operatorNamespace)).build());
        }
        List<NetworkPolicyEgressRule> egress = new ArrayList<>(network.getEgress() != null ? network.getEgress() : anywhereButMetadata());
        egress.add(new NetworkPolicyEgressRuleBuilder()
                .withPorts(tcp(DNS_PORT), new NetworkPolicyPortBuilder().withProtocol("UDP").withPort(new IntOrString(DNS_PORT)).build())
                .build());
        return Optional.of(new NetworkPolicyBuilder()
                .withMetadata(ChildMetadata.build(server))
                .withNewSpec()
                    .withNewPodSelector().withMatchLabels(Labels.selector(server)).endPodSelector()
                    .withPolicyTypes("Ingress", "Egress")
                    .withIngress(ingress)
                    .withEgress(egress)
                .endSpec()
                .build());
    }

    /**
     * The default egress: every pod of the cluster, and every address outside it but the cloud metadata service's,
     * which hands out the node's credentials to whoever asks (a server's fetch tool following a prompt-injected URL).
     * Pods are listed apart because some implementations match ipBlocks against addresses outside the cluster only.
     */
    static List<NetworkPolicyEgressRule> anywhereButMetadata() {
        return List.of(new NetworkPolicyEgressRuleBuilder()
                .addNewTo().withNamespaceSelector(new LabelSelector()).endTo()
                .addNewTo().withNewIpBlock().withCidr("0.0.0.0/0").withExcept(METADATA_IPV4).endIpBlock().endTo()
                .addNewTo().withNewIpBlock().withCidr("::/0").withExcept(METADATA_IPV6).endIpBlock().endTo()
                .build());
    }

    private static List<NetworkPolicyPeer> callers(McpServer server) {
        NetworkSpec network = server.getSpec().getNetwork();
        String own = server.getMetadata().getNamespace();
        List<NetworkPolicyPeer> peers = new ArrayList<>();
        List<String> namespaces = network.getNamespaces() == null ? List.of(own) : network.getNamespaces();
        if (!namespaces.isEmpty()) {
            peers.add(new NetworkPolicyPeerBuilder().withNamespaceSelector(new LabelSelectorBuilder()
                    .addNewMatchExpression().withKey(NAMESPACE_NAME_LABEL).withOperator("In").withValues(namespaces).endMatchExpression()
                    .build()).build());
        }
        if (network.getIngressControllerNamespace() != null) {
            peers.add(namespace(network.getIngressControllerNamespace()));
        }
        // A bare podSelector selects in the policy's namespace: the verification Jobs and the server's own pods
        // (a server may call itself through its Service) keep working whatever namespaces are listed.
        peers.add(pods(server, VerificationJob.COMPONENT));
        peers.add(pods(server, Labels.SERVER_COMPONENT));
        if (network.getFrom() != null) {
            peers.addAll(network.getFrom());
        }
        return peers;
    }

    private static NetworkPolicyPeer pods(McpServer server, String component) {
        Map<String, String> selector = Map.of(Labels.INSTANCE, server.getMetadata().getName(), Labels.COMPONENT, component);
        return new NetworkPolicyPeerBuilder().withPodSelector(new LabelSelectorBuilder().withMatchLabels(selector).build()).build();
    }

    private static NetworkPolicyPeer namespace(String name) {
        LabelSelector selector = new LabelSelectorBuilder().withMatchLabels(Map.of(NAMESPACE_NAME_LABEL, name)).build();
        return new NetworkPolicyPeerBuilder().withNamespaceSelector(selector).build();
    }

    private static NetworkPolicyPort tcp(int port) {
        return new NetworkPolicyPortBuilder().withProtocol("TCP").withPort(new IntOrString(port)).build();
    }
}
