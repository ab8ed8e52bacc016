package dev.sorabatch.provider.google;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.sorabatch.http.ApiErrors;
import dev.sorabatch.service.ErrorKind;
import dev.sorabatch.service.Operation;
import dev.sorabatch.service.ServiceException;
import okhttp3.Response;
import tools.jackson.databind.JsonNode;

/**
 * Google's error envelope, shared by every Google API sora-batch speaks (Vertex AI, the Gemini API):
 * {@code {"error": google.rpc.Status}} with the HTTP {@code code}, the {@code message}, the canonical {@code status}
 * ({@code INVALID_ARGUMENT}, {@code RESOURCE_EXHAUSTED}, …) and {@code details}, of which three matter here:
 * {@code ErrorInfo.reason} ({@code API_KEY_INVALID}, {@code SERVICE_DISABLED}), the first
 * {@code BadRequest.fieldViolations[].field}, and {@code RetryInfo.retryDelay} ({@code "41s"}) (shared/providers-api.md
 * §1.7, §2.7). Each API reads what it means itself.
 *
 * @param reason the first {@code ErrorInfo.reason}, or null
 * @param field the first field a {@code BadRequest} names, or null
 * @param retryDelay what {@code RetryInfo} asks to wait, or null
 */
public record GoogleStatus(String message, String status, String reason, String field, Duration retryDelay) {

    private static final Pattern DELAY = Pattern.compile("(\\d+(?:\\.\\d+)?)s");
    /** The canonical gRPC code names a done operation's numeric {@code error.code} stands for. */
    private static final Map<Integer, String> CODE_NAMES = Map.ofEntries(Map.entry(1, "CANCELLED"),
            Map.entry(2, "UNKNOWN"), Map.entry(3, "INVALID_ARGUMENT"), Map.entry(4, "DEADLINE_EXCEEDED"),
            Map.entry(5, "NOT_FOUND"), Map.entry(7, "PERMISSION_DENIED"), Map.entry(8, "RESOURCE_EXHAUSTED"),
            Map.entry(9, "FAILED_PRECONDITION"), Map.entry(10, "ABORTED"), Map.entry(13, "INTERNAL"),
            Map.entry(14, "UNAVAILABLE"), Map.entry(16, "UNAUTHENTICATED"));

    /** The envelope of an answer's parsed body; every part null when the body is not one. */
    public static GoogleStatus of(JsonNode root) {
        JsonNode error = root == null || !root.isObject() ? null : root.get("error");
        if (error == null || !error.isObject()) {
            return new GoogleStatus(null, null, null, null, null);
        }
        String reason = null;
        String field = null;
        Duration delay = null;
        for (JsonNode detail : error.path("details")) {
            String type = detail.path("@type").asString("");
            if (type.endsWith("google.rpc.RetryInfo") && delay == null) {
                delay = delay(detail.path("retryDelay").asString(null));
            } else if (type.endsWith("google.rpc.BadRequest") && field == null) {
                field = detail.path("fieldViolations").path(0).path("field").asString(null);
            } else if (type.endsWith("google.rpc.ErrorInfo") && reason == null) {
                reason = detail.path("reason").asString(null);
            }
        }
        return new GoogleStatus(error.path("message").asString(null), error.path("status").asString(null), reason,
                field, delay);
    }

    /** The field a 400 names: its {@code BadRequest} field, else the first of {@code parameters} its message names. */
    public String namedField(List<String> parameters) {
        if (field != null || message == null) {
            return field;
        }
        return parameters.stream().filter(message::contains).findFirst().orElse(null);
    }

    /**
     * The answer as an exception: Google's {@code status} is its code, {@code inner} what the API makes of the details;
     * the wait is the longer of {@code RetryInfo}'s and a {@code Retry-After} header's.
     */
    public ServiceException exception(ErrorKind kind, Operation operation, Response response, String body,
            String inner) {
        return new ServiceException(kind, operation.label(), response.code(), status, message, inner,
                ApiErrors.requestId(response), ApiErrors.excerpt(body), longerWait(ApiErrors.retryAfter(response)),
                null);
    }

    /** The longer of the two waits asked for: {@code RetryInfo}'s and a {@code Retry-After} header's (either null). */
    public Duration longerWait(Duration retryAfterHeader) {
        if (retryDelay == null) {
            return retryAfterHeader;
        }
        return retryAfterHeader == null || retryDelay.compareTo(retryAfterHeader) > 0 ? retryDelay : retryAfterHeader;
    }

    /** {@code "41s"}, {@code "1.5s"} → a duration; null when unreadable. */
    public static Duration delay(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = DELAY.matcher(text.strip().toLowerCase(Locale.ROOT));
        return m.matches() ? Duration.ofMillis((long) (Double.parseDouble(m.group(1)) * 1000)) : null;
    }

    /** {@code 13} → {@code INTERNAL}; null for a code Google does not name. */
    public static String codeName(Integer code) {
        return code == null ? null : CODE_NAMES.get(code);
    }
}
