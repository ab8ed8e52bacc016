package dev.sorabatch.provider.fal;

import java.util.List;
import java.util.Set;

import dev.sorabatch.http.Json;
import okhttp3.HttpUrl;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The three URLs fal's submit answers for a request ({@code status_url}, {@code response_url}, {@code cancel_url}),
 * kept in the ledger as compact JSON ({@code VideoJob.handle}). They are followed as given: they use only the
 * model's owner and app and drop its sub-path, and fal says not to build them.
 */
record FalHandle(String statusUrl, String responseUrl, String cancelUrl) {

    /** Endpoint namespaces that put one more segment before the owner (fal_client {@code APP_NAMESPACES}). */
    private static final Set<String> NAMESPACES = Set.of("workflows", "comfy");

    /** The URLs of a submit or status answer; null when one is missing. */
    static FalHandle of(JsonNode answer) {
        String status = Json.text(answer, "status_url");
        String response = Json.text(answer, "response_url");
        String cancel = Json.text(answer, "cancel_url");
        return status == null || response == null || cancel == null ? null : new FalHandle(status, response, cancel);
    }

    /**
     * The URLs of a request found in the request list, which names its endpoint and id but no URL. Nothing else
     * can reach it, so here alone they are built, the way both official SDKs build them:
     * {@code {queue}/{owner}/{app}/requests/{id}} from the endpoint's first two segments (three after a namespace).
     */
    static FalHandle recovered(HttpUrl queue, String endpointId, String requestId) {
        List<String> segments = List.of(endpointId.split("/"));
        int keep = !segments.isEmpty() && NAMESPACES.contains(segments.get(0)) ? 3 : 2;
        HttpUrl.Builder base = queue.newBuilder();
        segments.stream().limit(Math.min(keep, segments.size())).forEach(base::addPathSegment);
        HttpUrl request = base.addPathSegment("requests").addPathSegment(requestId).build();
        return new FalHandle(request.newBuilder().addPathSegment("status").build().toString(), request.toString(),
                request.newBuilder().addPathSegment("cancel").build().toString());
    }

    static FalHandle parse(String handle, ObjectMapper json) {
        JsonNode node = Json.parseOrNull(json, handle);
        return node == null ? null : of(node);
    }

    String write(ObjectMapper json) {
        ObjectNode node = json.createObjectNode();
        node.put("status_url", statusUrl);
        node.put("response_url", responseUrl);
        node.put("cancel_url", cancelUrl);
        return json.writeValueAsString(node);
    }
}
