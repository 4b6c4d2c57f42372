package dev.mooring.operator.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import com.fasterxml.jackson.databind.node.ObjectNode;

@JsonIgnoreProperties(ignoreUnknown = true)
public class ToolCallSpec {

    @Required
    @Size(max = 256)
    @ValidationRule(value = "self.size() > 0", message = "verification.call.tool must name a tool")
    @JsonPropertyDescription("Name of the tool the smoke check calls.")
    private String tool;

    @PreserveUnknownFields
    @JsonPropertyDescription("Arguments of the call, as a JSON object.")
    private ObjectNode arguments;

    public String getTool() { return tool; }
    public void setTool(String tool) { this.tool = tool; }
    public ObjectNode getArguments() { return arguments; }
    public void setArguments(ObjectNode arguments) { this.arguments = arguments; }
}
