package dev.sorabatch.provider.openai;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.sorabatch.http.Json;
import dev.sorabatch.service.VideoJob;
import tools.jackson.databind.JsonNode;

/**
 * The Videos API's {@code VideoResource} as a {@link VideoJob}: the video is its own single generation (downloaded
 * by its id), {@code size} is {@code WxH} and {@code seconds} a string; a failure's reason is {@code error.code}.
 */
final class VideosJobs {

    /**
     * The Videos API has {@code queued, in_progress, completed, failed}; gateways fronting other models also answer
     * {@code succeeded}, {@code cancelled} or {@code error}. Anything else is taken as still going.
     */
    private static final Set<String> TERMINAL = Set.of("completed", "succeeded", "failed", "error",
            "cancelled", "canceled", "expired");
    private static final Set<String> SUCCESS = Set.of("completed", "succeeded");

    private VideosJobs() {
    }

    static VideoJob from(JsonNode node) {
        String id = Json.text(node, "id");
        String status = Json.text(node, "status");
        String lower = status == null ? "" : status.toLowerCase(Locale.ROOT);
        boolean success = SUCCESS.contains(lower);
        Integer width = null;
        Integer height = null;
        String size = Json.text(node, "size");
        if (size != null && size.matches("\\d+x\\d+")) {
            String[] wh = size.split("x");
            width = Integer.valueOf(wh[0]);
            height = Integer.valueOf(wh[1]);
        }
        JsonNode error = node.path("error");
        String code = error.isObject() ? Json.text(error, "code") : null;
        String message = error.isObject() ? Json.text(error, "message") : null;
        String reason = code != null ? code : message;
        if (code != null && message != null && !code.equals(message)) {
            reason = code + ": " + message;
        }
        return new VideoJob(id, status, Json.number(node, "created_at"), Json.number(node, "completed_at"),
                Json.number(node, "expires_at"), success && id != null ? List.of(id) : List.of(), reason,
                Json.text(node, "prompt"), Json.text(node, "model"), width, height,
                secondsOrNull(Json.text(node, "seconds")), 1, null, null, TERMINAL.contains(lower), success,
                progress(node));
    }

    /** A percentage; some gateways send a fraction of 1 instead. */
    private static Integer progress(JsonNode node) {
        JsonNode value = node.get("progress");
        if (value == null || !value.isNumber()) {
            return null;
        }
        double p = value.doubleValue();
        return (int) Math.round(value.isIntegralNumber() || p > 1 ? p : p * 100);
    }

    private static Integer secondsOrNull(String seconds) {
        try {
            return seconds == null ? null : Integer.valueOf(seconds.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
