package dev.sorabatch.provider.fal;

import java.util.Arrays;
import java.util.List;

import dev.sorabatch.simulator.SimulatedJob;
import dev.sorabatch.simulator.Wire;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the simulated queue keeps of a submit beyond the common job fields: the endpoint it was sent to, the app
 * its status, result and cancel URLs hang from, the model input, and whether payloads may be stored
 * ({@code X-Fal-Store-IO: 0} keeps the input out of the request list).
 *
 * @param endpointId {@code owner/app[/path]}, e.g. {@code fal-ai/kling-video/v2.1/standard/image-to-video}
 * @param app {@code owner/app}, e.g. {@code fal-ai/kling-video} (with the namespace for {@code workflows/…})
 */
record FalRequest(String endpointId, String app, JsonNode input, boolean storeIo) {

    /** Endpoint namespaces that add a segment before the owner (fal_client APP_NAMESPACES). */
    private static final List<String> NAMESPACES = List.of("workflows", "comfy");

    /** The app a path's segments name, or null when there are too few: its owner and name, after a namespace. */
    static String appOf(List<String> segments) {
        int length = !segments.isEmpty() && NAMESPACES.contains(segments.get(0)) ? 3 : 2;
        return segments.size() < length ? null : String.join("/", segments.subList(0, length));
    }

    static List<String> segments(String path) {
        return Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    }

    static FalRequest of(SimulatedJob job) {
        JsonNode r = job.request;
        return new FalRequest(r.get("endpoint").asString(), r.get("app").asString(), r.get("input"),
                r.path("store_io").asBoolean(true));
    }

    JsonNode toJson() {
        ObjectNode node = Wire.JSON.createObjectNode();
        node.put("endpoint", endpointId);
        node.put("app", app);
        node.set("input", input);
        node.put("store_io", storeIo);
        return node;
    }

    String prompt() {
        JsonNode prompt = input.path("prompt");
        return prompt.isString() ? prompt.asString() : "";
    }

    /** The seconds asked for, however the model writes them ("8s", "5", 5); 0 when none. */
    int seconds() {
        String digits = input.path("duration").asString("").replaceAll("[^0-9]", "");
        Integer seconds = Wire.integer(digits.isEmpty() ? null : digits);
        return seconds == null ? 0 : seconds;
    }

    String imageUrl() {
        for (String field : List.of("image_url", "start_image_url")) {
            if (input.path(field).isString()) {
                return input.get(field).asString();
            }
        }
        return null;
    }
}
