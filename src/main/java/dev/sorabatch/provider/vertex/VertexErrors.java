package dev.sorabatch.provider.vertex;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.sorabatch.http.ApiErrors;
import dev.sorabatch.http.ErrorReader;
import dev.sorabatch.http.Json;
import dev.sorabatch.service.ErrorKind;
import dev.sorabatch.service.Operation;
import dev.sorabatch.service.ServiceException;
import okhttp3.Response;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Google's error envelope {@code {"error": {code, message, status, details}}} (shared/providers-api.md §2.7). The
 * code is the {@code status} ({@code INVALID_ARGUMENT}, {@code PERMISSION_DENIED}, …); the inner code is the field a
 * 400 names ({@code BadRequest.fieldViolations}, else a parameter its message names) or the {@code ErrorInfo.reason}
 * of a 403. A 429 waits as {@code RetryInfo.retryDelay} says; 401 and 403 stop the run, as does a 404 on create
 * (the model is gone); a Cloud Storage object refused or gone is the row's.
 */
final class VertexErrors implements ErrorReader {

    /** The parameters a 400's message may name, as sent. */
    static final List<String> PARAMETERS = List.of("durationSeconds", "aspectRatio", "resolution", "sampleCount",
            "negativePrompt", "seed", "generateAudio", "personGeneration", "storageUri", "bytesBase64Encoded",
            "mimeType", "image", "prompt");
    private static final Pattern DELAY = Pattern.compile("(\\d+(?:\\.\\d+)?)s");

    private final ObjectMapper json;

    VertexErrors(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public ServiceException read(Operation operation, Response response, String body) {
        int status = response.code();
        JsonNode root = Json.parseOrNull(json, body);
        JsonNode error = root == null ? null : root.get("error");
        String code = error == null ? null : Json.text(error, "status");
        String message = error == null ? null : Json.text(error, "message");
        String inner = null;
        Duration retryDelay = null;
        if (error != null) {
            for (JsonNode detail : error.path("details")) {
                String type = String.valueOf(Json.text(detail, "@type"));
                if (type.endsWith("google.rpc.RetryInfo")) {
                    retryDelay = delay(Json.text(detail, "retryDelay"));
                } else if (type.endsWith("google.rpc.BadRequest") && inner == null) {
                    inner = Json.text(detail.path("fieldViolations").path(0), "field");
                } else if (type.endsWith("google.rpc.ErrorInfo") && status != 400) {
                    inner = Json.text(detail, "reason");
                }
            }
        }
        if (inner == null && status == 400 && message != null) {
            inner = PARAMETERS.stream().filter(message::contains).findFirst().orElse(null);
        }
        Duration retryAfter = ApiErrors.retryAfter(response);
        if (retryDelay != null && (retryAfter == null || retryDelay.compareTo(retryAfter) > 0)) {
            retryAfter = retryDelay;
        }
        return new ServiceException(kind(operation, status), operation.label(), status, code, message, inner,
                ApiErrors.requestId(response), ApiErrors.excerpt(body), retryAfter, null);
    }

    private static ErrorKind kind(Operation operation, int status) {
        if (operation == Operation.DOWNLOAD_VIDEO && (status == 404 || status == 410)) {
            return ErrorKind.ROW; // the object was deleted from the bucket (its lifecycle): this row's
        }
        if (status == 404 && operation == Operation.CREATE) {
            return ErrorKind.SYSTEMIC; // the model is not served here (or retired): every row would fail
        }
        return ApiErrors.classify(operation, status);
    }

    /** {@code "41s"}, {@code "1.5s"} → a duration; null when unreadable. */
    static Duration delay(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = DELAY.matcher(text.strip().toLowerCase(Locale.ROOT));
        return m.matches() ? Duration.ofMillis((long) (Double.parseDouble(m.group(1)) * 1000)) : null;
    }
}
