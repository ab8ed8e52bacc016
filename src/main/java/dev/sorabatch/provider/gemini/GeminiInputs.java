package dev.sorabatch.provider.gemini;

import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.sorabatch.http.Json;
import dev.sorabatch.service.CreateVideoRequest;
import dev.sorabatch.service.ModelInputs;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A row as the Gemini API's {@code predictLongRunning} body, as Google's SDK builds it in Gemini API mode
 * (shared/providers-api.md §1.3): {@code instances[0]} with the {@code prompt} and the fetched image inline
 * ({@code image: {bytesBase64Encoded, mimeType}}: this API takes no {@code gcsUri}); {@code parameters} with
 * {@code sampleCount} (the row's variants; the SDK's {@code number_of_videos}), {@code durationSeconds} unless the row
 * leaves the model its default, {@code aspectRatio}, {@code resolution}, {@code negativePrompt}, and each
 * {@code param.x} column typed, its snake_case name in camelCase ({@code param.person_generation} →
 * {@code personGeneration}, {@code param.enhance_prompt} → {@code enhancePrompt}). Nothing is sent that the row does
 * not ask for: no {@code personGeneration} (its allowed values differ by mode and region), no {@code seed} nor
 * {@code generateAudio} (Vertex-only; the SDK refuses them here).
 */
final class GeminiInputs {

    private static final Pattern SNAKE = Pattern.compile("_+([a-zA-Z0-9])");

    private GeminiInputs() {
    }

    static ObjectNode of(CreateVideoRequest request, ObjectMapper json) {
        ObjectNode body = json.createObjectNode();
        ObjectNode instance = body.putArray("instances").addObject();
        instance.put("prompt", request.prompt());
        if (request.image() != null) {
            ObjectNode image = instance.putObject("image");
            image.put("bytesBase64Encoded", Base64.getEncoder().encodeToString(request.image().bytes()));
            image.put("mimeType", request.image().mediaType());
        }
        ObjectNode parameters = body.putObject("parameters");
        parameters.put("sampleCount", Math.max(1, request.nVariants()));
        ModelInputs inputs = request.inputs();
        if (!inputs.defaultDuration() && request.nSeconds() > 0) {
            parameters.put("durationSeconds", request.nSeconds());
        }
        if (inputs.aspectRatio() != null) {
            parameters.put("aspectRatio", inputs.aspectRatio());
        }
        if (inputs.resolution() != null) {
            parameters.put("resolution", inputs.resolution());
        }
        if (inputs.negativePrompt() != null) {
            parameters.put("negativePrompt", inputs.negativePrompt());
        }
        for (Map.Entry<String, String> param : inputs.params().entrySet()) {
            parameters.set(camelCase(param.getKey()), Json.typed(param.getValue(), json));
        }
        return body;
    }

    /** {@code person_generation} → {@code personGeneration}; a name already in camelCase is kept. */
    static String camelCase(String name) {
        Matcher m = SNAKE.matcher(name.replaceAll("^_+", ""));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, m.group(1).toUpperCase(java.util.Locale.ROOT));
        }
        return m.appendTail(out).toString();
    }
}
