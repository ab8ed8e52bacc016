package dev.sorabatch.provider.fal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import dev.sorabatch.simulator.LoopbackHttpServer;
import dev.sorabatch.simulator.SimulatedJob;
import dev.sorabatch.simulator.Wire;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The simulated fal platform API ({@code api.fal.ai}), on its own listener: the request list a client recovers a
 * lost submit from, {@code GET /v1/models/requests/by-endpoint?endpoint_id&limit&cursor&start&end}
 * (shared/providers-api.md §3.6), newest first, with each request's {@code json_input} unless it was sent with
 * {@code X-Fal-Store-IO: 0}.
 */
final class FalPlatformDialect extends FalDialect {

    static final String LIST = "/v1/models/requests/by-endpoint";


    FalPlatformDialect(FalSimulator simulator) {
        super(simulator);
    }

    @Override
    public LoopbackHttpServer.Reply answer(LoopbackHttpServer.Request request, Map<String, String> query) {
        if (!request.path().equals(LIST) || !request.method().equals("GET")) {
            simulator.count("not-found");
            return FalReplies.detail(404, "Not Found");
        }
        simulator.count("list");
        String endpoint = query.get("endpoint_id");
        Integer limit = Wire.integer(query.getOrDefault("limit", "50"));
        Integer offset = offset(query.get("cursor"));
        long now = System.currentTimeMillis();
        Long start = time(query.get("start"), now - 86_400_000L);
        Long end = time(query.get("end"), now);
        if (endpoint == null || endpoint.isBlank()) {
            return invalid("endpoint_id", "Field required", "missing");
        }
        if (limit == null || limit < 1 || limit > 100) {
            return invalid("limit", "Input should be less than or equal to 100", "less_than_equal");
        }
        if (offset == null || start == null || end == null) {
            return invalid(offset == null ? "cursor" : start == null ? "start" : "end", "Input is not valid",
                    "value_error");
        }
        simulator.jobs().startWaitingJobs(now);
        List<SimulatedJob> matching = simulator.jobs().of(FalQueueDialect.DIALECT).stream()
                .filter(j -> FalRequest.of(j).endpointId().equals(endpoint))
                .filter(j -> j.createdAtMillis >= start && j.createdAtMillis <= end)
                .sorted(Comparator.comparingLong((SimulatedJob j) -> j.createdAtMillis).reversed()).toList();
        List<SimulatedJob> page = matching.subList(Math.min(offset, matching.size()),
                Math.min(offset + limit, matching.size()));
        ObjectNode body = Wire.JSON.createObjectNode();
        ArrayNode items = body.putArray("items");
        page.forEach(j -> items.add(item(j, now)));
        boolean more = offset + page.size() < matching.size();
        body.put("next_cursor", more ? Base64.getEncoder().encodeToString(
                Integer.toString(offset + page.size()).getBytes(StandardCharsets.UTF_8)) : null);
        body.put("has_more", more);
        return FalReplies.json(200, body);
    }

    private ObjectNode item(SimulatedJob job, long now) {
        FalRequest request = FalRequest.of(job);
        boolean ended = job.hasStarted() && !job.isRunning(now);
        ObjectNode item = Wire.JSON.createObjectNode();
        item.put("request_id", job.id);
        item.put("endpoint_id", request.endpointId());
        item.put("started_at", job.hasStarted() ? Instant.ofEpochMilli(job.startedAtMillis()).toString() : null);
        item.put("sent_at", Instant.ofEpochMilli(job.createdAtMillis).toString());
        item.put("ended_at", ended ? Instant.ofEpochMilli(job.finishedAtMillis()).toString() : null);
        item.put("status_code", ended ? statusCode(job) : null);
        item.put("duration", ended ? (job.finishedAtMillis() - job.startedAtMillis()) / 1000.0 : null);
        if (request.storeIo()) {
            item.set("json_input", request.input());
            boolean succeeded = ended && job.status(now).equals("succeeded");
            item.set("json_output", succeeded ? new FalResults(simulator).output(job, request) : null);
        }
        return item;
    }

    private static int statusCode(SimulatedJob job) {
        if (job.isCancelled()) {
            return 400;
        }
        return switch (job.outcome) {
            case FAIL_INVALID, FAIL_MODERATION -> 422;
            case FAIL_INTERNAL -> 504;
            default -> 200;
        };
    }

    /** The cursor is opaque to clients; here, the base64 of the offset of the next page. */
    private static Integer offset(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return 0;
        }
        try {
            return Wire.integer(new String(Base64.getDecoder().decode(cursor), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Long time(String value, long otherwise) {
        if (value == null || value.isEmpty()) {
            return otherwise;
        }
        try {
            return OffsetDateTime.parse(value).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(value).toEpochMilli();
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }

    private LoopbackHttpServer.Reply invalid(String field, String msg, String type) {
        simulator.count("rejected");
        ArrayNode detail = Wire.JSON.createArrayNode();
        ObjectNode error = detail.addObject();
        error.putArray("loc").add("query").add(field);
        error.put("msg", msg);
        error.put("type", type);
        return FalReplies.modelError(422, detail);
    }
}
