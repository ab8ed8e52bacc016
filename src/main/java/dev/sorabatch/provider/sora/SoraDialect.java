package dev.sorabatch.provider.sora;

import java.util.UUID;

import dev.sorabatch.simulator.LoopbackHttpServer;
import dev.sorabatch.simulator.Simulator;
import dev.sorabatch.simulator.SimulatorDialect;
import dev.sorabatch.simulator.Wire;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the simulated Sora pair (the Azure jobs API and the Videos API) have in common: the key in {@code api-key}
 * or as a bearer token, an {@code apim-request-id} on every answer, Azure's two error envelopes, and the platform's
 * faults, which both APIs get from the same gateway; only the quota's 429 each words its own way.
 */
public abstract class SoraDialect implements SimulatorDialect {

    protected final Simulator simulator;

    protected SoraDialect(Simulator simulator) {
        this.simulator = simulator;
    }

    /** The 429 of {@code sora.simulator.requests-per-minute}, in this API's words. */
    protected abstract LoopbackHttpServer.Reply quotaExceeded(int retryAfterSeconds);

    @Override
    public String presentedKey(LoopbackHttpServer.Request request) {
        String key = request.header("api-key");
        if (key == null) {
            String authorization = request.header("Authorization");
            if (authorization != null && authorization.startsWith("Bearer ")) {
                key = authorization.substring("Bearer ".length());
            }
        }
        return key;
    }

    /** A fault from the gateway in front of both APIs. */
    @Override
    public LoopbackHttpServer.Reply fault(Fault fault, Integer retryAfterSeconds) {
        return switch (fault) {
            case SERVER_ERROR -> error(500, true, "InternalServerError", "The server had an error while processing "
                    + "your request. Sorry about that!", null, null);
            case UNAVAILABLE -> error(503, true, "ServiceUnavailable", "The service is temporarily unable to process "
                    + "your request. Please try again later.", null, retryAfterSeconds);
            case THROTTLED -> error(429, true, "429", "Rate limit is exceeded. Try again in 1 seconds.", null,
                    retryAfterSeconds);
            case GATEWAY_TIMEOUT -> error(504, true, "GatewayTimeout", "The gateway did not receive a timely "
                    + "response from the upstream server.", null, null);
            case QUOTA -> quotaExceeded(retryAfterSeconds);
        };
    }

    /**
     * An error in one of the two envelopes the service uses: the general Azure {@code {"error":{...}}} or the
     * video spec's top-level {@code {code, message, param, type}}.
     */
    protected LoopbackHttpServer.Reply error(int status, boolean platformError, String code, String message,
            String param, Integer retryAfterSeconds) {
        boolean wrapped = switch (simulator.settings().getErrorEnvelope()) {
            case "wrapped" -> true;
            case "top-level" -> false;
            case "random" -> simulator.faults().chance(0.5);
            default -> platformError;
        };
        ObjectNode fields = Wire.JSON.createObjectNode();
        fields.put("code", code);
        fields.put("message", message);
        fields.put("param", param);
        fields.put("type", status == 429 ? "rate_limit_error" : status >= 500 ? "server_error" : "invalid_request_error");
        ObjectNode body = fields;
        if (wrapped) {
            body = Wire.JSON.createObjectNode();
            body.set("error", fields);
        }
        LoopbackHttpServer.Reply reply = json(status, body);
        if (retryAfterSeconds != null) {
            reply.header("Retry-After", Integer.toString(retryAfterSeconds));
            reply.header("retry-after-ms", Integer.toString(retryAfterSeconds * 1000));
        }
        return reply;
    }

    protected LoopbackHttpServer.Reply json(int status, JsonNode body) {
        LoopbackHttpServer.Reply reply = new LoopbackHttpServer.Reply();
        reply.status = status;
        reply.body = Wire.JSON.writeValueAsBytes(body);
        return reply.header("Content-Type", "application/json").header("apim-request-id", UUID.randomUUID().toString());
    }

    /** A download, with the request id every answer of the pair carries. */
    protected LoopbackHttpServer.Reply file(byte[] body, String contentType) {
        return simulator.file(body, contentType).header("apim-request-id", UUID.randomUUID().toString());
    }
}
