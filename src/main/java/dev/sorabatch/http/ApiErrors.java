package dev.sorabatch.http;

import dev.sorabatch.service.ErrorKind;
import dev.sorabatch.service.Operation;
import dev.sorabatch.service.ServiceException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import okhttp3.Response;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * What every service's HTTP error answers share: the request id, the retry and poll hints, a body excerpt, and
 * whether a status is transient, the row's, or the whole run's. Each provider reads its own error body
 * ({@link ErrorReader}).
 */
public final class ApiErrors {

    private static final int EXCERPT = 300;

    private ApiErrors() {
    }

    /** What an error status means for the run, whichever service sent it. */
    public static ErrorKind classify(Operation operation, int status) {
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

    public static String requestId(Response response) {
        String id = response.header("apim-request-id");
        if (id == null) {
            id = response.header("x-request-id");
        }
        if (id == null) {
            id = response.header("x-fal-request-id");
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
