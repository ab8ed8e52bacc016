package dev.sorabatch.provider.fal;

import java.nio.charset.StandardCharsets;

import dev.sorabatch.simulator.Faults;
import dev.sorabatch.simulator.LoopbackHttpServer;
import dev.sorabatch.simulator.SimulatorDialect.Fault;
import dev.sorabatch.simulator.Wire;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How the simulated fal answers, on every listener: the key as {@code Authorization: Key <key>}, JSON bodies with
 * {@code detail}, request errors flat ({@code {detail, error_type}} with {@code X-Fal-Error-Type} and
 * {@code X-Fal-Retryable}), and the ingress's own failures as nginx HTML pages, which carry no request id
 * (shared/providers-api.md §3.1, §3.7).
 */
final class FalReplies {

    private FalReplies() {
    }

    static String presentedKey(LoopbackHttpServer.Request request) {
        String authorization = request.header("Authorization");
        return authorization != null && authorization.startsWith("Key ") ? authorization.substring(4).strip() : null;
    }

    /** 401 {@code {"detail": …}}; the exact wording is not documented (UNCONFIRMED), the shape is. */
    static LoopbackHttpServer.Reply unauthorized(LoopbackHttpServer.Request request) {
        String detail = request.header("Authorization") == null ? "Missing authorization header"
                : "No user found for Key ID and Secret";
        return json(401, Wire.JSON.createObjectNode().put("detail", detail));
    }

    /** Injected faults: half the 5xx from the ingress (HTML), half from the platform (flat, typed). */
    static LoopbackHttpServer.Reply fault(Faults faults, Fault fault, Integer retryAfterSeconds) {
        LoopbackHttpServer.Reply reply = switch (fault) {
            case SERVER_ERROR -> nginx(502, "Bad Gateway");
            case UNAVAILABLE -> faults.chance(0.5) ? nginx(503, "Service Temporarily Unavailable")
                    : requestError(503, "No runner could be allocated to handle the request.",
                            "runner_scheduling_failure", true);
            case THROTTLED, QUOTA -> json(429, Wire.JSON.createObjectNode()
                    .put("detail", "Too many requests: the concurrent request limit was exceeded."));
            case GATEWAY_TIMEOUT -> nginx(504, "Gateway Time-out");
        };
        if (retryAfterSeconds != null) {
            reply.header("Retry-After", Integer.toString(retryAfterSeconds));
        }
        return reply;
    }

    /** A request (infrastructure) error: flat body, its type in a header too. */
    static LoopbackHttpServer.Reply requestError(int status, String detail, String errorType, boolean retryable) {
        ObjectNode body = Wire.JSON.createObjectNode().put("detail", detail).put("error_type", errorType);
        return json(status, body).header("X-Fal-Error-Type", errorType)
                .header("X-Fal-Retryable", Boolean.toString(retryable));
    }

    /** A model error: {@code {"detail": [ … ]}}, 422 for validation and content policy, never retryable. */
    static LoopbackHttpServer.Reply modelError(int status, ArrayNode detail) {
        ObjectNode body = Wire.JSON.createObjectNode();
        body.set("detail", detail);
        return json(status, body).header("X-Fal-Retryable", "false");
    }

    static LoopbackHttpServer.Reply detail(int status, String detail) {
        return json(status, Wire.JSON.createObjectNode().put("detail", detail));
    }

    static LoopbackHttpServer.Reply json(int status, JsonNode body) {
        LoopbackHttpServer.Reply reply = new LoopbackHttpServer.Reply();
        reply.status = status;
        reply.body = Wire.JSON.writeValueAsBytes(body);
        return reply.header("Content-Type", "application/json");
    }

    /** The page nginx-ingress serves when the queue behind it does not answer. */
    static LoopbackHttpServer.Reply nginx(int status, String reason) {
        LoopbackHttpServer.Reply reply = new LoopbackHttpServer.Reply();
        reply.status = status;
        reply.body = ("<html>\r\n<head><title>" + status + " " + reason + "</title></head>\r\n<body>\r\n<center><h1>"
                + status + " " + reason + "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
                .getBytes(StandardCharsets.UTF_8);
        return reply.header("Content-Type", "text/html");
    }
}
