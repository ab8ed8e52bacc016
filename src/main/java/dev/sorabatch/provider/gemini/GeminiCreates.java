package dev.sorabatch.provider.gemini;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import dev.sorabatch.simulator.LoopbackHttpServer;
import dev.sorabatch.simulator.SimulatedJob;
import dev.sorabatch.simulator.Wire;
import tools.jackson.databind.JsonNode;

/**
 * The simulated Gemini API's {@code predictLongRunning} (shared/providers-api.md §1.3): the body checked as the API
 * would (the Veo 3 limits for {@code veo-3*} models; any other model id is served, as the simulator has no model
 * list), an operation made that finishes after {@code sora.simulator.job-duration}, and its name answered. The Veo
 * ids Google retired on this API answer 404 "no longer available" (the June 2026 shutdown; §0).
 */
final class GeminiCreates {

    /** Retired on the Gemini API (shut down 2026-06-30, per Google's changelog; providers-api.md §0). */
    static final Set<String> RETIRED = Set.of("veo-2.0-generate-001", "veo-2.0-generate-exp", "veo-3.0-generate-001",
            "veo-3.0-fast-generate-001", "veo-3.0-generate-preview", "veo-3.0-fast-generate-preview");

    private final GeminiSimulator simulator;

    GeminiCreates(GeminiSimulator simulator) {
        this.simulator = simulator;
    }

    /** The 404 of a retired model, or null for one the simulator serves. */
    static LoopbackHttpServer.Reply retired(String model) {
        if (!RETIRED.contains(model)) {
            return null;
        }
        return GeminiReplies.error(404, "NOT_FOUND", "models/" + model + " is no longer available. Please use "
                + "veo-3.1-generate-preview or veo-3.1-fast-generate-preview instead.");
    }

    LoopbackHttpServer.Reply create(String model, LoopbackHttpServer.Request request) {
        simulator.count("create");
        LoopbackHttpServer.Reply gone = retired(model);
        if (gone != null) {
            simulator.count("retired");
            return gone;
        }
        JsonNode body = Wire.parseOrNull(request.body());
        JsonNode instance = body == null ? null : body.path("instances").path(0);
        if (instance == null || !instance.path("prompt").isString() || instance.path("prompt").asString().isBlank()) {
            return GeminiReplies.invalid("instances[0].prompt", "A text prompt is required: `prompt` is missing "
                    + "or empty.");
        }
        JsonNode parameters = body.path("parameters");
        LoopbackHttpServer.Reply refused = refusal(model, instance, parameters);
        if (refused != null) {
            return refused;
        }
        String prompt = instance.get("prompt").asString();
        int samples = parameters.path("sampleCount").asInt(1);
        int seconds = parameters.path("durationSeconds").asInt(8);
        boolean image = instance.has("image");
        List<String> files = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            files.add(Wire.ulid());
        }
        SimulatedJob.Outcome outcome = simulator.faults().outcomeFor(prompt);
        String id = Wire.ulid().substring(14);
        SimulatedJob job = simulator.jobs().enqueue(now -> new SimulatedJob(id, prompt, model, 0, 0, seconds,
                samples, image ? "inline-image" : null, now, simulator.settings().getJobDuration().toMillis(),
                outcome, List.copyOf(files), GeminiApiDialect.DIALECT, null));
        LoopbackHttpServer.Reply lost = simulator.faults().lostCreateAnswer(simulator.api());
        if (lost != null) {
            return lost;
        }
        return GeminiReplies.json(200, Wire.JSON.createObjectNode().put("name", GeminiApiDialect.operationName(job)));
    }

    /** What the API would refuse of the body, naming the field; null when it takes it. */
    private static LoopbackHttpServer.Reply refusal(String model, JsonNode instance, JsonNode parameters) {
        JsonNode image = instance.path("image");
        if (!image.isMissingNode()) {
            if (!image.path("mimeType").asString("").matches("image/(jpeg|png)")) {
                return GeminiReplies.invalid("instances[0].image.mimeType", "Unsupported MIME type for `image`: '"
                        + image.path("mimeType").asString("") + "'. Use image/jpeg or image/png.");
            }
            if (!decodes(image.path("bytesBase64Encoded").asString(""))) {
                return GeminiReplies.invalid("instances[0].image.bytesBase64Encoded", "Invalid value at "
                        + "'instances[0].image.bytes_base64_encoded': the image is not valid base64.");
            }
        }
        int samples = parameters.path("sampleCount").asInt(1);
        if (samples < 1 || samples > GeminiRowRules.MAX_VIDEOS) {
            return GeminiReplies.invalid("parameters.sampleCount", "The number value for `sampleCount` is out of "
                    + "bound. Please provide a value between 1 and " + GeminiRowRules.MAX_VIDEOS + ", inclusive.");
        }
        if (!model.startsWith("veo-3")) {
            return null;
        }
        JsonNode seconds = parameters.path("durationSeconds");
        if (!seconds.isMissingNode() && !GeminiRowRules.SECONDS.contains(seconds.asInt(-1))) {
            return GeminiReplies.invalid("parameters.durationSeconds", "The number value for `durationSeconds` is "
                    + "out of bound. Please provide a value of 4, 6 or 8.");
        }
        String shape = parameters.path("aspectRatio").asString(null);
        if (shape != null && !GeminiRowRules.SHAPES.contains(shape)) {
            return GeminiReplies.invalid("parameters.aspectRatio", "Aspect ratio `" + shape + "` is not supported; "
                    + "use 16:9 or 9:16.");
        }
        String resolution = parameters.path("resolution").asString(null);
        boolean fourK = model.startsWith("veo-3.1");
        if (resolution != null && !(resolution.equals("720p") || resolution.equals("1080p")
                || fourK && resolution.equals("4k"))) {
            return GeminiReplies.invalid("parameters.resolution", "`resolution` '" + resolution + "' is not "
                    + "supported by " + model + ".");
        }
        return null;
    }

    private static boolean decodes(String base64) {
        try {
            return !base64.isEmpty() && Base64.getDecoder().decode(base64).length > 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
