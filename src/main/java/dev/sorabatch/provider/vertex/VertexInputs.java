package dev.sorabatch.provider.vertex;

import java.util.Base64;
import java.util.Map;

import dev.sorabatch.http.Json;
import dev.sorabatch.service.CreateVideoRequest;
import dev.sorabatch.service.ModelInputs;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A row as Veo's {@code predictLongRunning} body (shared/providers-api.md §2.3): {@code instances[0]} with the
 * prompt and the fetched image inline; {@code parameters} with {@code durationSeconds}, {@code aspectRatio},
 * {@code resolution}, {@code sampleCount} (the row's variants), {@code negativePrompt}, {@code seed},
 * {@code generateAudio} (sent explicitly, true unless the row says), {@code personGeneration} ({@code allow_adult},
 * Vertex's default, unless the row says), {@code storageUri} when configured, and each {@code param.x} column
 * typed, its snake_case name in Vertex's camelCase ({@code param.generate_audio} → {@code generateAudio}).
 */
final class VertexInputs {

    private VertexInputs() {
    }

    static ObjectNode of(CreateVideoRequest request, String storageUri, ObjectMapper json) {
        ObjectNode body = json.createObjectNode();
        ObjectNode instance = body.putArray("instances").addObject();
        instance.put("prompt", request.prompt());
        if (request.image() != null) {
            instance.putObject("image")
                    .put("bytesBase64Encoded", Base64.getEncoder().encodeToString(request.image().bytes()))
                    .put("mimeType", request.image().mediaType());
        }
        ObjectNode parameters = body.putObject("parameters");
        ModelInputs inputs = request.inputs();
        if (request.nSeconds() > 0 && !inputs.defaultDuration()) {
            // a row without seconds leaves Veo its own default (its seconds hold it only for budgets and the report)
            parameters.put("durationSeconds", request.nSeconds());
        }
        putIfSet(parameters, "aspectRatio", inputs.aspectRatio());
        putIfSet(parameters, "resolution", inputs.resolution());
        parameters.put("sampleCount", Math.max(1, request.nVariants()));
        putIfSet(parameters, "negativePrompt", inputs.negativePrompt());
        if (inputs.seed() != null) {
            parameters.put("seed", inputs.seed());
        }
        parameters.put("generateAudio", true);
        parameters.put("personGeneration", "allow_adult");
        if (storageUri != null && !storageUri.isBlank()) {
            parameters.put("storageUri", storageUri.strip());
        }
        for (Map.Entry<String, String> param : inputs.params().entrySet()) {
            parameters.set(camel(param.getKey()), Json.typed(param.getValue(), json));
        }
        return body;
    }

    /** {@code generate_audio} → {@code generateAudio}; a camelCase name stays as written. */
    static String camel(String name) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : name.toCharArray()) {
            if (c == '_') {
                upper = out.length() > 0;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
