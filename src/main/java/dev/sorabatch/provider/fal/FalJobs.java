package dev.sorabatch.provider.fal;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.sorabatch.http.Json;
import dev.sorabatch.service.ServiceException;
import dev.sorabatch.service.VideoJob;
import tools.jackson.databind.JsonNode;

/**
 * fal's answers as {@link VideoJob}s: the request id is the job id, the handle its URLs, the video's CDN URL its one
 * generation. A status is {@code IN_QUEUE} (with a 0-based {@code queue_position}), {@code IN_PROGRESS} or
 * {@code COMPLETED}; a failed request is also {@code COMPLETED}, with {@code error}/{@code error_type}.
 */
final class FalJobs {

    static final String COMPLETED = "COMPLETED";
    /** Not in the official SDKs, but third-party schemas list them: ended, without a video. */
    private static final Set<String> ENDED = Set.of("FAILED", "ERROR", "CANCELED", "CANCELLED");

    private FalJobs() {
    }

    /** A submit or status answer (still going, or failed); {@code COMPLETED} without error is not ended here. */
    static VideoJob of(String id, JsonNode answer, String handle, String model, String requestId, Duration hint) {
        String status = Json.text(answer, "status");
        String upper = status == null ? "" : status.toUpperCase(Locale.ROOT);
        String reason = failure(answer);
        boolean ended = ENDED.contains(upper) || upper.equals(COMPLETED) && reason != null;
        Long position = Json.number(answer, "queue_position");
        return job(id, status, List.of(), ended ? (reason != null ? reason : status) : null, model, requestId, hint,
                ended, false, handle, position == null ? null : position.intValue(), null, null, null);
    }

    /** {@code COMPLETED} with its result: {@code video.url} is the video to download. */
    static VideoJob done(String id, JsonNode result, String handle, String model, String requestId) {
        String url = Json.text(result.path("video"), "url");
        if (url == null) {
            return job(id, COMPLETED, List.of(), "the result has no video.url", model, requestId, null, true,
                    false, handle, null, null, null, null);
        }
        return job(id, COMPLETED, List.of(url), null, model, requestId, null, true, true, handle, null, null, null,
                null);
    }

    /** {@code COMPLETED}, but the result fetch replayed the model's error: a failed job, in fal's words. */
    static VideoJob failed(String id, ServiceException replay, String handle, String model) {
        String words = replay.errorMessage() != null ? replay.errorMessage() : replay.bodyExcerpt();
        String code = replay.errorCode();
        String categories = FalErrors.CONTENT_POLICY.equals(code) && replay.innerCode() != null
                ? " (categories: " + replay.innerCode() + ")" : "";
        String reason = (code == null ? "" : code + ": ") + (words == null ? "HTTP " + replay.httpStatus() : words)
                + categories;
        return job(id, COMPLETED, List.of(), reason, model, replay.requestId(), null, true, false, handle, null, null,
                null, null);
    }

    /**
     * An item of the request list ({@code GET /models/requests/by-endpoint}); {@code json_input} is there only when
     * payload storage was on.
     */
    static VideoJob listed(JsonNode item, String handle) {
        String sent = Json.text(item, "sent_at");
        String ended = Json.text(item, "ended_at");
        String status = ended != null ? COMPLETED : Json.text(item, "started_at") != null ? "IN_PROGRESS" : "IN_QUEUE";
        JsonNode input = item.get("json_input");
        boolean echoed = input != null && input.isObject();
        Long code = Json.number(item, "status_code");
        boolean success = ended != null && code != null && code >= 200 && code < 300;
        return job(Json.text(item, "request_id"), status, List.of(), null, Json.text(item, "endpoint_id"), null, null,
                ended != null, success, handle, null, epochSeconds(sent), epochSeconds(ended),
                echoed ? input.toString() : null);
    }

    private static VideoJob job(String id, String status, List<String> generations, String reason, String model,
            String requestId, Duration hint, boolean terminal, boolean success, String handle, Integer position,
            Long createdAt, Long finishedAt, String echoedInput) {
        return new VideoJob(id, status, createdAt, finishedAt, null, generations, reason, null, model, null, null,
                null, 1, requestId, hint, terminal, success, null, handle, position, echoedInput);
    }

    /** {@code error_type: error}, or either alone; null when the status names no failure. */
    private static String failure(JsonNode answer) {
        String error = Json.text(answer, "error");
        String type = Json.text(answer, "error_type");
        if (error == null && type == null) {
            return null;
        }
        return type == null ? error : error == null ? type : type + ": " + error;
    }

    static Long epochSeconds(String timestamp) {
        if (timestamp == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(timestamp).toEpochSecond();
        } catch (RuntimeException noOffset) {
            try {
                return java.time.LocalDateTime.parse(timestamp).toEpochSecond(java.time.ZoneOffset.UTC);
            } catch (RuntimeException notATimestamp) {
                return null;
            }
        }
    }
}
