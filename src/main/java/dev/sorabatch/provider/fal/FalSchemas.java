package dev.sorabatch.provider.fal;

import java.util.List;
import java.util.Locale;

import dev.sorabatch.simulator.SimulatedImages;
import dev.sorabatch.simulator.Wire;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The simulated models' input schemas (shared/providers-api.md §3.8: Veo 3.1, Kling, Wan 2.5), checked as the
 * model's pydantic would: each problem one {@code {loc, msg, type, input, ctx}} entry, all of them at once. A model
 * fetches its image URLs itself; one it cannot fetch (the simulator's tell-tale names, as for images) is refused
 * the same way. An endpoint no family claims is only asked for a prompt.
 */
final class FalSchemas {

    private static final List<String> IMAGE_FIELDS = List.of("image_url", "start_image_url", "end_image_url",
            "audio_url");

    private final ArrayNode errors = Wire.JSON.createArrayNode();
    private final JsonNode input;

    private FalSchemas(JsonNode input) {
        this.input = input;
    }

    /** The problems with this input for this endpoint; empty when the model takes it. */
    static ArrayNode check(String endpointId, JsonNode input) {
        FalSchemas schema = new FalSchemas(input);
        if (input == null || !input.isObject()) {
            schema.error(null, "Input should be a valid dictionary", "dict_type", null);
            return schema.errors;
        }
        schema.check(endpointId.toLowerCase(Locale.ROOT));
        return schema.errors;
    }

    private void check(String endpoint) {
        boolean imageToVideo = endpoint.contains("image-to-video");
        requiredString("prompt");
        if (endpoint.startsWith("fal-ai/veo3.1")) {
            oneOf("duration", "4s", "6s", "8s");
            if (imageToVideo) {
                oneOf("aspect_ratio", "auto", "16:9", "9:16");
                required("image_url");
            } else {
                oneOf("aspect_ratio", "16:9", "9:16");
            }
            if (endpoint.contains("/lite")) {
                oneOf("resolution", "720p", "1080p");
            } else {
                oneOf("resolution", "720p", "1080p", "4k");
            }
            oneOf("safety_tolerance", "1", "2", "3", "4", "5", "6");
            bool("generate_audio");
            bool("auto_fix");
            integer("seed", null, null);
        } else if (endpoint.startsWith("fal-ai/kling-video/v4")) {
            integer("duration", 3, 30);
            oneOf("resolution", "720p", "1080p");
            oneOf("aspect_ratio", "auto", "16:9", "9:16", "1:1");
            if (imageToVideo) {
                required("start_image_url");
            }
        } else if (endpoint.startsWith("fal-ai/kling-video/")) {
            oneOf("duration", "5", "10");
            if (imageToVideo) {
                required("image_url");
            } else {
                oneOf("aspect_ratio", "16:9", "9:16", "1:1");
            }
            number("cfg_scale", 0, 1);
        } else if (endpoint.startsWith("fal-ai/wan-25")) {
            maxLength("prompt", 1500);
            oneOf("duration", "5", "10");
            oneOf("resolution", "480p", "720p", "1080p");
            oneOf("aspect_ratio", "16:9", "9:16", "1:1");
        }
        IMAGE_FIELDS.forEach(this::fetchable);
        input.path("image_urls").forEach(url -> fetchableUrl("image_urls", url));
    }

    private void requiredString(String field) {
        if (!input.has(field)) {
            required(field);
        } else if (!input.get(field).isString()) {
            error(field, "Input should be a valid string", "string_type", null);
        }
    }

    private void required(String field) {
        if (!input.has(field) || input.get(field).isNull()) {
            error(field, "Field required", "missing", null);
        }
    }

    /** A literal: the JSON value must be one of these strings (an integer 8 is not "8s", nor "8"). */
    private void oneOf(String field, String... values) {
        JsonNode value = input.get(field);
        if (value == null || value.isNull()) {
            return;
        }
        if (value.isString() && List.of(values).contains(value.asString())) {
            return;
        }
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            expected.append(i == 0 ? "" : i == values.length - 1 ? " or " : ", ").append('\'').append(values[i])
                    .append('\'');
        }
        error(field, "Input should be " + expected, "literal_error",
                Wire.JSON.createObjectNode().put("expected", expected.toString()));
    }

    private void integer(String field, Integer min, Integer max) {
        JsonNode value = input.get(field);
        if (value == null || value.isNull()) {
            return;
        }
        if (!value.isIntegralNumber()) {
            error(field, "Input should be a valid integer", "int_type", null);
        } else {
            range(field, value.asDouble(), min, max);
        }
    }

    private void number(String field, double min, double max) {
        JsonNode value = input.get(field);
        if (value == null || value.isNull()) {
            return;
        }
        if (!value.isNumber()) {
            error(field, "Input should be a valid number", "float_type", null);
        } else {
            range(field, value.asDouble(), min, max);
        }
    }

    private void range(String field, double value, Number min, Number max) {
        if (min != null && value < min.doubleValue()) {
            error(field, "Input should be greater than or equal to " + plain(min), "greater_than_equal",
                    Wire.JSON.createObjectNode().put("ge", min.doubleValue()));
        } else if (max != null && value > max.doubleValue()) {
            error(field, "Input should be less than or equal to " + plain(max), "less_than_equal",
                    Wire.JSON.createObjectNode().put("le", max.doubleValue()));
        }
    }

    /** As pydantic writes a bound: {@code 1}, not {@code 1.0}. */
    private static String plain(Number bound) {
        double d = bound.doubleValue();
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private void bool(String field) {
        JsonNode value = input.get(field);
        if (value != null && !value.isNull() && !value.isBoolean()) {
            error(field, "Input should be a valid boolean", "bool_type", null);
        }
    }

    private void maxLength(String field, int max) {
        JsonNode value = input.get(field);
        if (value != null && value.isString() && value.asString().length() > max) {
            error(field, "String should have at most " + max + " characters", "string_too_long",
                    Wire.JSON.createObjectNode().put("max_length", max));
        }
    }

    private void fetchable(String field) {
        JsonNode value = input.get(field);
        if (value != null && !value.isNull()) {
            fetchableUrl(field, value);
        }
    }

    private void fetchableUrl(String field, JsonNode value) {
        String url = value.isString() ? value.asString() : "";
        String lower = url.toLowerCase(Locale.ROOT);
        if (!(lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("data:"))) {
            error(field, "Input should be a valid URL", "url_parsing", null);
        } else if (!lower.startsWith("data:") && !SimulatedImages.fetchable(url)) {
            error(field, "Failed to download the file. Please check if the file is accessible.",
                    "file_download_error", null);
        }
    }

    private void error(String field, String msg, String type, ObjectNode ctx) {
        ObjectNode error = errors.addObject();
        ArrayNode loc = error.putArray("loc").add("body");
        if (field != null) {
            loc.add(field);
        }
        error.put("msg", msg);
        error.put("type", type);
        if (field != null && input != null && input.has(field)) {
            error.set("input", input.get(field));
        } else {
            error.set("input", input == null ? Wire.JSON.nullNode() : input);
        }
        if (ctx != null) {
            error.set("ctx", ctx);
        }
    }
}
