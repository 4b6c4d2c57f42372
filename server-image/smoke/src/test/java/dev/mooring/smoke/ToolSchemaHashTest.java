package dev.mooring.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToolSchemaHashTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void ignoresTheOrderOfToolsAndOfKeys() throws Exception {
        List<JsonNode> a = List.of(tool("{\"name\":\"echo\",\"inputSchema\":{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}}}}"),
                tool("{\"name\":\"add\",\"inputSchema\":{\"type\":\"object\"}}"));
        List<JsonNode> b = List.of(tool("{\"inputSchema\":{\"type\":\"object\"},\"name\":\"add\"}"),
                tool("{\"inputSchema\":{\"properties\":{\"text\":{\"type\":\"string\"}},\"type\":\"object\"},\"name\":\"echo\"}"));
        assertThat(ToolSchemaHash.of(a)).isEqualTo(ToolSchemaHash.of(b)).matches("[0-9a-f]{64}");
    }

    @Test
    void changesWhenTheContractChanges() throws Exception {
        String base = ToolSchemaHash.of(List.of(tool("{\"name\":\"echo\",\"inputSchema\":{\"type\":\"object\"}}")));
        assertThat(ToolSchemaHash.of(List.of(tool("{\"name\":\"echo\",\"inputSchema\":{\"type\":\"object\",\"required\":[\"text\"]}}")))).isNotEqualTo(base);
        assertThat(ToolSchemaHash.of(List.of(tool("{\"name\":\"echo2\",\"inputSchema\":{\"type\":\"object\"}}")))).isNotEqualTo(base);
        assertThat(ToolSchemaHash.of(List.of(tool("{\"name\":\"echo\",\"description\":\"d\",\"inputSchema\":{\"type\":\"object\"}}")))).isNotEqualTo(base);
    }

    @Test
    void ignoresFieldsOutsideTheContract() throws Exception {
        String base = ToolSchemaHash.of(List.of(tool("{\"name\":\"echo\",\"inputSchema\":{\"type\":\"object\"}}")));
        assertThat(ToolSchemaHash.of(List.of(tool("{\"name\":\"echo\",\"title\":\"Echo\",\"icons\":[],\"_meta\":{\"x\":1},\"inputSchema\":{\"type\":\"object\"}}"))))
                .isEqualTo(base);
    }

    @Test
    void hashesTheDocumentedCanonicalForm() {
        // sha256 of [{"inputSchema":{"type":"object"},"name":"a"}], as printed by
        // printf '%s' '[{"inputSchema":{"type":"object"},"name":"a"}]' | sha256sum
        assertThat(ToolSchemaHash.of(List.of(JSON.createObjectNode().put("name", "a").set("inputSchema", JSON.createObjectNode().put("type", "object")))))
                .isEqualTo("6466400fd2e7d487fd5604f2628816b750b85b429c2064a9d991d7060d80833b");
    }

    private static JsonNode tool(String json) throws Exception {
        return JSON.readTree(json);
    }
}
