package dev.sorabatch.provider.openai;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
 * The simulator's Videos API ({@code /v1/videos} as OpenAI serves it, {@code /openai/v1/videos} as Azure sora-2
 * deployments do), on the same jobs, quota, running-jobs cap and faults as the Azure jobs API: {@code seconds}
 * must be a JSON string, {@code size} is {@code WxH}, an image comes as an {@code input_reference} file part,
 * statuses are {@code queued → in_progress → completed | failed} with a {@code progress} percentage, a failure
 * carries {@code error {code, message}}, and content is served per {@code variant} (MP4, WebP thumbnail).
 */
public final class VideosDialect extends SoraDialect {

    public static final String DIALECT = "videos";
    /** The Videos API, as OpenAI ({@code /v1}) and Azure sora-2 deployments ({@code /openai/v1}) serve it. */
    private static final String VIDEOS_API = "/v1/videos";
    private static final String AZURE_VIDEOS_API = "/openai/v1/videos";

    /** What the live service accepts (the published enums list fewer: 4/8/12 s and four sizes). */
    private static final Set<String> SECONDS = Set.of("4", "8", "12", "16", "20");
    private static final Set<String> SIZES = Set.of("720x1280", "1280x720", "1024x1792", "1792x1024", "1920x1080",
            "1080x1920");

    private final byte[] video = Wire.resource("simulator/sample.mp4");
    private final byte[] thumbnail = Wire.resource("simulator/thumbnail.webp");
    private final byte[] spritesheet = Wire.resource("simulator/thumbnail.jpg");

    public VideosDialect(Simulator simulator) {
        super(simulator);
    }

    /** The Videos API root on the simulator, as a user would put it in {@code OPENAI_BASE_URL}. */
    public static String baseUrl(Simulator simulator) {
        return simulator.baseUrl() + "/v1";
    }

    @Override
    public boolean serves(LoopbackHttpServer.Request request) {
        return request.path().startsWith(VIDEOS_API) || request.path().startsWith(AZURE_VIDEOS_API);
    }

    @Override
    public LoopbackHttpServer.Reply unauthorized(LoopbackHttpServer.Request request) {
        return error(401, true, "invalid_api_key", "Incorrect API key provided. You can find your API key at "
                + "https://platform.openai.com/account/api-keys.", null, null);
    }

    @Override
    protected LoopbackHttpServer.Reply quotaExceeded(int retryAfterSeconds) {
        return error(429, true, "rate_limit_exceeded", "Rate limit reached for requests. Please try again "
                + "in " + retryAfterSeconds + "s.", null, retryAfterSeconds);
    }

    @Override
    public LoopbackHttpServer.Reply answer(LoopbackHttpServer.Request request, Map<String, String> query) {
        String path = request.path();
        String rest = path.substring(path.startsWith(VIDEOS_API) ? VIDEOS_API.length() : AZURE_VIDEOS_API.length());
        String method = request.method();
        if ((rest.isEmpty() || rest.equals("/")) && method.equals("POST")) {
            simulator.count("create");
            return create(request);
        }
        if ((rest.isEmpty() || rest.equals("/")) && method.equals("GET")) {
            simulator.count("list");
            return list(query);
        }
        String[] parts = rest.split("/");
        if (parts.length == 2 && method.equals("GET")) {
            simulator.count("poll");
            SimulatedJob job = videoJob(parts[1]);
            return job == null ? notFound(parts[1]) : json(200, VideosJson.of(job));
        }
        if (parts.length == 2 && method.equals("DELETE")) {
            simulator.count("delete");
            SimulatedJob job = videoJob(parts[1]);
            if (job == null) {
                return notFound(parts[1]);
            }
            simulator.jobs().delete(job);
            ObjectNode body = Wire.JSON.createObjectNode();
            body.put("id", job.id);
            body.put("object", "video.deleted");
            body.put("deleted", true);
            return json(200, body);
        }
        if (parts.length == 3 && parts[2].equals("content") && method.equals("GET")) {
            return content(parts[1], query.getOrDefault("variant", "video"));
        }
        return invalid(404, "invalid_request_error", null, null, "Invalid URL (" + method + " " + rest + ")");
    }

