package dev.sorabatch.provider.fal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.sorabatch.http.Json;
import dev.sorabatch.http.ServiceHttp;
import dev.sorabatch.service.Operation;
import dev.sorabatch.service.VideoJob;
import okhttp3.HttpUrl;
import okhttp3.Request;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * fal's platform API request list ({@code GET {api}/models/requests/by-endpoint}), where a submit whose answer was
 * lost is found again: paged by cursor, newest first once read, each item with the input fal kept.
 */
final class FalRequestList {

    private final ServiceHttp http;
    private final HttpUrl api;
    private final HttpUrl queue;
    private final ObjectMapper json;

    FalRequestList(ServiceHttp http, HttpUrl api, HttpUrl queue, ObjectMapper json) {
        this.http = http;
        this.api = api;
        this.queue = queue;
        this.json = json;
    }

    /**
     * Requests to {@code endpoint} since {@code start}: at most {@code atMost}, within
     * {@link FalQueueClient#MAX_PAGES} pages.
     */
    List<VideoJob> requests(String endpoint, Instant start, int pageSize, int atMost) {
        List<VideoJob> jobs = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < FalQueueClient.MAX_PAGES && jobs.size() < atMost; page++) {
            HttpUrl.Builder url = api.newBuilder().addPathSegments("models/requests/by-endpoint")
                    .addQueryParameter("endpoint_id", endpoint).addQueryParameter("limit", Integer.toString(pageSize))
                    .addQueryParameter("start", start.toString());
            if (cursor != null) {
                url.addQueryParameter("cursor", cursor);
            }
            Request call = new Request.Builder().url(url.build()).header("Accept", "application/json")
                    .header("User-Agent", "sora-batch").get().build();
            JsonNode body = http.call(Operation.LIST, call).body();
            for (JsonNode item : body.path("items")) {
                String id = Json.text(item, "request_id");
                String endpointId = Json.text(item, "endpoint_id");
                if (id != null) {
                    String handle = FalHandle.recovered(queue, endpointId != null ? endpointId : endpoint, id)
                            .write(json);
                    jobs.add(FalJobs.listed(item, handle));
                }
            }
            cursor = Json.text(body, "next_cursor");
            if (!body.path("has_more").asBoolean(false) || cursor == null) {
                break;
            }
        }
        jobs.sort(Comparator.comparing(VideoJob::createdAt, Comparator.nullsLast(Comparator.reverseOrder())));
        return jobs.size() > atMost ? List.copyOf(jobs.subList(0, atMost)) : jobs;
    }
}
