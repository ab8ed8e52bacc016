package dev.sorabatch.provider.gemini;

import dev.sorabatch.simulator.LoopbackHttpServer;
import dev.sorabatch.simulator.SimulatorDialect.Fault;
import dev.sorabatch.simulator.Wire;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How the simulated Gemini API answers in Google's error envelope (shared/providers-api.md §1.7):
 * {@code {"error": {code, message, status, details}}}. The bad-key answer is the 400 the public captures show, byte for
 * byte; a quota answer carries {@code QuotaFailure}, {@code Help} and {@code RetryInfo} as Google's do; the other
 * wordings are modelled on Google's usual ones (their exact text is not documented).
 */
final class GeminiReplies {

    static final String TYPE = "type.googleapis.com/google.rpc.";
    /** The bad-key answer as captured from the service (providers-api.md §1.7). */
    static final String API_KEY_INVALID = "{\"error\":{\"code\":400,\"message\":\"API key not valid. Please pass a "
            + "valid API key.\",\"status\":\"INVALID_ARGUMENT\",\"details\":[{\"@type\":\"type.googleapis.com/google"
            + ".rpc.ErrorInfo\",\"reason\":\"API_KEY_INVALID\",\"domain\":\"googleapis.com\",\"metadata\":{\"service\":"
            + "\"generativelanguage.googleapis.com\"}},{\"@type\":\"type.googleapis.com/google.rpc.LocalizedMessage\","
            + "\"locale\":\"en-US\",\"message\":\"API key not valid. Please pass a valid API key.\"}]}}";

    private GeminiReplies() {
    }

    /** A wrong key: 400 {@code API_KEY_INVALID}; none at all: 403 for an unregistered caller. */
    static LoopbackHttpServer.Reply unauthorized(LoopbackHttpServer.Request request) {
        if (GeminiApiDialect.keyOf(request) == null) {
            return error(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers (callers without "
                    + "established identity). Please use API Key or other form of API consumer identity to call this "
                    + "API.");
        }
        LoopbackHttpServer.Reply reply = new LoopbackHttpServer.Reply();
        reply.status = 400;
        reply.body = API_KEY_INVALID.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return reply.header("Content-Type", "application/json; charset=UTF-8");
    }

    /** Injected faults in Google's words; a 429 says how long to wait in {@code RetryInfo}, never in a header. */
    static LoopbackHttpServer.Reply fault(Fault fault, Integer retryAfterSeconds) {
        return switch (fault) {
            case SERVER_ERROR -> error(500, "INTERNAL", "An internal error has occurred. Please retry or report in "
                    + "https://developers.generativeai.google/guide/troubleshooting");
            case UNAVAILABLE -> error(503, "UNAVAILABLE", "The model is overloaded. Please try again later.");
            case THROTTLED, QUOTA -> quota(retryAfterSeconds);
            case GATEWAY_TIMEOUT -> error(504, "DEADLINE_EXCEEDED", "Deadline expired before operation could "
                    + "complete.");
        };
    }

    /** 429 {@code RESOURCE_EXHAUSTED}: the project's Veo requests per minute. */
    static LoopbackHttpServer.Reply quota(Integer retryAfterSeconds) {
        ObjectNode body = envelope(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota, please check your "
                + "plan and billing details. For more information on this error, head to: "
                + "https://ai.google.dev/gemini-api/docs/rate-limits.");
        ArrayNode details = ((ObjectNode) body.get("error")).putArray("details");
        details.addObject().put("@type", TYPE + "QuotaFailure").putArray("violations").addObject()
                .put("quotaMetric", "generativelanguage.googleapis.com/predict_long_running_requests")
                .put("quotaId", "PredictLongRunningRequestsPerMinutePerProjectPerModel");
        details.addObject().put("@type", TYPE + "Help").putArray("links").addObject()
                .put("description", "Learn more about Gemini API quotas")
                .put("url", "https://ai.google.dev/gemini-api/docs/rate-limits");
        if (retryAfterSeconds != null) {
            details.addObject().put("@type", TYPE + "RetryInfo").put("retryDelay", retryAfterSeconds + "s");
        }
        return json(429, body);
    }

    static LoopbackHttpServer.Reply error(int code, String status, String message) {
        return json(code, envelope(code, status, message));
    }

    /** 400 {@code INVALID_ARGUMENT} whose {@code BadRequest} names the field, as Google's validation does. */
    static LoopbackHttpServer.Reply invalid(String field, String message) {
        ObjectNode body = envelope(400, "INVALID_ARGUMENT", message);
        ((ObjectNode) body.get("error")).putArray("details").addObject().put("@type", TYPE + "BadRequest")
                .putArray("fieldViolations").addObject().put("field", field).put("description", message);
        return json(400, body);
    }

    static ObjectNode envelope(int code, String status, String message) {
        ObjectNode body = Wire.JSON.createObjectNode();
        body.putObject("error").put("code", code).put("message", message).put("status", status);
        return body;
    }

    static LoopbackHttpServer.Reply json(int status, JsonNode body) {
        LoopbackHttpServer.Reply reply = new LoopbackHttpServer.Reply();
        reply.status = status;
        reply.body = Wire.JSON.writeValueAsBytes(body);
        return reply.header("Content-Type", "application/json; charset=UTF-8");
    }
}
