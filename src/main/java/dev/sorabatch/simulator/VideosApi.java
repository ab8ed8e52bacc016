package dev.sorabatch.simulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
final class VideosApi {

    /** What the live service accepts (the published enums list fewer: 4/8/12 s and four sizes). */
    private static final Set<String> SECONDS = Set.of("4", "8", "12", "16", "20");
    private static final Set<String> SIZES = Set.of("720x1280", "1280x720", "1024x1792", "1792x1024", "1920x1080",
            "1080x1920");

    private final SoraSimulator simulator;
    private final byte[] thumbnail;
    private final byte[] spritesheet;

    VideosApi(SoraSimulator simulator) {
        this.simulator = simulator;
        this.thumbnail = SoraSimulator.resource("simulator/thumbnail.webp");
        this.spritesheet = SoraSimulator.resource("simulator/thumbnail.jpg");
    }

    LoopbackHttpServer.Reply route(LoopbackHttpServer.Request request, String rest, Map<String, String> query) {
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
            return job == null ? notFound(parts[1]) : simulator.json(200, videoJson(job));
        }
        if (parts.length == 2 && method.equals("DELETE")) {
            simulator.count("delete");
            SimulatedJob job = videoJob(parts[1]);
            if (job == null) {
                return notFound(parts[1]);
            }
            job.deleted = true;
            simulator.saveState(simulator.json.createObjectNode().put("deleted", job.id));
            ObjectNode body = simulator.json.createObjectNode();
            body.put("id", job.id);
            body.put("object", "video.deleted");
            body.put("deleted", true);
            return simulator.json(200, body);
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
            JsonNode node = simulator.parseOrNull(new String(request.body(), StandardCharsets.UTF_8));
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
        if (!model.startsWith("sora-2") && !model.equals(simulator.settings.getDeployment())) {
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
        SimulatedJob job = simulator.admit(now -> new SimulatedJob("video_" + SoraSimulator.ulid(), prompt, model,
                Integer.parseInt(wh[0]), Integer.parseInt(wh[1]), Integer.parseInt(seconds), 1, image, now,
                simulator.settings.getJobDuration().toMillis(), simulator.outcomeFor(prompt), List.of(), true));
        if (job == null) {
            // Azure sora-2 wording; it is about running jobs, not the request rate
            return invalid(429, "video_generation_user_error", null, null, "Too many running tasks");
        }
        LoopbackHttpServer.Reply lost = simulator.lostCreateAnswer();
        return lost != null ? lost : simulator.json(200, videoJson(job));
    }

    private LoopbackHttpServer.Reply list(Map<String, String> query) {
        Integer limit = SoraSimulator.integer(query.getOrDefault("limit", "20"));
        if (limit == null || limit < 0 || limit > 100) {
            return invalid(400, "invalid_request_error", "invalid_value", "limit", "limit must be between 0 and 100.");
        }
        boolean ascending = "asc".equals(query.get("order"));
        List<SimulatedJob> videos = new ArrayList<>();
        for (SimulatedJob job : simulator.jobs.values()) {
            if (job.videos && !job.deleted) {
                videos.add(job);
            }
        }
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
        ObjectNode body = simulator.json.createObjectNode();
        body.put("object", "list");
        ArrayNode data = body.putArray("data");
        page.forEach(j -> data.add(videoJson(j)));
        body.put("first_id", page.isEmpty() ? null : page.get(0).id);
        body.put("last_id", page.isEmpty() ? null : page.get(page.size() - 1).id);
        body.put("has_more", videos.size() > page.size());
        return simulator.json(200, body);
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
            case "video" -> simulator.file(simulator.video, "video/mp4");
            case "thumbnail" -> simulator.file(thumbnail, "image/webp");
            case "spritesheet" -> simulator.file(spritesheet, "image/jpeg");
            default -> invalid(400, "invalid_request_error", "invalid_value", "variant", "Invalid value: '" + variant
                    + "'. Supported values are: 'video', 'thumbnail', and 'spritesheet'.");
        };
    }

    private SimulatedJob videoJob(String id) {
        SimulatedJob job = simulator.liveJob(id);
        return job != null && job.videos ? job : null;
    }

    /** The spec's {@code VideoResource}: every required field, nullable ones as null. */
    private ObjectNode videoJson(SimulatedJob job) {
        long now = System.currentTimeMillis();
        String status = job.videosStatus(now);
        boolean done = status.equals("completed") || status.equals("failed");
        ObjectNode node = simulator.json.createObjectNode();
        node.put("id", job.id);
        node.put("object", "video");
        node.put("model", job.model);
        node.put("status", status);
        node.put("progress", job.progress(now));
        node.put("created_at", job.createdAtMillis / 1000);
        if (done) {
            node.put("completed_at", job.finishedAtMillis() / 1000);
            node.put("expires_at", job.finishedAtMillis() / 1000 + 86_400);
        } else {
            node.putNull("completed_at");
            node.putNull("expires_at");
        }
        node.put("prompt", job.prompt);
        node.put("size", job.width + "x" + job.height);
        node.put("seconds", Integer.toString(job.nSeconds));
        node.putNull("remixed_from_video_id");
        if (status.equals("failed")) {
            ObjectNode error = node.putObject("error");
            boolean moderation = job.outcome == SimulatedJob.Outcome.FAIL_MODERATION;
            error.put("code", moderation ? "moderation_blocked" : "internal_error");
            error.put("message", moderation ? "Your request was blocked by our moderation system."
                    : "Video generation failed due to an internal error.");
        } else {
            node.putNull("error");
        }
        return node;
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
        ObjectNode body = simulator.json.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        LoopbackHttpServer.Reply reply = simulator.json(status, body);
        if (status == 429) {
            reply.header("Retry-After", "5");
        }
        return reply;
    }
}
