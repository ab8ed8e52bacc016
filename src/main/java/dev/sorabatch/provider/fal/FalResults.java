package dev.sorabatch.provider.fal;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import dev.sorabatch.simulator.LoopbackHttpServer;
import dev.sorabatch.simulator.SimulatedJob;
import dev.sorabatch.simulator.Wire;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What {@code GET …/requests/{id}} answers (shared/providers-api.md §3.4): the model's output, {@code {"video":
 * {url, content_type, file_name, file_size}, "seed"}}, with the file on the CDN listener; or the model's error
 * replayed (422 validation or content policy, 504 for a request that timed out); and nothing once fal stopped
 * keeping the result: 1 hour after completion, 6 minutes for a result of 10 KB or more, or
 * {@code sora.simulator.result-retention}.
 */
final class FalResults {

    /** A request (infrastructure) error, as the COMPLETED status and the result both carry it. */
    record RequestError(int status, String detail, String type) {
    }

    private static final String[] CATEGORIES = { "harassment", "hate", "illicit", "self-harm", "sexual", "violence" };
    private static final Duration KEPT = Duration.ofHours(1);
    private static final Duration KEPT_WHEN_LARGE = Duration.ofMinutes(6);
    private static final int LARGE = 10 * 1024;

    private final FalSimulator simulator;

    FalResults(FalSimulator simulator) {
        this.simulator = simulator;
    }

    LoopbackHttpServer.Reply result(SimulatedJob job) {
        long now = System.currentTimeMillis();
        if (!job.hasStarted() || job.isRunning(now)) {
            return FalReplies.detail(400, "Request is still in progress");
        }
        LoopbackHttpServer.Reply reply = modelAnswer(job);
        Duration retention = simulator.settings().getResultRetention() != null
                ? simulator.settings().getResultRetention() : reply.body.length >= LARGE ? KEPT_WHEN_LARGE : KEPT;
        if (now > job.finishedAtMillis() + retention.toMillis()) {
            // UNCONFIRMED: what an expired result answers is not documented; a request the queue no longer has
            simulator.count("result-expired");
            return FalReplies.detail(404, "Request result has expired");
        }
        return reply.header("x-fal-request-id", job.id);
    }

    /** The failure a COMPLETED status names ({@code error}, {@code error_type}); model errors come with the result. */
    Optional<RequestError> requestError(SimulatedJob job) {
        if (job.isCancelled()) {
            // UNCONFIRMED: the docs name no error type for a cancelled request
            return Optional.of(new RequestError(400, "Request was cancelled", "request_cancelled"));
        }
        if (job.outcome == SimulatedJob.Outcome.FAIL_INTERNAL) {
            return Optional.of(new RequestError(504, "Request timed out", "request_timeout"));
        }
        return Optional.empty();
    }

    private LoopbackHttpServer.Reply modelAnswer(SimulatedJob job) {
        Optional<RequestError> error = requestError(job);
        if (error.isPresent()) {
            return FalReplies.requestError(error.get().status(), error.get().detail(), error.get().type(), false);
        }
        FalRequest request = FalRequest.of(job);
        return switch (job.outcome) {
            case FAIL_INVALID -> FalReplies.modelError(422, FalSchemas.check(request.endpointId(), request.input()));
            case FAIL_MODERATION -> FalReplies.modelError(422, contentPolicy(request.prompt()));
            default -> FalReplies.json(200, output(job, request));
        };
    }

    ObjectNode output(SimulatedJob job, FalRequest request) {
        ObjectNode body = Wire.JSON.createObjectNode();
        ObjectNode video = body.putObject("video");
        video.put("url", simulator.filesUrl() + "/files/" + job.id + "/output.mp4");
        video.put("content_type", "video/mp4");
        video.put("file_name", "output.mp4");
        video.put("file_size", simulator.video().length);
        body.put("seed", request.input().path("seed").canConvertToLong() ? request.input().get("seed").asLong()
                : Math.abs((long) job.id.hashCode()));
        return body;
    }

    /** The categories the prompt names (else {@code violence}): a demo can pick the refusal it shows. */
    private static ArrayNode contentPolicy(String prompt) {
        ArrayNode detail = Wire.JSON.createArrayNode();
        ObjectNode error = detail.addObject();
        error.putArray("loc").add("body").add("prompt");
        error.put("msg", "The content was flagged by a content checker.");
        error.put("type", "content_policy_violation");
        error.put("url", "https://docs.fal.ai/errors#content_policy_violation");
        error.put("input", prompt);
        ArrayNode categories = error.putArray("categories");
        String lower = prompt.toLowerCase(Locale.ROOT);
        for (String category : CATEGORIES) {
            if (lower.contains(category)) {
                categories.add(category);
            }
        }
        if (categories.isEmpty()) {
            categories.add("violence");
        }
        return detail;
    }
}
