package dev.sorabatch.provider.fal;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Pattern;

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

    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,18}");
    private static final Pattern DECIMAL = Pattern.compile("-?\\d+\\.\\d+([eE][-+]?\\d+)?|-?\\d+[eE][-+]?\\d+");

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

    /**
     * A {@code param.} cell as the JSON value it reads as: a whole number, a decimal, {@code true}/{@code false}, a
     * JSON array or object, otherwise the text itself ({@code "5"} stays a number: a model that wants the string
     * gets it from the columns sora-batch maps).
     */
    static JsonNode typed(String value, ObjectMapper json) {
        String text = value.strip();
        if (INTEGER.matcher(text).matches()) {
            return json.getNodeFactory().numberNode(Long.parseLong(text));
        }
        if (DECIMAL.matcher(text).matches()) {
            return json.getNodeFactory().numberNode(new BigDecimal(text).doubleValue());
        }
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return json.getNodeFactory().booleanNode(Boolean.parseBoolean(text.toLowerCase(java.util.Locale.ROOT)));
        }
        if (text.startsWith("[") || text.startsWith("{")) {
            JsonNode parsed = Json.parseOrNull(json, text);
            if (parsed != null && (parsed.isArray() || parsed.isObject())) {
                return parsed;
            }
        }
        return json.getNodeFactory().stringNode(text);
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
