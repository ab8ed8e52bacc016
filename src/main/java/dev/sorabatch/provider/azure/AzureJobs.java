package dev.sorabatch.provider.azure;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.sorabatch.http.Json;
import dev.sorabatch.service.VideoJob;
import tools.jackson.databind.JsonNode;

/** Azure's {@code VideoGenerationJob} as a {@link VideoJob}: one generation per variant. */
final class AzureJobs {

    private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled");

    private AzureJobs() {
    }

    static VideoJob from(JsonNode node) {
        List<String> generations = new ArrayList<>();
        for (JsonNode generation : node.path("generations")) {
            String id = Json.text(generation, "id");
            if (id != null) {
                generations.add(id);
            }
        }
        String status = Json.text(node, "status");
        String lower = status == null ? "" : status.toLowerCase(Locale.ROOT);
        return new VideoJob(Json.text(node, "id"), status, Json.number(node, "created_at"),
                Json.number(node, "finished_at"), Json.number(node, "expires_at"), List.copyOf(generations),
                Json.text(node, "failure_reason"), Json.text(node, "prompt"), Json.text(node, "model"),
                intOrNull(node, "width"), intOrNull(node, "height"), intOrNull(node, "n_seconds"),
                intOrNull(node, "n_variants"), null, null, TERMINAL.contains(lower), lower.equals("succeeded"), null);
    }

    private static Integer intOrNull(JsonNode node, String field) {
        Long value = Json.number(node, field);
        return value == null ? null : value.intValue();
    }
}
