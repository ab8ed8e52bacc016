package dev.sorabatch.provider.vertex;

import java.nio.charset.StandardCharsets;

import dev.sorabatch.simulator.LoopbackHttpServer;
import dev.sorabatch.simulator.SimulatorDialect.Fault;
import dev.sorabatch.simulator.Wire;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How the simulated Google answers, in its words (shared/providers-api.md §2.7): the {@code google.rpc.Status}
 * envelope {@code {"error": {code, message, status, details}}} of the Vertex API, with {@code ErrorInfo},
 * {@code BadRequest} and {@code RetryInfo} details, and Cloud Storage's JSON API envelope
 * ({@code {"error": {code, message, errors: [{reason, …}]}}}).
 */
final class VertexReplies {

    static final String TYPES = "type.googleapis.com/google.rpc.";
    static final String SERVICE = "aiplatform.googleapis.com";
    private static final String AUTH_HELP = " Expected OAuth 2 access token, login cookie or other valid authentication"
            + " credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.";

    private VertexReplies() {
    }

    static LoopbackHttpServer.Reply json(int status, JsonNode body) {
        LoopbackHttpServer.Reply reply = new LoopbackHttpServer.Reply();
        reply.status = status;
        reply.body = Wire.JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        return reply.header("Content-Type", "application/json; charset=UTF-8");
    }

    /** The Vertex API's error: HTTP code, gRPC status name, message, and details (null: none). */
    static LoopbackHttpServer.Reply error(int code, String status, String message, ArrayNode details) {
        ObjectNode body = Wire.JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code).put("message", message).put("status", status);
        if (details != null && !details.isEmpty()) {
            error.set("details", details);
        }
        return json(code, body);
    }

    /** {@code google.rpc.ErrorInfo} naming the reason, on the Vertex API's service. */
    static ArrayNode errorInfo(String reason, String method) {
        ArrayNode details = Wire.JSON.createArrayNode();
        ObjectNode info = details.addObject().put("@type", TYPES + "ErrorInfo").put("reason", reason)
                .put("domain", "googleapis.com");
        info.putObject("metadata").put("service", SERVICE).put("method", method);
        return details;
    }

    /** 400 INVALID_ARGUMENT naming the field, as {@code google.rpc.BadRequest} does. */
    static LoopbackHttpServer.Reply invalid(String field, String message) {
        ArrayNode details = Wire.JSON.createArrayNode();
        details.addObject().put("@type", TYPES + "BadRequest").putArray("fieldViolations").addObject()
                .put("field", field).put("description", message);
        return error(400, "INVALID_ARGUMENT", message, details);
    }

    /** 401 for a missing, unknown or expired bearer token; 403 for a token without the cloud-platform scope. */
    static LoopbackHttpServer.Reply unauthenticated(VertexTokenEndpoint.Check check, String method) {
        if (check == VertexTokenEndpoint.Check.NO_SCOPE) {
            return error(403, "PERMISSION_DENIED", "Request had insufficient authentication scopes.",
                    errorInfo("ACCESS_TOKEN_SCOPE_INSUFFICIENT", method));
        }
        boolean missing = check == VertexTokenEndpoint.Check.MISSING;
        String message = (missing ? "Request is missing required authentication credential."
                : "Request had invalid authentication credentials.") + AUTH_HELP;
        String reason = missing ? "CREDENTIALS_MISSING"
                : check == VertexTokenEndpoint.Check.EXPIRED ? "ACCESS_TOKEN_EXPIRED" : "ACCESS_TOKEN_TYPE_UNSUPPORTED";
        return error(401, "UNAUTHENTICATED", message, errorInfo(reason, method))
                .header("WWW-Authenticate", "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"");
    }

    /** The faults every call may meet, worded as the Vertex API words them; a 429 carries RetryInfo when it waits. */
    static LoopbackHttpServer.Reply fault(Fault fault, Integer retryAfterSeconds, String model) {
        return switch (fault) {
            case SERVER_ERROR -> error(500, "INTERNAL", "Internal error encountered.", null);
            case UNAVAILABLE -> error(503, "UNAVAILABLE", "The service is currently unavailable.", null);
            case GATEWAY_TIMEOUT -> error(504, "DEADLINE_EXCEEDED", "Deadline expired before operation could complete.",
                    null);
            case THROTTLED, QUOTA -> {
                ArrayNode details = errorInfo("RATE_LIMIT_EXCEEDED", "google.cloud.aiplatform.v1.PredictionService");
                if (retryAfterSeconds != null) {
                    details.addObject().put("@type", TYPES + "RetryInfo").put("retryDelay", retryAfterSeconds + "s");
                }
                yield error(429, "RESOURCE_EXHAUSTED", "Quota exceeded for " + SERVICE + "/online_prediction_requests_"
                        + "per_base_model with base model: " + model + ". Please submit a quota increase request. "
                        + "https://cloud.google.com/vertex-ai/docs/generative-ai/quotas-genai.", details);
            }
        };
    }

    /** Cloud Storage's JSON API error. */
    static LoopbackHttpServer.Reply storageError(int code, String reason, String message) {
        ObjectNode body = Wire.JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code).put("message", message);
        ObjectNode item = error.putArray("errors").addObject().put("message", message).put("domain", "global")
                .put("reason", reason);
        if (code == 401) {
            item.put("locationType", "header").put("location", "Authorization");
        }
        return json(code, body);
    }

    static LoopbackHttpServer.Reply storageFault(Fault fault) {
        return switch (fault) {
            case SERVER_ERROR -> storageError(500, "backendError", "Backend Error");
            case UNAVAILABLE -> storageError(503, "backendError", "We encountered an internal error. Please try again.");
            case GATEWAY_TIMEOUT -> storageError(504, "backendError", "Gateway Timeout");
            case THROTTLED, QUOTA -> storageError(429, "rateLimitExceeded", "The project exceeded the rate limit for "
                    + "Cloud Storage requests.");
        };
    }
}
