package dev.sorabatch.provider.gemini;

import java.util.List;
import java.util.Set;

import dev.sorabatch.http.ApiErrors;
import dev.sorabatch.http.CredentialScope;
import dev.sorabatch.http.ErrorReader;
import dev.sorabatch.http.Json;
import dev.sorabatch.provider.google.GoogleStatus;
import dev.sorabatch.service.ErrorKind;
import dev.sorabatch.service.Operation;
import dev.sorabatch.service.ServiceException;
import okhttp3.HttpUrl;
import okhttp3.Response;
import tools.jackson.databind.ObjectMapper;

/**
 * The Gemini API's answers in Google's error envelope (shared/providers-api.md §1.7). The code is the canonical
 * {@code status}; the inner code is the {@code ErrorInfo.reason} ({@code API_KEY_INVALID}), else the field a 400 names
 * ({@code BadRequest}, or a parameter its message names). A bad key is a 400, not a 401: its reason stops the run,
 * as do a blocked or missing key (403), a project the API will not serve ({@code FAILED_PRECONDITION}: billing,
 * region) and a model that is gone (404 on create). A 429 waits as {@code RetryInfo.retryDelay} says. The video's
 * storage host (the download's redirect) refusing a signed URL is transient (the next round is redirected afresh);
 * a file gone is the row's.
 */
final class GeminiErrors implements ErrorReader {

    static final String API_KEY_INVALID = "API_KEY_INVALID";
    /** Reasons that say the key itself is wrong, whatever the status. */
    static final Set<String> KEY_REASONS = Set.of(API_KEY_INVALID, "API_KEY_SERVICE_BLOCKED", "API_KEY_EXPIRED");
    static final String FAILED_PRECONDITION = "FAILED_PRECONDITION";
    /** The parameters a 400's message may name, as sent. */
    static final List<String> PARAMETERS = List.of("durationSeconds", "aspectRatio", "resolution", "sampleCount",
            "negativePrompt", "personGeneration", "enhancePrompt", "generateAudio", "seed", "bytesBase64Encoded",
            "mimeType", "image", "prompt");

    private final ObjectMapper json;
    private final HttpUrl base;

    /** @param base the API's root: an answer from any other origin is the storage host's */
    GeminiErrors(ObjectMapper json, HttpUrl base) {
        this.json = json;
        this.base = base;
    }

    @Override
    public ServiceException read(Operation operation, Response response, String body) {
        GoogleStatus google = GoogleStatus.of(Json.parseOrNull(json, body));
        String reason = google.reason();
        boolean keyRefused = reason != null && KEY_REASONS.contains(reason);
        boolean badRequest = response.code() == 400 && !keyRefused;
        boolean storage = !CredentialScope.sameOrigin(base, response.request().url());
        return google.exception(kind(operation, response.code(), google, storage), operation, response, body,
                badRequest ? google.namedField(PARAMETERS) : reason);
    }

    private static ErrorKind kind(Operation operation, int status, GoogleStatus google, boolean storage) {
        if (google.reason() != null && KEY_REASONS.contains(google.reason())) {
            return ErrorKind.SYSTEMIC; // every call with this key is refused
        }
        boolean download = operation == Operation.DOWNLOAD_VIDEO;
        if (download && (status == 404 || status == 410)) {
            return ErrorKind.ROW; // the file is gone (kept 2 days): this row's
        }
        if (download && storage && (status == 401 || status == 403)) {
            return ErrorKind.TRANSIENT; // a signed storage URL that expired: the API redirects anew
        }
        if (status == 400 && FAILED_PRECONDITION.equals(google.status())) {
            return ErrorKind.SYSTEMIC; // billing or region: no row of this project would be served
        }
        if (status == 404 && operation == Operation.CREATE) {
            return ErrorKind.SYSTEMIC; // the model is not served (or retired) here
        }
        return ApiErrors.classify(operation, status);
    }
}
