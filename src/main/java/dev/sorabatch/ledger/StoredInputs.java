package dev.sorabatch.ledger;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.sorabatch.service.ModelInputs;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A row's model inputs as the ledger keeps them (column {@code MODEL_INPUTS}, JSON): a create sent again after a
 * lost answer or an expired job must ask for the same video, and be recognised by the same input.
 */
final class StoredInputs {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private StoredInputs() {
    }

    /** Null for a row with none, so that rows of the Sora services store nothing. */
    static String write(ModelInputs inputs) {
        if (inputs == null || inputs.isEmpty() && !inputs.defaultDuration()) {
            return null;
        }
        ObjectNode node = JSON.createObjectNode();
        node.put("aspect_ratio", inputs.aspectRatio());
        node.put("resolution", inputs.resolution());
        node.put("negative_prompt", inputs.negativePrompt());
        node.put("seed", inputs.seed());
        ObjectNode params = node.putObject("params");
        inputs.params().forEach(params::put);
        node.put("default_duration", inputs.defaultDuration());
        return JSON.writeValueAsString(node);
    }

    static ModelInputs read(String stored) {
        if (stored == null || stored.isBlank()) {
            return ModelInputs.NONE;
        }
        JsonNode node = JSON.readTree(stored);
        Map<String, String> params = new LinkedHashMap<>();
        node.path("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().asString()));
        JsonNode seed = node.path("seed");
        return new ModelInputs(text(node, "aspect_ratio"), text(node, "resolution"), text(node, "negative_prompt"),
                seed.isNumber() ? seed.longValue() : null, params, node.path("default_duration").asBoolean(false));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isString() ? value.asString() : null;
    }
}
