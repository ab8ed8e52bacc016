package dev.sorabatch.provider.fal;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.sorabatch.simulator.LoopbackHttpServer;
import dev.sorabatch.simulator.SimulatedJob;
import dev.sorabatch.simulator.Wire;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The simulator speaking the fal queue ({@code queue.fal.run}, shared/providers-api.md §3.2–3.5):
 * {@code POST /{owner}/{app}[/{path}]} accepts any well-formed input and answers its request id and URLs, which
 * name only the owner and the app; a request over the concurrency cap waits {@code IN_QUEUE}, never refused;
 * the model checks the input when it runs, so a refusal (validation, content policy) is a completed request whose
 * result replays the model's 422. {@code GET …/requests/{id}/status}, {@code GET …/requests/{id}} and
 * {@code PUT …/requests/{id}/cancel} must be called on the app the submit answered, or they find no request.
 */
final class FalQueueDialect extends FalDialect {

    static final String DIALECT = "fal";

    private final FalResults results;

    FalQueueDialect(FalSimulator simulator) {
        super(simulator);
        this.results = new FalResults(simulator);
    }

    @Override
    public LoopbackHttpServer.Reply misdirected(LoopbackHttpServer.Request request, Map<String, String> query) {
        if (FalRequest.appOf(FalRequest.segments(request.path())) == null) {
            simulator.count("not-found");
            return FalReplies.detail(404, "Not Found");
        }
        return null;
    }

    @Override
    public LoopbackHttpServer.Reply answer(LoopbackHttpServer.Request request, Map<String, String> query) {
        List<String> segments = FalRequest.segments(request.path());
        String app = FalRequest.appOf(segments);
        List<String> rest = segments.subList(app.split("/").length, segments.size());
        boolean onRequest = rest.size() >= 2 && rest.get(0).equals("requests");
        if (!onRequest) {
            if (!request.method().equals("POST")) {
                // e.g. a status URL built with the submit's sub-path: the queue knows no request there
                return rest.contains("requests") ? requestNotFound() : FalReplies.detail(405, "Method Not Allowed");
            }
            simulator.count("create");
            return submit(request, String.join("/", segments), app);
        }
        simulator.jobs().startWaitingJobs(System.currentTimeMillis());
        SimulatedJob job = simulator.jobs().live(rest.get(1));
        if (job == null || !job.dialect.equals(DIALECT) || !FalRequest.of(job).app().equals(app)) {
            job = null;
        }
        String action = rest.size() == 2 ? "result" : String.join("/", rest.subList(2, rest.size()));
        return switch (request.method() + " " + action) {
            case "GET status" -> status(job, query);
            case "GET result" -> {
                simulator.count("result");
                yield job == null ? requestNotFound() : results.result(job);
            }
            case "PUT cancel" -> cancel(job);
            default -> FalReplies.detail(404, "Not Found");
        };
    }

    private LoopbackHttpServer.Reply submit(LoopbackHttpServer.Request request, String endpointId, String app) {
        JsonNode input = Wire.parseOrNull(request.body());
        if (input == null || !input.isObject()) {
            ArrayNode detail = Wire.JSON.createArrayNode();
            detail.addObject().put("msg", "Input should be a valid JSON object").put("type", "json_invalid")
                    .putArray("loc").add("body");
            return FalReplies.modelError(422, detail);
        }
        FalRequest fal = new FalRequest(endpointId, app, input, !"0".equals(request.header("X-Fal-Store-IO")));
        SimulatedJob.Outcome outcome = FalSchemas.check(endpointId, input).isEmpty()
                ? simulator.faults().outcomeFor(fal.prompt()) : SimulatedJob.Outcome.FAIL_INVALID;
        SimulatedJob job = simulator.jobs().enqueue(now -> new SimulatedJob(UUID.randomUUID().toString(),
                fal.prompt(), endpointId, 0, 0, fal.seconds(), 1, fal.imageUrl(), now,
                simulator.settings().getJobDuration().toMillis(), outcome, List.of(), DIALECT, fal.toJson()));
        LoopbackHttpServer.Reply lost = simulator.faults().lostCreateAnswer(this);
        if (lost != null) {
            return lost;
        }
        ObjectNode body = urls(job);
        body.put("status", "IN_QUEUE");
        body.put("queue_position", Math.max(0, simulator.jobs().queuePosition(job)));
        return FalReplies.json(200, body).header("x-fal-request-id", job.id);
    }

    private LoopbackHttpServer.Reply status(SimulatedJob job, Map<String, String> query) {
        simulator.count("poll");
        if (job == null) {
            return requestNotFound();
        }
        String logs = query.getOrDefault("logs", "0");
        boolean withLogs = logs.equals("1") || logs.equalsIgnoreCase("true");
        long now = System.currentTimeMillis();
        ObjectNode body = Wire.JSON.createObjectNode();
        int status;
        if (!job.hasStarted()) {
            status = 202;
            body.put("status", "IN_QUEUE");
            body.put("queue_position", Math.max(0, simulator.jobs().queuePosition(job)));
        } else if (job.isRunning(now)) {
            status = 202;
            body.put("status", "IN_PROGRESS");
            logs(body, withLogs, job, false);
        } else {
            status = 200;
            body.put("status", "COMPLETED");
            logs(body, withLogs, job, true);
            body.putObject("metrics").put("inference_time", (job.finishedAtMillis() - job.startedAtMillis()) / 1000.0);
            results.requestError(job).ifPresent(e -> body.put("error", e.detail()).put("error_type", e.type()));
        }
        body.setAll(urls(job));
        return FalReplies.json(status, body).header("x-fal-request-id", job.id);
    }

    /** {@code logs} is null unless asked for ({@code logs=1} or {@code logs=true}). */
    private static void logs(ObjectNode body, boolean withLogs, SimulatedJob job, boolean done) {
        if (!withLogs) {
            body.putNull("logs");
            return;
        }
        ArrayNode logs = body.putArray("logs");
        logs.addObject().put("message", "Generating video").put("level", "INFO").put("source", "USER")
                .put("timestamp", java.time.Instant.ofEpochMilli(job.startedAtMillis()).toString());
        if (done) {
            logs.addObject().put("message", "Done").put("level", "INFO").put("source", "USER")
                    .put("timestamp", java.time.Instant.ofEpochMilli(job.finishedAtMillis()).toString());
        }
    }

    private LoopbackHttpServer.Reply cancel(SimulatedJob job) {
        simulator.count("cancel");
        if (job == null) {
            return FalReplies.json(404, Wire.JSON.createObjectNode().put("status", "NOT_FOUND"));
        }
        if (job.hasStarted() && !job.isRunning(System.currentTimeMillis())) {
            return FalReplies.json(400, Wire.JSON.createObjectNode().put("status", "ALREADY_COMPLETED"));
        }
        simulator.jobs().cancel(job);
        return FalReplies.json(202, Wire.JSON.createObjectNode().put("status", "CANCELLATION_REQUESTED"));
    }

    /** The request's id and URLs, on the app only: the sub-path of the submit is not part of them. */
    private ObjectNode urls(SimulatedJob job) {
        String base = simulator.queueUrl() + "/" + FalRequest.of(job).app() + "/requests/" + job.id;
        ObjectNode node = Wire.JSON.createObjectNode();
        node.put("request_id", job.id);
        node.put("response_url", base);
        node.put("status_url", base + "/status");
        node.put("cancel_url", base + "/cancel");
        return node;
    }

    private static LoopbackHttpServer.Reply requestNotFound() {
        return FalReplies.detail(404, "Request not found");
    }
}
