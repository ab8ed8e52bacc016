package dev.sorabatch.provider.sora;

import java.util.Locale;
import java.util.Set;

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
 * The Sora services' error answers: both envelopes Azure uses ({@code {"error":{...}}} and the top-level
 * {@code {code, message, inner_error}} of the video spec), which the Videos API shares, and their moderation codes.
 */
public final class SoraErrors implements ErrorReader {

    /** Codes that mean the content was refused by a safety system: deterministic, never retried. */
    public static final Set<String> MODERATION_CODES = Set.of("content_filter", "contentfilter",
            "content_policy_violation", "responsibleaipolicyviolation", "moderation_blocked", "input_moderation",
            "output_moderation", "sentinel_block");

    private final ObjectMapper json;

    public SoraErrors(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public ServiceException read(Operation operation, Response response, String body) {
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
        String excerpt = ApiErrors.excerpt(body);
        if (message == null && excerpt != null && root == null) {
            message = excerpt;
        }
        ErrorKind kind = isModeration(code) || isModeration(inner) ? ErrorKind.ROW
                : ApiErrors.classify(operation, status);
        return new ServiceException(kind, operation.label(), status, code, message, inner,
                ApiErrors.requestId(response), excerpt, ApiErrors.retryAfter(response), null);
    }

    public static boolean isModeration(String code) {
        return code != null && MODERATION_CODES.contains(code.toLowerCase(Locale.ROOT));
    }
}
