package dev.sorabatch.sora;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import tools.jackson.databind.JsonNode;

/**
 * A video generation job as the service describes it, whichever protocol it speaks. Status and failure reason are
 * kept as the service's own open strings (the report shows its words; an unknown value must not fail the row);
 * whether the status is final and successful is decided by the protocol that read it. {@code prompt}, {@code model}
 * and the shape are what the service echoes of the create, for recognising a job whose create answer was lost.
 */
public record VideoJob(String id, String status, Long createdAt, Long finishedAt, Long expiresAt,
        List<String> generationIds, String failureReason, String prompt, String model, Integer width, Integer height,
        Integer nSeconds, Integer nVariants, String requestId, java.time.Duration pollAfter, boolean terminal,
        boolean success, Integer progress) {

    private static final Set<String> AZURE_TERMINAL = Set.of("succeeded", "failed", "cancelled");
    /**
     * The Videos API has {@code queued, in_progress, completed, failed}; gateways fronting other models also answer
     * {@code succeeded}, {@code cancelled} or {@code error}. Anything else is taken as still going.
     */
    private static final Set<String> VIDEOS_TERMINAL = Set.of("completed", "succeeded", "failed", "error",
            "cancelled", "canceled", "expired");
    private static final Set<String> VIDEOS_SUCCESS = Set.of("completed", "succeeded");

    /** Azure's {@code VideoGenerationJob}: one generation per variant. */
    public static VideoJob fromAzure(JsonNode node) {
        List<String> generations = new ArrayList<>();
        for (JsonNode generation : node.path("generations")) {
            String id = Json.text(generation, "id");
            if (id != null) {
                generations.add(id);
            }
        }
        String status = Json.text(node, "status");
        String lower = lower(status);
        return new VideoJob(Json.text(node, "id"), status, Json.number(node, "created_at"),
                Json.number(node, "finished_at"), Json.number(node, "expires_at"), List.copyOf(generations),
                Json.text(node, "failure_reason"), Json.text(node, "prompt"), Json.text(node, "model"),
                intOrNull(node, "width"), intOrNull(node, "height"), intOrNull(node, "n_seconds"),
                intOrNull(node, "n_variants"), null, null, AZURE_TERMINAL.contains(lower), lower.equals("succeeded"), null);
    }

    /**
     * The Videos API's {@code VideoResource}: the video is its own single generation (downloaded by its id),
     * {@code size} is {@code WxH} and {@code seconds} a string; a failure's reason is {@code error.code}.
     */
    public static VideoJob fromVideos(JsonNode node) {
        String id = Json.text(node, "id");
        String status = Json.text(node, "status");
        String lower = lower(status);
        boolean success = VIDEOS_SUCCESS.contains(lower);
        Integer width = null;
        Integer height = null;
        String size = Json.text(node, "size");
        if (size != null && size.matches("\\d+x\\d+")) {
            String[] wh = size.split("x");
            width = Integer.valueOf(wh[0]);
            height = Integer.valueOf(wh[1]);
        }
        JsonNode error = node.path("error");
        String reason = error.isObject() ? firstNonNull(Json.text(error, "code"), Json.text(error, "message")) : null;
        if (reason != null && error.isObject() && Json.text(error, "message") != null
                && !reason.equals(Json.text(error, "message"))) {
            reason = reason + ": " + Json.text(error, "message");
        }
        Integer progress = progress(node);
        return new VideoJob(id, status, Json.number(node, "created_at"), Json.number(node, "completed_at"),
                Json.number(node, "expires_at"), success && id != null ? List.of(id) : List.of(), reason,
                Json.text(node, "prompt"), Json.text(node, "model"), width, height,
                secondsOrNull(Json.text(node, "seconds")), 1, null, null, VIDEOS_TERMINAL.contains(lower), success, progress);
    }

    /** The same job, with the request id and the poll hint of the answer that described it. */
    public VideoJob withAnswer(String id, java.time.Duration hint) {
        return new VideoJob(this.id, status, createdAt, finishedAt, expiresAt, generationIds, failureReason, prompt,
                model, width, height, nSeconds, nVariants, id, hint, terminal, success, progress);
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

    private static Integer intOrNull(JsonNode node, String field) {
        Long value = Json.number(node, field);
        return value == null ? null : value.intValue();
    }

    private static Integer secondsOrNull(String seconds) {
        try {
            return seconds == null ? null : Integer.valueOf(seconds.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(java.util.Locale.ROOT);
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }

    public boolean isTerminal() {
        return terminal;
    }

    public boolean succeeded() {
        return success;
    }
}
