package dev.mooring.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.mooring.operator.api.v1alpha1.spec.DisruptionBudgetSpec;
import dev.mooring.operator.api.v1alpha1.spec.DrainSpec;
import dev.mooring.operator.api.v1alpha1.spec.SaturatingInteger;
import dev.mooring.operator.api.v1alpha1.spec.HealthSpec;
import dev.mooring.operator.api.v1alpha1.spec.ImagePullPolicy;
import dev.mooring.operator.api.v1alpha1.spec.NetworkSpec;
import dev.mooring.operator.api.v1alpha1.spec.ProxySpec;
import dev.mooring.operator.api.v1alpha1.spec.RolloutSpec;
import dev.mooring.operator.api.v1alpha1.spec.ServiceSpec;
import dev.mooring.operator.api.v1alpha1.spec.SessionSpec;
import dev.mooring.operator.api.v1alpha1.spec.TransportSpec;
import dev.mooring.operator.api.v1alpha1.spec.VerificationSpec;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import java.util.List;
import java.util.Map;

/**
 * What the user asks for. Every default lives in the CRD schema (see {@link Default}), so the stored
 * object differs from the applied one only by documented defaults and the operator never writes spec.
 */
@ValidationRule(value = "!has(self.podLabels) || !self.podLabels.exists(k, k in ['app.kubernetes.io/instance', 'app.kubernetes.io/component', 'app.kubernetes.io/managed-by'])",
        message = "podLabels must not set app.kubernetes.io/instance, app.kubernetes.io/component or app.kubernetes.io/managed-by: Mooring uses them to select the server's pods")
@ValidationRule(value = "!has(self.health.path) || self.health.path != (has(self.transport.path) ? self.transport.path : (self.transport.type == 'sse' ? '/sse' : '/mcp'))",
        message = "health.path must not be the MCP path: a readiness probe must never GET the MCP endpoint (Streamable HTTP servers may accept only POST)")
@ValidationRule(value = "!self.proxy.enabled || !(self.transport.port in [15080, 15081]) && !(has(self.health.port) && self.health.port in [15080, 15081])",
        message = "transport.port and health.port must not be 15080 or 15081 while the proxy is enabled: the Mooring proxy listens on them in every pod")
@ValidationRule(value = "!has(self.env) || !self.env.exists(e, e.name == 'DRAIN_TIMEOUT_MS')",
        message = "env must not set DRAIN_TIMEOUT_MS: Mooring sets it from spec.drain.timeout so that the drain and the grace period agree")
// Fields this operator does not know are skipped, not fatal: during an upgrade the CRD can be newer than the
// operator that reads it (helm upgrade applies the CRD before the new operator pod runs).
@JsonIgnoreProperties(ignoreUnknown = true)
public class McpServerSpec {

    @Required
    @Size(min = 1, max = 1024)
    @ValidationRule(value = "self.trim() != ''", message = "image must name a container image, for example mooring/mcp-server:1.0")
    @JsonPropertyDescription("Container image of the MCP server, for example registry.example.com/team/weather-mcp:1.4.2.")
    private String image;

