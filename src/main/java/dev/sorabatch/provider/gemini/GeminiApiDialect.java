package dev.sorabatch.provider.gemini;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.sorabatch.simulator.LoopbackHttpServer;
import dev.sorabatch.simulator.SimulatedJob;
import dev.sorabatch.simulator.SimulatorDialect;
import dev.sorabatch.simulator.Wire;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The simulator speaking the Gemini API (shared/providers-api.md §1, §4): {@code POST /v1beta/models/{m}:predictLongRunning}
 * answers the operation's name; {@code GET /v1beta/models/{m}/operations/{id}} answers {@code {name}} (no
 * {@code done}, later {@code "done": false}) until the job's time is up, then {@code done} with
 * {@code response.generateVideoResponse.generatedSamples[].video.uri}, the safety filters' count and reasons (a
 * {@code [moderation]} prompt), or an {@code error} with its gRPC code ({@code [fail]}: 13);
 * {@code GET /v1beta/files/{id}:download?alt=media} answers 302 to the storage listener with a signed URL; and
 * {@code GET /v1beta/models/{m}} (doctor's free call) describes the model. The key goes in {@code x-goog-api-key} (or
 * {@code ?key=}); a wrong one gets the 400 {@code API_KEY_INVALID} Google sends. No list, no cancel.
 */
final class GeminiApiDialect implements SimulatorDialect {

    static final String DIALECT = "gemini";
    static final String ROOT = "/v1beta/";
    /** Google keeps a generated file 2 days ("deleted after 2 days if not downloaded"). */
    static final long FILE_RETENTION_MILLIS = 48L * 3600 * 1000;

    private final GeminiSimulator simulator;
    private final GeminiCreates creates;

    GeminiApiDialect(GeminiSimulator simulator) {
        this.simulator = simulator;
        this.creates = new GeminiCreates(simulator);
    }

    /** {@code models/{model}/operations/{id}}, as the API names an operation. */
    static String operationName(SimulatedJob job) {
        return "models/" + job.model + "/operations/" + job.id;
    }

    @Override
    public boolean serves(LoopbackHttpServer.Request request) {
        return true;
    }

    @Override
    public LoopbackHttpServer.Reply misdirected(LoopbackHttpServer.Request request, Map<String, String> query) {
        if (!request.path().startsWith(ROOT)) {
            simulator.count("not-found");
            return GeminiReplies.error(404, "NOT_FOUND", "The requested URL " + request.path() + " was not found "
                    + "on this server.");
        }
        return null;
    }

    /** The key as the API takes it: {@code x-goog-api-key}, else {@code ?key=} (some clients use it); null if none. */
    static String keyOf(LoopbackHttpServer.Request request) {
        String header = request.header(GeminiVeoClient.KEY_HEADER);
        return header != null ? header.strip() : Wire.query(request.rawQuery()).get("key");
    }

    @Override
    public String presentedKey(LoopbackHttpServer.Request request) {
        return keyOf(request);
    }

    @Override
    public LoopbackHttpServer.Reply unauthorized(LoopbackHttpServer.Request request) {
        return GeminiReplies.unauthorized(request);
    }

    @Override
    public LoopbackHttpServer.Reply answer(LoopbackHttpServer.Request request, Map<String, String> query) {
        String path = decoded(request.path().substring(ROOT.length()));
        boolean get = request.method().equals("GET");
        if (request.method().equals("POST") && path.startsWith("models/") && path.endsWith(":predictLongRunning")) {
            return creates.create(path.substring("models/".length(), path.lastIndexOf(':')), request);
        }
        int operations = path.lastIndexOf("/operations/");
        if (get && path.startsWith("models/") && operations > 0) {
            return poll(path.substring("models/".length(), operations),
                    path.substring(operations + "/operations/".length()));
        }
        if (get && path.startsWith("files/") && path.endsWith(":download")) {
            return redirect(path.substring("files/".length(), path.length() - ":download".length()), query);
        }
        if (get && path.startsWith("models/") && !path.contains(":")) {
            return model(path.substring("models/".length()));
        }
        simulator.count("not-found");
        return GeminiReplies.error(404, "NOT_FOUND", "Requested entity was not found.");
    }

    @Override
    public LoopbackHttpServer.Reply fault(Fault fault, Integer retryAfterSeconds) {
        return GeminiReplies.fault(fault, retryAfterSeconds);
    }

