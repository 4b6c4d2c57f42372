package dev.mooring.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** An MCP server that Mooring deploys, rolls out without dropping calls, and verifies. */
// Its name becomes the Service's (a DNS-1035 label) and part of label values and child names; 52 characters
// leave room for every suffix Mooring adds.
@ValidationRule(value = "self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$') && size(self.metadata.name) <= 52",
        message = "metadata.name must be a DNS-1035 label of at most 52 characters (lowercase letters, digits and '-', starting with a letter): it names the server's Service")
@Group(McpServer.GROUP)
@Version(McpServer.VERSION)
@ShortNames("mcps")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Replicas", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.readyReplicas")
@AdditionalPrinterColumn(name = "Revision", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.revision")
@AdditionalPrinterColumn(name = "Verified", type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Verified\")].status")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE,
        jsonPath = ".metadata.creationTimestamp")
public class McpServer extends CustomResource<McpServerSpec, McpServerStatus> implements Namespaced {
    public static final String GROUP = "mooring.dev";
    public static final String VERSION = "v1alpha1";
}
