package dev.sorabatch.sora;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import tools.jackson.databind.JsonNode;

/**
 * A video generation job as the service describes it ({@code VideoGenerationJob}). Status and failure reason are
 * kept as open strings: the service may add values, and an unknown one must not fail the row.
 */
public record VideoJob(String id, String status, Long createdAt, Long finishedAt, Long expiresAt,
        List<String> generationIds, String failureReason, String prompt, Integer width, Integer height,
        Integer nSeconds, Integer nVariants, String requestId, java.time.Duration pollAfter) {

    private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled");

    public static VideoJob from(JsonNode node) {
        List<String> generations = new ArrayList<>();
        for (JsonNode generation : node.path("generations")) {
            String id = Json.text(generation, "id");
            if (id != null) {
                generations.add(id);
            }
        }
        return new VideoJob(Json.text(node, "id"), Json.text(node, "status"), Json.number(node, "created_at"),
                Json.number(node, "finished_at"), Json.number(node, "expires_at"), List.copyOf(generations),
                Json.text(node, "failure_reason"), Json.text(node, "prompt"), intOrNull(node, "width"),
                intOrNull(node, "height"), intOrNull(node, "n_seconds"), intOrNull(node, "n_variants"), null, null);
    }

    /** The same job, with the {@code apim-request-id} and the poll hint of the answer that described it. */
    public VideoJob withAnswer(String id, java.time.Duration hint) {
        return new VideoJob(this.id, status, createdAt, finishedAt, expiresAt, generationIds, failureReason, prompt,
                width, height, nSeconds, nVariants, id, hint);
    }

    private static Integer intOrNull(JsonNode node, String field) {
        Long value = Json.number(node, field);
        return value == null ? null : value.intValue();
    }

    public boolean isTerminal() {
        return status != null && TERMINAL.contains(status.toLowerCase(Locale.ROOT));
    }

    public boolean succeeded() {
        return "succeeded".equalsIgnoreCase(status);
    }
}