    private LoopbackHttpServer.Reply poll(String model, String id) {
        simulator.count("poll");
        long now = System.currentTimeMillis();
        simulator.jobs().startWaitingJobs(now);
        SimulatedJob job = simulator.jobs().live(id);
        if (job == null || !job.dialect.equals(DIALECT) || !job.model.equals(model)) {
            simulator.count("not-found");
            return GeminiReplies.error(404, "NOT_FOUND", "Requested entity was not found.");
        }
        ObjectNode body = Wire.JSON.createObjectNode().put("name", operationName(job));
        String status = job.status(now);
        if (job.isRunning(now)) {
            if (now - job.startedAtMillis() > job.durationMillis / 2) {
                body.put("done", false); // some answers say it, others leave it out: both mean not done
            }
            return GeminiReplies.json(200, body);
        }
        body.put("done", true);
        if (status.equals("succeeded")) {
            ArrayNode samples = videoResponse(body).putArray("generatedSamples");
            for (String file : job.generationIds) {
                samples.addObject().putObject("video").put("uri", simulator.apiUrl() + "/files/" + file
                        + ":download?alt=media");
            }
        } else if (job.outcome == SimulatedJob.Outcome.FAIL_MODERATION) {
            ObjectNode filtered = videoResponse(body).put("raiMediaFilteredCount", job.nVariants);
            ArrayNode reasons = filtered.putArray("raiMediaFilteredReasons");
            for (int i = 0; i < job.nVariants; i++) {
                reasons.add(job.imageFileName != null ? "The input image resembles a public figure.\nPlease use "
                        + "another image." : "The prompt could not be submitted. This prompt contains words that "
                        + "violate Veo's usage guidelines. Try rephrasing the prompt. Support codes: 58061214");
            }
        } else {
            boolean invalid = job.outcome == SimulatedJob.Outcome.FAIL_INVALID;
            body.putObject("error").put("code", invalid ? 3 : 13).put("message", invalid
                    ? "The request was invalid for this model." : "Video generation failed due to an internal "
                    + "error. Please try again later.");
        }
        return GeminiReplies.json(200, body);
    }

    private static ObjectNode videoResponse(ObjectNode operation) {
        ObjectNode response = operation.putObject("response");
        response.put("@type", "type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse");
        return response.putObject("generateVideoResponse");
    }

    /** The file's bytes are not here: 302 to the storage host, with a signed URL that needs no key. */
    private LoopbackHttpServer.Reply redirect(String fileId, Map<String, String> query) {
        SimulatedJob job = simulator.jobs().byGeneration(fileId);
        long now = System.currentTimeMillis();
        boolean ready = job != null && !job.isDeleted() && job.dialect.equals(DIALECT)
                && job.status(now).equals("succeeded") && now - job.createdAtMillis < FILE_RETENTION_MILLIS;
        if (!ready || !"media".equals(query.get("alt"))) {
            simulator.count("not-found");
            return GeminiReplies.error(404, "NOT_FOUND", "File " + fileId + " is not found or is not ready.");
        }
        simulator.count("download-redirect");
        LoopbackHttpServer.Reply reply = new LoopbackHttpServer.Reply();
        reply.status = 302;
        return reply.header("Location", simulator.storageUrl() + GeminiStorageDialect.PATH + fileId
                + ".mp4?Expires=" + (now / 1000 + 3600) + "&Signature=" + GeminiStorageDialect.signature(fileId));
    }

    /** {@code models.get}: what doctor asks, free; a retired Veo answers 404 here too. */
    private LoopbackHttpServer.Reply model(String model) {
        simulator.count("model");
        LoopbackHttpServer.Reply gone = GeminiCreates.retired(model);
        if (gone != null) {
            return gone;
        }
        ObjectNode body = Wire.JSON.createObjectNode().put("name", "models/" + model).put("version", "3.1")
                .put("displayName", "Veo (simulated) " + model)
                .put("description", "Video generation, served by the sora-batch simulator");
        body.putArray("supportedGenerationMethods").add("predictLongRunning");
        return GeminiReplies.json(200, body);
    }

    /** A path as the client encoded it ({@code fal-ai%2Fveo3.1}), decoded; {@code +} stays a plus. */
    private static String decoded(String path) {
        return URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
