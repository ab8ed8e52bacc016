package dev.sorabatch.provider.vertex;

import java.util.List;

import dev.sorabatch.http.ApiErrors;
import dev.sorabatch.http.ErrorReader;
import dev.sorabatch.http.Json;
import dev.sorabatch.provider.google.GoogleStatus;
import dev.sorabatch.service.ErrorKind;
import dev.sorabatch.service.Operation;
import dev.sorabatch.service.ServiceException;
import okhttp3.Response;
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

    private final ObjectMapper json;

    VertexErrors(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public ServiceException read(Operation operation, Response response, String body) {
        int status = response.code();
        GoogleStatus google = GoogleStatus.of(Json.parseOrNull(json, body));
        String inner = status != 400 && google.reason() != null ? google.reason()
                : status == 400 ? google.namedField(PARAMETERS) : google.field();
        return google.exception(kind(operation, status), operation, response, body, inner);
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
}
