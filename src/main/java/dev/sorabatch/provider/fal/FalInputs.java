package dev.sorabatch.provider.fal;

import java.util.Map;

import dev.sorabatch.http.Json;
import dev.sorabatch.service.CreateVideoRequest;
import dev.sorabatch.service.ModelInputs;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A row as a fal model's JSON input: {@code prompt}, {@code image_url} as given (fal fetches it), {@code duration}
 * as the model writes it (none when the row asked for none: the model's default), {@code aspect_ratio},
 * {@code resolution}, {@code negative_prompt}, {@code seed}, and each {@code param.x} column as {@code x}, typed.
 * The same input is what a lost submit is recognised by in fal's request list ({@code json_input}).
 */
final class FalInputs {

    private FalInputs() {
    }

    static ObjectNode of(CreateVideoRequest request, String modelId, ObjectMapper json) {
        ObjectNode input = json.createObjectNode();
        input.put("prompt", request.prompt());
        if (request.imageUrl() != null) {
            input.put("image_url", request.imageUrl());
        }
        ModelInputs inputs = request.inputs();
        if (!inputs.defaultDuration() && request.nSeconds() > 0) {
            FalModel.of(modelId).putDuration(input, request.nSeconds());
        }
        putIfSet(input, "aspect_ratio", inputs.aspectRatio());
        putIfSet(input, "resolution", inputs.resolution());
        putIfSet(input, "negative_prompt", inputs.negativePrompt());
        if (inputs.seed() != null) {
            input.put("seed", inputs.seed());
        }
        for (Map.Entry<String, String> param : inputs.params().entrySet()) {
            input.set(param.getKey(), typed(param.getValue(), json));
        }
        return input;
    }

    /** A {@code param.} cell as the JSON value it reads as ({@link Json#typed}). */
    static JsonNode typed(String value, ObjectMapper json) {
        return Json.typed(value, json);
    }

    /**
     * Whether {@code echoed} (a listing's {@code json_input}) is exactly {@code sent}: both read back from their
     * text, so that a number is compared as a number whatever width it was built with.
     */
    static boolean same(ObjectNode sent, String echoed, ObjectMapper json) {
        JsonNode theirs = Json.parseOrNull(json, echoed);
        return theirs != null && theirs.equals(json.readTree(json.writeValueAsString(sent)));
    }

    private static void putIfSet(ObjectNode input, String field, String value) {
        if (value != null) {
            input.put(field, value);
        }
    }
}