    @Default("IfNotPresent")
    @JsonPropertyDescription("When the kubelet pulls the image: Always, IfNotPresent (the default) or Never.")
    @JsonFormat(with = JsonFormat.Feature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
    private ImagePullPolicy imagePullPolicy = ImagePullPolicy.IfNotPresent;

    @JsonPropertyDescription("Secrets holding credentials for the image's registry (at most 16).")
    @Size(max = 16)
    private List<LocalObjectReference> imagePullSecrets;

    @JsonPropertyDescription("Overrides the image's ENTRYPOINT (at most 64 items of 4096 characters). Leave unset to run the image as built.")
    @Size(max = 64)
    private List<@Size(max = 4096) String> command;

    @JsonPropertyDescription("Overrides the image's CMD (at most 256 items of 4096 characters).")
    @Size(max = 256)
    private List<@Size(max = 4096) String> args;

    @JsonPropertyDescription("Environment variables of the server container (at most 256: each reference to a Secret or ConfigMap is read on every reconcile). DRAIN_TIMEOUT_MS is reserved: Mooring sets it from spec.drain.timeout.")
    @Size(max = 256)
    private List<EnvVar> env;

    @JsonPropertyDescription("Secrets and ConfigMaps whose keys become environment variables (the EnvironmentFile pattern; at most 32).")
    @Size(max = 32)
    private List<EnvFromSource> envFrom;

    @JsonPropertyDescription("CPU and memory requests and limits of the server container.")
    private ResourceRequirements resources;

    @JsonPropertyDescription("ServiceAccount the pods run as. When unset the namespace's default account is used and its token is not mounted.")
    @Size(max = 253)
    @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$')",
            message = "serviceAccountName must be the name of a ServiceAccount: lowercase letters, digits, '-' and '.'")
    private String serviceAccountName;

    @JsonPropertyDescription("Number of pods. Leave unset when a HorizontalPodAutoscaler manages the Deployment; the Deployment then starts with 1.")
    @ValidationRule(value = "self >= 0", message = "replicas must not be negative")
    @Max(1000)
    @JsonDeserialize(using = SaturatingInteger.class)
    private Integer replicas;

    @JsonPropertyDescription("Node labels the pods must match (at most 64).")
    @Size(max = 64)
    private Map<String, String> nodeSelector;

    @JsonPropertyDescription("Taints the pods tolerate (at most 64).")
    @Size(max = 64)
    private List<Toleration> tolerations;

    @JsonPropertyDescription("Node and pod affinity of the pods.")
    private Affinity affinity;

    @JsonPropertyDescription("How the pods spread across zones and nodes (at most 16 constraints).")
    @Size(max = 16)
    private List<TopologySpreadConstraint> topologySpreadConstraints;

    @JsonPropertyDescription("Extra labels on the pods (at most 64).")
    @Size(max = 64)
    private Map<String, String> podLabels;

    @JsonPropertyDescription("Extra annotations on the pods (at most 64; the API server limits their total size to 256 KiB).")
    @Size(max = 64)
    private Map<String, String> podAnnotations;

    @Default("{}")
    @JsonPropertyDescription("How MCP clients reach the server.")
    private TransportSpec transport = new TransportSpec();

    @Default("{}")
    @JsonPropertyDescription("Probes. Readiness is an HTTP GET on the health path, never on the MCP endpoint; liveness is a TCP check by default so that a draining server is not restarted.")
    private HealthSpec health = new HealthSpec();

    @Default("{}")
    @JsonPropertyDescription("The Mooring proxy, a sidecar in every pod that drains it, reports its readiness and counts its calls (docs/proxy.md).")
    private ProxySpec proxy = new ProxySpec();

    @Default("{}")
    @JsonPropertyDescription("How a pod stops: the time the server gets to finish in-flight calls, and the delay before SIGTERM.")
    private DrainSpec drain = new DrainSpec();

    @Default("{}")
    @JsonPropertyDescription("How a new revision replaces the old one. Capacity never drops: maxUnavailable is always 0.")
    private RolloutSpec rollout = new RolloutSpec();

    @Default("{}")
    @JsonPropertyDescription("The MCP smoke check that runs against every new revision once it has rolled out.")
    private VerificationSpec verification = new VerificationSpec();

    @Default("{}")
    @JsonPropertyDescription("How clients with an MCP session stay on the pod that holds it.")
    private SessionSpec session = new SessionSpec();

    @Default("{}")
    @JsonPropertyDescription("The Service in front of the pods.")
    private ServiceSpec service = new ServiceSpec();

    @Default("{}")
    @JsonPropertyDescription("The PodDisruptionBudget that keeps voluntary evictions to one pod at a time.")
    private DisruptionBudgetSpec disruptionBudget = new DisruptionBudgetSpec();

