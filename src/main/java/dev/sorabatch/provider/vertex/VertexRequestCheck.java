package dev.sorabatch.provider.vertex;

import java.util.Base64;
import java.util.List;

import dev.sorabatch.simulator.LoopbackHttpServer;
import tools.jackson.databind.JsonNode;

/**
 * What the simulated Veo refuses of a {@code predictLongRunning} body before it makes anything: 400
 * {@code INVALID_ARGUMENT} naming the field (shared/providers-api.md §2.3 for the values Veo 3.x takes). Unknown
 * parameters are left to the model, as Vertex passes {@code parameters} through.
 */
final class VertexRequestCheck {

    private static final List<Integer> DURATIONS = List.of(4, 6, 8);
    private static final List<String> ASPECT_RATIOS = List.of("16:9", "9:16");
    private static final List<String> PERSON_GENERATION = List.of("allow_adult", "dont_allow", "allow_all");
    private static final List<String> IMAGE_TYPES = List.of("image/jpeg", "image/png");

    private VertexRequestCheck() {
    }

    /** The refusal of this body for this model, or null when Veo would take it. */
    static LoopbackHttpServer.Reply refusal(JsonNode body, String model) {
        if (body == null || !body.isObject() || !body.path("instances").isArray()) {
            return VertexReplies.invalid("instances", "Invalid JSON payload received. Expected an object with "
                    + "\"instances\" and \"parameters\".");
        }
        if (body.path("instances").size() != 1) {
            return VertexReplies.invalid("instances", "Only one instance is supported per request, got "
                    + body.path("instances").size() + ".");
        }
        JsonNode instance = body.path("instances").get(0);
        JsonNode image = instance.path("image");
        if (!image.isMissingNode()) {
            LoopbackHttpServer.Reply refused = imageRefusal(image);
            if (refused != null) {
                return refused;
            }
        } else if (instance.path("prompt").asString("").isBlank()) {
            return VertexReplies.invalid("instances[0].prompt", "A prompt is required for text-to-video.");
        }
        JsonNode p = body.path("parameters");
        JsonNode duration = p.path("durationSeconds");
        if (!duration.isMissingNode() && (!duration.canConvertToInt() || !DURATIONS.contains(duration.asInt()))) {
            return VertexReplies.invalid("parameters.durationSeconds", "Unsupported output video duration "
                    + duration.asString() + " seconds, supported durations are [4,6,8] for feature text_to_video.");
        }
        String aspect = p.path("aspectRatio").asString(null);
        if (aspect != null && !ASPECT_RATIOS.contains(aspect)) {
            return VertexReplies.invalid("parameters.aspectRatio", "Unsupported aspectRatio: " + aspect
                    + ". Supported values are 16:9, 9:16.");
        }
        String resolution = p.path("resolution").asString(null);
        List<String> resolutions = VertexRowRules.resolutions(model);
        if (resolution != null && !resolutions.contains(resolution)) {
            return VertexReplies.invalid("parameters.resolution", "Unsupported resolution: " + resolution + " for "
                    + model + ". Supported values are " + String.join(", ", resolutions) + ".");
        }
        int samples = p.path("sampleCount").asInt(1);
        if (samples < 1 || samples > 4) {
            return VertexReplies.invalid("parameters.sampleCount", "sampleCount must be between 1 and 4, got "
                    + samples + ".");
        }
        String person = p.path("personGeneration").asString(null);
        if (person != null && !PERSON_GENERATION.contains(person)) {
            return VertexReplies.invalid("parameters.personGeneration", "Unsupported personGeneration: " + person
                    + ". Supported values are allow_adult, dont_allow, allow_all.");
        }
        String storage = p.path("storageUri").asString(null);
        if (storage != null && !storage.matches("gs://[^/\\s]+/?\\S*")) {
            return VertexReplies.invalid("parameters.storageUri", "storageUri must be a Cloud Storage URI "
                    + "(gs://bucket/prefix), got " + storage + ".");
        }
        return null;
    }

    private static LoopbackHttpServer.Reply imageRefusal(JsonNode image) {
        String mime = image.path("mimeType").asString(null);
        if (mime == null || !IMAGE_TYPES.contains(mime)) {
            return VertexReplies.invalid("instances[0].image.mimeType", "Unsupported image mimeType: " + mime
                    + ". Supported values are image/jpeg, image/png.");
        }
        String bytes = image.path("bytesBase64Encoded").asString(null);
        if (bytes == null && image.path("gcsUri").asString(null) == null) {
            return VertexReplies.invalid("instances[0].image", "The image needs bytesBase64Encoded or gcsUri.");
        }
        if (bytes != null) {
            try {
                Base64.getDecoder().decode(bytes);
            } catch (IllegalArgumentException e) {
                return VertexReplies.invalid("instances[0].image.bytesBase64Encoded", "Invalid value at "
                        + "'instances[0].image.bytes_base64_encoded' (TYPE_BYTES), Base64 decoding failed.");
            }
        }
        return null;
    }
}
