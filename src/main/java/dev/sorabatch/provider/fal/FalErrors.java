package dev.sorabatch.provider.fal;

import java.util.ArrayList;
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
 * fal's error answers (shared/providers-api.md §3.7). A model's {@code {"detail": [{loc, msg, type, …}]}}: the
 * code is the first error's {@code type} and the inner code its field ({@code loc} after {@code body});
 * {@code content_policy_violation} (with {@code categories}) is the row's, never retried. A request's flat
 * {@code {"detail": "…", "error_type": "…"}} (or {@code X-Fal-Error-Type}) follows {@code X-Fal-Retryable}. The
 * ingress's HTML pages (502/503/504) are transient; 401/403 stop the run; 429 waits as {@code Retry-After} says;
 * a 504 whose {@code X-Fal-Request-Timeout-Type} is {@code user} hit the request's own time-out and is not retried.
 */
final class FalErrors implements ErrorReader {

    static final String CONTENT_POLICY = "content_policy_violation";
    /** The error code of a call refused here: a URL fal answered on a host that is not the queue's. */
    static final String FOREIGN_HOST = "foreign_host";

    private static final Pattern TITLE = Pattern.compile("(?is)<title>\\s*(.*?)\\s*</title>");

    private final ObjectMapper json;

    FalErrors(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public ServiceException read(Operation operation, Response response, String body) {
        int status = response.code();
        JsonNode root = Json.parseOrNull(json, body);
        JsonNode detail = root != null && root.isObject() ? root.get("detail") : null;
        String code = null;
        String inner = null;
        String message = null;
        boolean policy = false;
        if (detail != null && detail.isArray()) {
            List<String> said = new ArrayList<>();
            for (JsonNode error : detail) {
                String field = field(error.path("loc"));
                String type = Json.text(error, "type");
                boolean flagged = CONTENT_POLICY.equals(type);
                if (code == null || flagged && !policy) {
                    code = type;
                    inner = flagged ? categories(error) : field;
                }
                policy |= flagged;
                String msg = Json.text(error, "msg");
                said.add(field == null ? String.valueOf(msg) : field + ": " + msg);
            }
            message = said.isEmpty() ? null : String.join("; ", said);
            code = code == null ? "validation_error" : code;
        } else if (detail != null) {
            message = detail.isValueNode() ? detail.asString() : detail.toString();
            code = Json.text(root, "error_type");
        }
        if (code == null) {
            code = response.header("X-Fal-Error-Type");
        }
        if (message == null) {
            message = root == null ? htmlTitle(body) : null;
        }
        return new ServiceException(kind(operation, response, policy), operation.label(), status, code, message,
                inner, ApiErrors.requestId(response), ApiErrors.excerpt(body), ApiErrors.retryAfter(response), null);
    }

    /** Whether {@code e} is the model's own error (a {@code detail} body), which a result fetch replays. */
    static boolean isModelError(ServiceException e) {
        int status = e.httpStatus();
        return e.errorCode() != null && status != 401 && status != 403 && status != 404 && status != 429;
    }

    private static ErrorKind kind(Operation operation, Response response, boolean policy) {
        int status = response.code();
        if (operation == Operation.DOWNLOAD_VIDEO && status >= 400 && status < 500 && status != 408
                && status != 429) {
            return ErrorKind.ROW; // a CDN file refused or gone: this row's, not the key's
        }
        if (status == 401 || status == 403) {
            return ErrorKind.SYSTEMIC;
        }
        if (policy) {
            return ErrorKind.ROW;
        }
        if (status == 504 && "user".equalsIgnoreCase(response.header("X-Fal-Request-Timeout-Type"))) {
            return ErrorKind.ROW;
        }
        if (status == 429) {
            return ErrorKind.TRANSIENT;
        }
        String retryable = response.header("X-Fal-Retryable");
        if (retryable == null) {
            retryable = response.header("X-Fal-Needs-Retry");
        }
        if (retryable != null) {
            String flag = retryable.strip().toLowerCase(Locale.ROOT);
            return flag.equals("true") || flag.equals("1") ? ErrorKind.TRANSIENT : ErrorKind.ROW;
        }
        return ApiErrors.classify(operation, status);
    }

    /** {@code ["body", "duration"]} → {@code duration}; null when it names the body alone. */
    private static String field(JsonNode loc) {
        List<String> parts = new ArrayList<>();
        for (JsonNode part : loc) {
            parts.add(part.asString());
        }
        if (!parts.isEmpty() && parts.get(0).equals("body")) {
            parts.remove(0);
        }
        return parts.isEmpty() ? null : String.join(".", parts);
    }

    private static String categories(JsonNode error) {
        List<String> names = new ArrayList<>();
        error.path("categories").forEach(c -> names.add(c.asString()));
        return names.isEmpty() ? null : String.join(",", names);
    }

    /** An nginx page says what happened in its title ("502 Bad Gateway"). */
    private static String htmlTitle(String body) {
        if (body == null) {
            return null;
        }
        Matcher m = TITLE.matcher(body);
        return m.find() ? m.group(1) : null;
    }
}
