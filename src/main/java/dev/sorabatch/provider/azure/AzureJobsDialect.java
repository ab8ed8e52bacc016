package dev.sorabatch.provider.azure;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.sorabatch.provider.sora.SoraDialect;
import dev.sorabatch.simulator.LoopbackHttpServer;
import dev.sorabatch.simulator.Multipart;
import dev.sorabatch.simulator.SimulatedJob;
import dev.sorabatch.simulator.Simulator;
import dev.sorabatch.simulator.Wire;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The simulator speaking an Azure OpenAI resource with a Sora deployment, the v1-preview jobs API, exactly:
 * {@code api-key} auth, {@code api-version}, the status sequence, both error envelopes, {@code Retry-After} on
 * 429, the running-jobs cap ("Too many running tasks"), generations served as MP4 and JPEG thumbnail. It answers
 * any path (unknown ones with Azure's 404), so it goes last among the dialects a listener speaks.
 */
public final class AzureJobsDialect extends SoraDialect {

    public static final String DIALECT = "azure-jobs";
    private static final String API = "/openai/v1/video/generations";
    private static final Set<String> RESOLUTIONS = Set.of("480x480", "480x854", "854x480", "720x720", "720x1280",
            "1280x720", "1080x1080", "1080x1920", "1920x1080");

    private final byte[] video = Wire.resource("simulator/sample.mp4");
    private final byte[] thumbnail = Wire.resource("simulator/thumbnail.jpg");

    public AzureJobsDialect(Simulator simulator) {
        super(simulator);
    }

    @Override
    public boolean serves(LoopbackHttpServer.Request request) {
        return true;
    }

    @Override
    public LoopbackHttpServer.Reply unauthorized(LoopbackHttpServer.Request request) {
        return error(401, true, "401", "Access denied due to invalid subscription key or wrong API endpoint. "
                + "Make sure to provide a valid key for an active subscription and use a correct regional API "
                + "endpoint for your resource.", null, null);
    }

    @Override
    public LoopbackHttpServer.Reply misdirected(LoopbackHttpServer.Request request, Map<String, String> query) {
        if (!request.path().startsWith(API)) {
            simulator.count("not-found");
            return error(404, true, "404", "Resource not found", null, null);
        }
        String apiVersion = query.get("api-version");
        if (apiVersion == null || !(apiVersion.equals("preview") || apiVersion.equals("v1"))) {
            return error(400, true, "BadRequest", "API version not supported", null, null);
        }
        return null;
    }

    @Override
    protected LoopbackHttpServer.Reply quotaExceeded(int retryAfterSeconds) {
        return error(429, true, "429", "Requests to the Create Video Generation Job Operation under Azure "
                + "OpenAI API version preview have exceeded call rate limit of your current AIServices S0 pricing "
                + "tier. Please retry after " + retryAfterSeconds + " seconds.", null, retryAfterSeconds);
    }

    @Override
    public LoopbackHttpServer.Reply answer(LoopbackHttpServer.Request request, Map<String, String> query) {
        String rest = request.path().substring(API.length());
        String method = request.method();
        if (rest.equals("/jobs") && method.equals("POST")) {
            simulator.count("create");
            return create(request);
        }
        if (rest.equals("/jobs") && method.equals("GET")) {
            simulator.count("list");
            return list(query);
        }
        if (rest.startsWith("/jobs/") && method.equals("GET")) {
            simulator.count("poll");
            SimulatedJob job = liveJob(rest.substring("/jobs/".length()));
            return job == null ? jobNotFound() : json(200, AzureJobJson.of(job));
        }
        if (rest.startsWith("/jobs/") && method.equals("DELETE")) {
            simulator.count("delete");
            SimulatedJob job = liveJob(rest.substring("/jobs/".length()));
            if (job == null) {
                return jobNotFound();
            }
            simulator.jobs().delete(job);
            LoopbackHttpServer.Reply reply = new LoopbackHttpServer.Reply();
            reply.status = 204;
            return reply.header("apim-request-id", UUID.randomUUID().toString());
        }
        if (rest.matches("/[^/]+/content/(video|thumbnail)") && (method.equals("GET") || method.equals("HEAD"))) {
            String[] parts = rest.split("/");
            return content(parts[1], parts[3]);
        }
        return error(404, true, "404", "Resource not found", null, null);
    }

    private LoopbackHttpServer.Reply create(LoopbackHttpServer.Request request) {
        String contentType = request.header("Content-Type");
        Map<String, String> fields = new HashMap<>();
        String imageFileName = null;
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            List<String> fileNames = new ArrayList<>();
            for (Multipart.Part part : Multipart.parse(request.body(), Multipart.boundary(contentType))) {
                if ("files".equals(part.name())) {
                    if (part.fileName() == null || part.contentType() == null) {
                        return validation("files", "Each file must be sent with a filename and a content type.");
                    }
                    fileNames.add(part.fileName());
                } else if (part.name() != null) {
                    fields.put(part.name(), part.text());
                }
            }
            if (fileNames.isEmpty()) {
                return validation("files", "At least one file is required for a request with media.");
            }
            JsonNode items = Wire.parseOrNull(fields.get("inpaint_items"));
            if (items == null || !items.isArray() || items.isEmpty()) {
                return validation("inpaint_items", "inpaint_items must be a JSON string holding an array.");
            }
            for (JsonNode item : items) {
                if (!fileNames.contains(item.path("file_name").asString(""))) {
                    return validation("inpaint_items", "file_name '" + item.path("file_name").asString("")
                            + "' does not match any uploaded file.");
                }
            }
            imageFileName = items.get(0).path("file_name").asString();
        } else {
            JsonNode node = Wire.parseOrNull(request.body());
            if (node == null || !node.isObject()) {
                return validation(null, "The request body must be a JSON object.");
            }
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                fields.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asString() : e.getValue().toString());
            }
        }
        return create(fields, imageFileName);
    }

    private LoopbackHttpServer.Reply create(Map<String, String> fields, String imageFileName) {
        String model = fields.get("model");
        String prompt = fields.get("prompt");
        if (model == null || model.isBlank()) {
            return validation("model", "Missing required parameter: 'model'.");
        }
        if (!model.equals(simulator.settings().getDeployment())) {
            return error(404, true, "DeploymentNotFound", "The API deployment for this resource does not "
                    + "exist. If you created the deployment within the last 5 minutes, please wait a moment and try "
                    + "again.", null, null);
        }
        if (prompt == null || prompt.isBlank()) {
            return validation("prompt", "Missing required parameter: 'prompt'.");
        }
        Integer width = Wire.integer(fields.get("width"));
        Integer height = Wire.integer(fields.get("height"));
        Integer seconds = Wire.integer(fields.getOrDefault("n_seconds", "5"));
        Integer variants = Wire.integer(fields.getOrDefault("n_variants", "1"));
        if (width == null || height == null || !RESOLUTIONS.contains(width + "x" + height)) {
            return validation("width", "The following dimensions are supported: 480x480, 854x480, 720x720, "
                    + "1280x720, 1080x1080 and 1920x1080 in both landscape and portrait orientations.");
        }
        if (seconds == null || seconds < 1 || seconds > 20) {
            return validation("n_seconds", "n_seconds must be between 1 and 20.");
        }
        int shortSide = Math.min(width, height);
        int maxVariants = shortSide >= 1080 ? 1 : shortSide >= 720 ? 2 : 4;
        if (variants == null || variants < 1 || variants > maxVariants) {
            return validation("n_variants", "n_variants must be between 1 and " + maxVariants + " for " + width + "x"
                    + height + ".");
        }
        SimulatedJob job = simulator.jobs().admit(now -> newJob(prompt, model, width, height, seconds, variants,
                imageFileName, now));
        if (job == null) {
            return error(429, true, "too_many_requests", "Too many running tasks", null, 5);
        }
        LoopbackHttpServer.Reply lost = simulator.faults().lostCreateAnswer(this);
        return lost != null ? lost : json(200, AzureJobJson.of(job));
    }

    private SimulatedJob newJob(String prompt, String model, int width, int height, int seconds, int variants,
            String imageFileName, long now) {
        SimulatedJob.Outcome outcome = simulator.faults().outcomeFor(prompt);
        List<String> generationIds = new ArrayList<>();
        for (int i = 0; i < variants; i++) {
            generationIds.add("gen_" + Wire.ulid());
        }
        return new SimulatedJob("task_" + Wire.ulid(), prompt, model, width, height, seconds, variants, imageFileName,
                now, simulator.settings().getJobDuration().toMillis(), outcome, List.copyOf(generationIds), DIALECT,
                null);
    }

    private LoopbackHttpServer.Reply list(Map<String, String> query) {
        Integer limit = Wire.integer(query.get("limit"));
        if (limit == null || limit < 1) {
            return validation("limit", "limit is required and must be a positive integer.");
        }
        List<SimulatedJob> newestFirst = simulator.jobs().of(DIALECT);
        newestFirst.sort(Comparator.comparingLong((SimulatedJob j) -> j.createdAtMillis).reversed());
        List<SimulatedJob> page = newestFirst.subList(0, Math.min(limit, newestFirst.size()));
        ObjectNode body = Wire.JSON.createObjectNode();
        body.put("object", "list");
        ArrayNode data = body.putArray("data");
        page.forEach(j -> data.add(AzureJobJson.of(j)));
        body.put("has_more", newestFirst.size() > page.size());
        body.put("first_id", page.isEmpty() ? null : page.get(0).id);
        body.put("last_id", page.isEmpty() ? null : page.get(page.size() - 1).id);
        return json(200, body);
    }

    private LoopbackHttpServer.Reply content(String generationId, String kind) {
        SimulatedJob job = simulator.jobs().byGeneration(generationId);
        if (job == null || job.isDeleted() || !job.status(System.currentTimeMillis()).equals("succeeded")) {
            return error(404, false, "NotFound", "The specified generation was not found.", null, null);
        }
        return file(kind.equals("video") ? video : thumbnail, kind.equals("video") ? "video/mp4" : "image/jpg");
    }

    private SimulatedJob liveJob(String id) {
        SimulatedJob job = simulator.jobs().live(id);
        return job != null && job.dialect.equals(DIALECT) ? job : null;
    }

    private LoopbackHttpServer.Reply jobNotFound() {
        return error(404, false, "NotFound", "The specified job was not found.", null, null);
    }

    private LoopbackHttpServer.Reply validation(String param, String message) {
        simulator.count("rejected");
        return error(400, false, "invalid_request", message, param, null);
    }
}