    @Default("{}")
    @JsonPropertyDescription("Who may reach the server's pods, and where they may connect: a NetworkPolicy Mooring keeps (docs/user-guide.md, Network).")
    private NetworkSpec network = new NetworkSpec();

    public String getImage() { return image; }
    public void setImage(String image) { this.image = image; }
    public ImagePullPolicy getImagePullPolicy() { return imagePullPolicy; }
    public void setImagePullPolicy(ImagePullPolicy imagePullPolicy) { this.imagePullPolicy = imagePullPolicy; }
    public List<LocalObjectReference> getImagePullSecrets() { return imagePullSecrets; }
    public void setImagePullSecrets(List<LocalObjectReference> imagePullSecrets) { this.imagePullSecrets = imagePullSecrets; }
    public List<String> getCommand() { return command; }
    public void setCommand(List<String> command) { this.command = command; }
    public List<String> getArgs() { return args; }
    public void setArgs(List<String> args) { this.args = args; }
    public List<EnvVar> getEnv() { return env; }
    public void setEnv(List<EnvVar> env) { this.env = env; }
    public List<EnvFromSource> getEnvFrom() { return envFrom; }
    public void setEnvFrom(List<EnvFromSource> envFrom) { this.envFrom = envFrom; }
    public ResourceRequirements getResources() { return resources; }
    public void setResources(ResourceRequirements resources) { this.resources = resources; }
    public String getServiceAccountName() { return serviceAccountName; }
    public void setServiceAccountName(String serviceAccountName) { this.serviceAccountName = serviceAccountName; }
    public Integer getReplicas() { return replicas; }
    public void setReplicas(Integer replicas) { this.replicas = replicas; }
    public Map<String, String> getNodeSelector() { return nodeSelector; }
    public void setNodeSelector(Map<String, String> nodeSelector) { this.nodeSelector = nodeSelector; }
    public List<Toleration> getTolerations() { return tolerations; }
    public void setTolerations(List<Toleration> tolerations) { this.tolerations = tolerations; }
    public Affinity getAffinity() { return affinity; }
    public void setAffinity(Affinity affinity) { this.affinity = affinity; }
    public List<TopologySpreadConstraint> getTopologySpreadConstraints() { return topologySpreadConstraints; }
    public void setTopologySpreadConstraints(List<TopologySpreadConstraint> c) { this.topologySpreadConstraints = c; }
    public Map<String, String> getPodLabels() { return podLabels; }
    public void setPodLabels(Map<String, String> podLabels) { this.podLabels = podLabels; }
    public Map<String, String> getPodAnnotations() { return podAnnotations; }
    public void setPodAnnotations(Map<String, String> podAnnotations) { this.podAnnotations = podAnnotations; }
    public TransportSpec getTransport() { return transport; }
    public void setTransport(TransportSpec transport) { this.transport = transport; }
    public HealthSpec getHealth() { return health; }
    public void setHealth(HealthSpec health) { this.health = health; }
    public DrainSpec getDrain() { return drain; }
    public void setDrain(DrainSpec drain) { this.drain = drain; }
    public RolloutSpec getRollout() { return rollout; }
    public void setRollout(RolloutSpec rollout) { this.rollout = rollout; }
    public VerificationSpec getVerification() { return verification; }
    public void setVerification(VerificationSpec verification) { this.verification = verification; }
    public SessionSpec getSession() { return session; }
    public void setSession(SessionSpec session) { this.session = session; }
    public ServiceSpec getService() { return service; }
    public void setService(ServiceSpec service) { this.service = service; }
    public DisruptionBudgetSpec getDisruptionBudget() { return disruptionBudget; }
    public void setDisruptionBudget(DisruptionBudgetSpec disruptionBudget) { this.disruptionBudget = disruptionBudget; }
    public NetworkSpec getNetwork() { return network; }
    public void setNetwork(NetworkSpec network) { this.network = network; }
    public ProxySpec getProxy() { return proxy; }
    public void setProxy(ProxySpec proxy) { this.proxy = proxy; }
}
