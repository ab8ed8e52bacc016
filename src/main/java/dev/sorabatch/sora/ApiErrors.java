package dev.sorabatch.sora;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;

import okhttp3.Response;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Turns an HTTP error answer into a {@link SoraApiException}: parses both error envelopes the Azure service uses
 * ({@code {"error":{...}}} and the top-level {@code {code, message, inner_error}} of the video spec), reads the
 * retry hints, and decides whether the fault is transient, the row's, or the whole run's.
 */
public final class ApiErrors {

    /** Codes that mean the content was refused by a safety system: deterministic, never retried. */
    public static final Set<String> MODERATION_CODES = Set.of("content_filter", "contentfilter", "content_policy_violation",
            "responsibleaipolicyviolation", "moderation_blocked", "input_moderation", "output_moderation", "sentinel_block");

    private static final int EXCERPT = 300;

    private ApiErrors() {
    }

    public static SoraApiException fromResponse(Operation operation, Response response, String body, ObjectMapper json) {
        int status = response.code();
        String code = null;
        String message = null;
        String inner = null;
        JsonNode root = Json.parseOrNull(json, body);
        if (root != null && root.isObject()) {
            JsonNode error = root.path("error");
            JsonNode envelope = error.isObject() ? error : root;
            code = Json.text(envelope, "code");
            message = Json.text(envelope, "message");
            JsonNode innerError = envelope.path("inner_error");
            if (innerError.isMissingNode()) {
                innerError = envelope.path("innererror");
            }
            inner = Json.text(innerError, "code");
            if (code == null) {
                code = Json.text(envelope, "type");
            }
        }
        String requestId = requestId(response);
        String excerpt = excerpt(body);
        if (message == null && excerpt != null && root == null) {
            message = excerpt;
        }
        return new SoraApiException(classify(operation, status, code, inner), operation.label(), status, code, message,
                inner, requestId, excerpt, retryAfter(response), null);
    }

    static ErrorKind classify(Operation operation, int status, String code, String inner) {
        if (isModeration(code) || isModeration(inner)) {
            return ErrorKind.ROW;
        }
        if (status == 401 || status == 403) {
            return operation == Operation.FETCH_IMAGE ? ErrorKind.ROW : ErrorKind.SYSTEMIC;
        }
        if (status == 404) {
            return operation.addressesTheService() ? ErrorKind.SYSTEMIC : ErrorKind.ROW;
        }
        if (status == 408 || status == 409 || status == 425 || status == 429 || status >= 500) {
            return ErrorKind.TRANSIENT;
        }
        return ErrorKind.ROW;
    }

    public static boolean isModeration(String code) {
        return code != null && MODERATION_CODES.contains(code.toLowerCase(Locale.ROOT));
    }

    public static String requestId(Response response) {
        String id = response.header("apim-request-id");
        if (id == null) {
            id = response.header("x-request-id");
        }
        return id;
    }

    /** {@code retry-after-ms} (milliseconds), else {@code Retry-After} (seconds or an HTTP date). */
    public static Duration retryAfter(Response response) {
        Duration ms = millisHeader(response, "retry-after-ms");
        if (ms != null) {
            return ms;
        }
        String ra = response.header("Retry-After");
        if (ra == null) {
            return null;
        }
        try {
            return Duration.ofMillis(Math.max(0, (long) (Double.parseDouble(ra.trim()) * 1000)));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime when = ZonedDateTime.parse(ra.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(when.getZone()), when);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException notADate) {
                return null;
            }
        }
    }

    /** When the service suggests polling again: {@code openai-poll-after-ms}, else a retry hint; null if none. */
    public static Duration pollHint(Response response) {
        Duration ms = millisHeader(response, "openai-poll-after-ms");
        return ms != null ? ms : retryAfter(response);
    }

    private static Duration millisHeader(Response response, String name) {
        String value = response.header(name);
        if (value == null) {
            return null;
        }
        try {
            return Duration.ofMillis(Math.max(0, (long) Double.parseDouble(value.trim())));
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }

    public static String excerpt(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        String flat = body.replaceAll("\\s+", " ").trim();
        return flat.length() <= EXCERPT ? flat : flat.substring(0, EXCERPT) + "…";
    }
}