    private LoopbackHttpServer.Reply create(LoopbackHttpServer.Request request) {
        String contentType = request.header("Content-Type");
        Map<String, String> fields = new HashMap<>();
        String imageFileName = null;
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            for (Multipart.Part part : Multipart.parse(request.body(), Multipart.boundary(contentType))) {
                if ("input_reference".equals(part.name()) && part.fileName() != null) {
                    if (part.contentType() == null || !part.contentType().startsWith("image/")) {
                        return invalid(400, "invalid_request_error", "invalid_type", "input_reference",
                                "Invalid file for 'input_reference': expected an image/jpeg, image/png or image/webp "
                                        + "file with a filename.");
                    }
                    imageFileName = part.fileName();
                } else if ("input_reference".equals(part.name())) {
                    return invalid(400, "invalid_request_error", "invalid_type", "input_reference",
                            "Invalid type for 'input_reference': expected a file, but got a string instead.");
                } else if (part.name() != null) {
                    fields.put(part.name(), part.text());
                }
            }
        } else {
            JsonNode node = Wire.parseOrNull(request.body());
            if (node == null || !node.isObject()) {
                return invalid(400, "invalid_request_error", null, null, "We could not parse the JSON body of your "
                        + "request.");
            }
            if (node.has("seconds") && !node.get("seconds").isString()) {
                return invalid(400, "invalid_request_error", "invalid_type", "seconds", "Invalid type for 'seconds': "
                        + "expected one of '4', '8', or '12', but got an integer instead.");
            }
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                fields.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asString() : e.getValue().toString());
            }
        }
        String prompt = fields.get("prompt");
        if (prompt == null || prompt.isBlank()) {
            return invalid(400, "invalid_request_error", "missing_required_parameter", "prompt",
                    "Missing required parameter: 'prompt'.");
        }
        String model = fields.getOrDefault("model", "sora-2");
        if (!model.startsWith("sora-2") && !model.equals(simulator.settings().getDeployment())) {
            return invalid(404, "invalid_request_error", "model_not_found", "model", "The model '" + model
                    + "' does not exist or you do not have access to it.");
        }
        String seconds = fields.getOrDefault("seconds", "4");
        if (!SECONDS.contains(seconds)) {
            return invalid(400, "invalid_request_error", "invalid_value", "seconds", "Invalid value: '" + seconds
                    + "'. Supported values are: '4', '8', and '12'.");
        }
        String size = fields.getOrDefault("size", "720x1280");
        if (!SIZES.contains(size)) {
            return invalid(400, "invalid_request_error", "invalid_value", "size", "Invalid value: '" + size
                    + "'. Supported values are: '720x1280', '1280x720', '1024x1792', and '1792x1024'.");
        }
        String[] wh = size.split("x");
        String image = imageFileName;
        SimulatedJob job = simulator.jobs().admit(now -> new SimulatedJob("video_" + Wire.ulid(), prompt, model,
                Integer.parseInt(wh[0]), Integer.parseInt(wh[1]), Integer.parseInt(seconds), 1, image, now,
                simulator.settings().getJobDuration().toMillis(), simulator.faults().outcomeFor(prompt), List.of(), DIALECT,
                null));
        if (job == null) {
            // Azure sora-2 wording; it is about running jobs, not the request rate
            return invalid(429, "video_generation_user_error", null, null, "Too many running tasks");
        }
        LoopbackHttpServer.Reply lost = simulator.faults().lostCreateAnswer(this);
        return lost != null ? lost : json(200, VideosJson.of(job));
    }

    private LoopbackHttpServer.Reply list(Map<String, String> query) {
        Integer limit = Wire.integer(query.getOrDefault("limit", "20"));
        if (limit == null || limit < 0 || limit > 100) {
            return invalid(400, "invalid_request_error", "invalid_value", "limit", "limit must be between 0 and 100.");
        }
        boolean ascending = "asc".equals(query.get("order"));
        List<SimulatedJob> videos = simulator.jobs().of(DIALECT);
        Comparator<SimulatedJob> byTime = Comparator.comparingLong(j -> j.createdAtMillis);
        videos.sort(ascending ? byTime : byTime.reversed());
        String after = query.get("after");
        if (after != null) {
            int at = -1;
            for (int i = 0; i < videos.size(); i++) {
                if (videos.get(i).id.equals(after)) {
                    at = i;
                }
            }
            videos = videos.subList(at + 1, videos.size());
        }
        List<SimulatedJob> page = videos.subList(0, Math.min(limit, videos.size()));
        ObjectNode body = Wire.JSON.createObjectNode();
        body.put("object", "list");
        ArrayNode data = body.putArray("data");
        page.forEach(j -> data.add(VideosJson.of(j)));
        body.put("first_id", page.isEmpty() ? null : page.get(0).id);
        body.put("last_id", page.isEmpty() ? null : page.get(page.size() - 1).id);
        body.put("has_more", videos.size() > page.size());
        return json(200, body);
    }

    private LoopbackHttpServer.Reply content(String id, String variant) {
        SimulatedJob job = videoJob(id);
        if (job == null) {
            return notFound(id);
        }
        if (!job.videosStatus(System.currentTimeMillis()).equals("completed")) {
            return invalid(400, "invalid_request_error", "video_not_ready", null, "Video " + id + " is not ready: its "
                    + "status is " + job.videosStatus(System.currentTimeMillis()) + ".");
        }
        return switch (variant) {
            case "video" -> file(video, "video/mp4");
            case "thumbnail" -> file(thumbnail, "image/webp");
            case "spritesheet" -> file(spritesheet, "image/jpeg");
            default -> invalid(400, "invalid_request_error", "invalid_value", "variant", "Invalid value: '" + variant
                    + "'. Supported values are: 'video', 'thumbnail', and 'spritesheet'.");
        };
    }

    private SimulatedJob videoJob(String id) {
        SimulatedJob job = simulator.jobs().live(id);
        return job != null && job.dialect.equals(DIALECT) ? job : null;
    }

    private LoopbackHttpServer.Reply notFound(String id) {
        return invalid(404, "invalid_request_error", "video_not_found", null, "Video with id '" + id
                + "' not found.");
    }

    /** The Videos API's error envelope: {@code {"error": {message, type, param, code}}}. */
    private LoopbackHttpServer.Reply invalid(int status, String type, String code, String param, String message) {
        if (status != 429) { // a full service is counted where it is decided
            simulator.count(status == 404 ? "not-found" : "rejected");
        }
        ObjectNode body = Wire.JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        LoopbackHttpServer.Reply reply = json(status, body);
        if (status == 429) {
            reply.header("Retry-After", "5");
        }
        return reply;
    }
}
