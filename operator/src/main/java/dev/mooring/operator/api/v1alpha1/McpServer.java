package dev.mooring.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** An MCP server that Mooring deploys, rolls out without dropping calls, and verifies. */
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
