package dev.mooring.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.List;

@JsonIgnoreProperties(ignoreUnknown = true)
public class NetworkSpec {
    private static final String NAMESPACE_NAME = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

    @Default("Default")
    @JsonFormat(with = JsonFormat.Feature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
    @JsonPropertyDescription("Default: Mooring keeps a NetworkPolicy named after the server that admits MCP traffic only from the sources below, Mooring's verification pods and the server's own pods, and the proxy's admin port (readiness, drain, metrics) only from the operator's namespace; the node's own traffic (kubelet probes) is always admitted. None: no NetworkPolicy from Mooring (one it made before is deleted). A NetworkPolicy is enforced only where the cluster's network plugin implements them.")
    private NetworkPolicyMode policy = NetworkPolicyMode.Default;

    @Size(max = 64)
    @JsonPropertyDescription("Namespaces whose pods may call the server. Default (unset): the server's own namespace. When set, only these (list the server's own namespace too if its neighbours should keep access); [] admits no namespace, only the sources below.")
    private List<@Size(min = 1, max = 63) @Pattern(NAMESPACE_NAME) String> namespaces;

    @Size(min = 1, max = 63)
    @Pattern(NAMESPACE_NAME)
    @JsonPropertyDescription("Namespace of the cluster's ingress controller, when clients reach the server through an Ingress or Gateway: its pods may call the server.")
    private String ingressControllerNamespace;

    @Size(max = 64)
    @JsonPropertyDescription("More sources that may call the server, as NetworkPolicy peers (podSelector, namespaceSelector, ipBlock), for example the pods of one agent in another namespace.")
    private List<NetworkPolicyPeer> from;

    @Size(max = 64)
    @JsonPropertyDescription("Where the server's pods may connect to, as NetworkPolicy egress rules. Default (unset): every pod of the cluster and every address outside it except the cloud metadata service (169.254.169.254/32, fd00:ec2::254/128), which hands out node credentials. When set, only there (a rule with an ipBlock of 169.254.169.254/32 opens the metadata service again, for a server that needs it), and DNS (port 53, UDP and TCP) is always allowed so that names still resolve.")
    private List<NetworkPolicyEgressRule> egress;

    public boolean enabled() {
        return policy != NetworkPolicyMode.None;
    }

    public NetworkPolicyMode getPolicy() { return policy; }
    public void setPolicy(NetworkPolicyMode policy) { this.policy = policy; }
    public List<String> getNamespaces() { return namespaces; }
    public void setNamespaces(List<String> namespaces) { this.namespaces = namespaces; }
    public String getIngressControllerNamespace() { return ingressControllerNamespace; }
    public void setIngressControllerNamespace(String ingressControllerNamespace) { this.ingressControllerNamespace = ingressControllerNamespace; }
    public List<NetworkPolicyPeer> getFrom() { return from; }
    public void setFrom(List<NetworkPolicyPeer> from) { this.from = from; }
    public List<NetworkPolicyEgressRule> getEgress() { return egress; }
    public void setEgress(List<NetworkPolicyEgressRule> egress) { this.egress = egress; }
}
