package dev.sorabatch.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A local stand-in for an Azure OpenAI resource with a Sora deployment, speaking the v1-preview jobs API on the
 * wire exactly: {@code api-key} auth, the status sequence, both error envelopes, {@code Retry-After} on 429, the
 * two-running-jobs cap, an optional requests-per-minute quota, and injected faults. It serves a real, playable
 * MP4 and a JPEG thumbnail. It also answers image URLs for {@code --simulate} runs, so nothing leaves the machine.
 *
 * <p>Prompt markers make outcomes deterministic for demos and tests: {@code [fail]} ends the job with
 * {@code internal_error}, {@code [stuck]} keeps it running forever, and any of {@code blockedWords}
 * (default {@code [moderation]}) fails it with {@code input_moderation}.
 */
public class SoraSimulator implements AutoCloseable {

    public static final String IMAGE_PATH = "/_images";
    private static final String API = "/openai/v1/video/generations";
    /** The Videos API, as OpenAI ({@code /v1}) and Azure sora-2 deployments ({@code /openai/v1}) serve it. */
    private static final String VIDEOS_API = "/v1/videos";
    private static final String AZURE_VIDEOS_API = "/openai/v1/videos";
    private static final Set<String> RESOLUTIONS = Set.of("480x480", "480x854", "854x480", "720x720", "720x1280",
            "1280x720", "1080x1080", "1080x1920", "1920x1080");

    final SimulatorSettings settings;
    private final String apiKey;
    final ObjectMapper json = JsonMapper.builder().build();
    final Map<String, SimulatedJob> jobs = new ConcurrentHashMap<>();
    private final Map<String, SimulatedJob> generations = new ConcurrentHashMap<>();
    private final java.util.Set<SimulatedJob> active = new java.util.HashSet<>();
    private final List<SimulatedJob> createdInOrder = Collections.synchronizedList(new ArrayList<>());
    private final Deque<Long> recentRequests = new ArrayDeque<>();
    private final Map<String, AtomicInteger> requestCounts = new ConcurrentHashMap<>();
    private final Random random;
    final byte[] video;
    private final byte[] thumbnail;
    private final byte[] referenceImage;
    private final String lastModified;
    private final VideosApi videos = new VideosApi(this);
    private LoopbackHttpServer server;
    private volatile boolean keyRevoked;
    private volatile int maxConcurrentJobs;
    private volatile long firstCreateNanos;
    private volatile long lastDownloadNanos;

    public SoraSimulator(SimulatorSettings settings, String apiKey) {
        this.settings = settings;
        this.apiKey = apiKey;
        this.random = new Random(settings.getSeed());
        this.video = resource("simulator/sample.mp4");
        this.thumbnail = resource("simulator/thumbnail.jpg");
        this.referenceImage = resource("simulator/reference.jpg");
        this.lastModified = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
    }

    /** Starts listening on a free loopback port. */
    public SoraSimulator start() {
        return start(0);
    }

    public SoraSimulator start(int port) {
        loadState();
        server = new LoopbackHttpServer(this::handle).start(port);
        return this;
    }

    /** Jobs created by earlier simulator processes (within the 24 hours the service keeps them). */
    private void loadState() {
        java.nio.file.Path file = settings.getStateFile();
        if (file == null || !java.nio.file.Files.isRegularFile(file)) {
            return;
        }
        long oldest = System.currentTimeMillis() - 86_400_000L;
        try (var lines = java.nio.file.Files.lines(file)) {
            lines.map(this::parseOrNull).filter(n -> n != null && n.isObject()).forEach(n -> {
                if (n.has("deleted")) {
                    SimulatedJob job = jobs.get(n.get("deleted").asString());
                    if (job != null) {
                        job.deleted = true;
                    }
                    return;
                }
                List<String> gens = new ArrayList<>();
                n.path("generations").forEach(g -> gens.add(g.asString()));
                SimulatedJob job = new SimulatedJob(n.get("id").asString(), n.get("prompt").asString(),
                        n.get("model").asString(), n.get("width").asInt(), n.get("height").asInt(),
                        n.get("n_seconds").asInt(), n.get("n_variants").asInt(), n.path("image_file_name").asString(null),
                        n.get("created_at_ms").asLong(), n.get("duration_ms").asLong(),
                        SimulatedJob.Outcome.valueOf(n.get("outcome").asString()), List.copyOf(gens),
                        n.path("videos").asBoolean(false));
                if (job.createdAtMillis >= oldest) {
                    jobs.put(job.id, job);
                    active.add(job);
                    job.generationIds.forEach(g -> generations.put(g, job));
                }
            });
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the simulator's state file " + file + ": " + e.getMessage(), e);
        }
    }

    synchronized void saveState(ObjectNode line) {
        java.nio.file.Path file = settings.getStateFile();
        if (file == null) {
            return;
        }
        try {
            if (file.toAbsolutePath().getParent() != null) {
                java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
            }
            java.nio.file.Files.writeString(file, json.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void saveJob(SimulatedJob job) {
        ObjectNode line = json.createObjectNode();
        line.put("id", job.id);
        line.put("prompt", job.prompt);
        line.put("model", job.model);
        line.put("width", job.width);
        line.put("height", job.height);
        line.put("n_seconds", job.nSeconds);
        line.put("n_variants", job.nVariants);
        line.put("image_file_name", job.imageFileName);
        line.put("created_at_ms", job.createdAtMillis);
        line.put("duration_ms", job.durationMillis);
        line.put("outcome", job.outcome.name());
        line.put("videos", job.videos);
        ArrayNode gens = line.putArray("generations");
        job.generationIds.forEach(gens::add);
        saveState(line);
    }

    /** The Videos API root, as a user would put it in {@code OPENAI_BASE_URL}. */
    public String videosBaseUrl() {
        return baseUrl() + "/v1";
    }

    /** The resource base URL, as a user would put it in {@code AZURE_SORA_ENDPOINT}. */
    public String baseUrl() {
        return "http://" + server.host() + ":" + server.port();
    }

    public String apiKey() {
        return apiKey;
    }

    /** The simulated resource's request quota (0: none). */
    public int requestsPerMinute() {
        return settings.getRequestsPerMinute();
    }

    /** Every create that produced a job, in order (what would have been paid for). */
    public List<String> createdPrompts() {
        synchronized (createdInOrder) {
            return createdInOrder.stream().map(j -> j.prompt).toList();
        }
    }

    public int requestCount(String kind) {
        AtomicInteger n = requestCounts.get(kind);
        return n == null ? 0 : n.get();
    }

    /** Time from the first create to the last download the simulator saw: the span a run kept it busy. */
    public java.time.Duration busySpan() {
        return java.time.Duration.ofNanos(Math.max(0, lastDownloadNanos - firstCreateNanos));
    }

    /** Every request answered, of every kind. */
    public int totalRequests() {
        return requestCounts.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Forgets every job, as the service does 24 hours after creation: later polls and downloads get 404. */
    public void expireAllJobs() {
        jobs.values().forEach(job -> job.deleted = true);
    }

    /** The most jobs that were running at the same time (counted at each create). */
    public int maxConcurrentJobs() {
        return maxConcurrentJobs;
    }

    /** Simulates the key being rotated at the service: every later call gets 401. */
    public void revokeKey(boolean revoked) {
        this.keyRevoked = revoked;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }

    private LoopbackHttpServer.Reply handle(LoopbackHttpServer.Request request) {
        pause(settings.getLatency().toMillis());
        String path = request.path();
        if (path.startsWith(IMAGE_PATH + "/")) {
            count("image");
            return image(path);
        }
        if (!authorized(request)) {
            count("unauthorized");
            if (path.startsWith(VIDEOS_API)) {
                return error(401, true, "invalid_api_key", "Incorrect API key provided. You can find your API key at "
                        + "https://platform.openai.com/account/api-keys.", null, null);
            }
            return error(401, true, "401", "Access denied due to invalid subscription key or wrong API endpoint. "
                    + "Make sure to provide a valid key for an active subscription and use a correct regional API "
                    + "endpoint for your resource.", null, null);
        }
        Map<String, String> query = query(request.rawQuery());
        String videosPrefix = path.startsWith(VIDEOS_API) ? VIDEOS_API
                : path.startsWith(AZURE_VIDEOS_API) ? AZURE_VIDEOS_API : null;
        if (videosPrefix == null && !path.startsWith(API)) {
            count("not-found");
            return error(404, true, "404", "Resource not found", null, null);
        }
        String apiVersion = query.get("api-version");
        if (videosPrefix == null && (apiVersion == null || !(apiVersion.equals("preview") || apiVersion.equals("v1")))) {
            return error(400, true, "BadRequest", "API version not supported", null, null);
        }
        LoopbackHttpServer.Reply fault = injectFault();
        if (fault != null) {
            return fault;
        }
        Integer retryAfter = quotaExceeded();
        if (retryAfter != null) {
            count("throttled");
            String message = videosPrefix != null
                    ? "Rate limit reached for requests. Please try again in " + retryAfter + "s."
                    : "Requests to the Create Video Generation Job Operation under Azure OpenAI API version preview "
                            + "have exceeded call rate limit of your current AIServices S0 pricing tier. Please retry "
                            + "after " + retryAfter + " seconds.";
            return error(429, true, videosPrefix != null ? "rate_limit_exceeded" : "429", message, null, retryAfter);
        }
        if (videosPrefix != null) {
            return videos.route(request, path.substring(videosPrefix.length()), query);
        }
        return route(request, path.substring(API.length()), query);
    }

    private LoopbackHttpServer.Reply route(LoopbackHttpServer.Request request, String rest, Map<String, String> query) {
        String method = request.method();
        if (rest.equals("/jobs") && method.equals("POST")) {
            count("create");
            return create(request);
        }
        if (rest.equals("/jobs") && method.equals("GET")) {
            count("list");
            return list(query);
        }
        if (rest.startsWith("/jobs/") && method.equals("GET")) {
            count("poll");
            SimulatedJob job = liveJob(rest.substring("/jobs/".length()));
            return job == null ? error(404, false, "NotFound", "The specified job was not found.", null, null)
                    : json(200, jobJson(job));
        }
        if (rest.startsWith("/jobs/") && method.equals("DELETE")) {
            count("delete");
            SimulatedJob job = liveJob(rest.substring("/jobs/".length()));
            if (job == null) {
                return error(404, false, "NotFound", "The specified job was not found.", null, null);
            }
            job.deleted = true;
            saveState(json.createObjectNode().put("deleted", job.id));
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
            List<Multipart.Part> parts = Multipart.parse(request.body(), Multipart.boundary(contentType));
            List<String> fileNames = new ArrayList<>();
            for (Multipart.Part part : parts) {
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
            JsonNode items = parseOrNull(fields.get("inpaint_items"));
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
            JsonNode node = parseOrNull(new String(request.body(), StandardCharsets.UTF_8));
            if (node == null || !node.isObject()) {
                return validation(null, "The request body must be a JSON object.");
            }
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                fields.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asString() : e.getValue().toString());
            }
        }
        String model = fields.get("model");
        String prompt = fields.get("prompt");
        if (model == null || model.isBlank()) {
            return validation("model", "Missing required parameter: 'model'.");
        }
        if (!model.equals(settings.getDeployment())) {
            return error(404, true, "DeploymentNotFound", "The API deployment for this resource does not exist. If you "
                    + "created the deployment within the last 5 minutes, please wait a moment and try again.", null,
                    null);
        }
        if (prompt == null || prompt.isBlank()) {
            return validation("prompt", "Missing required parameter: 'prompt'.");
        }
        Integer width = integer(fields.get("width"));
        Integer height = integer(fields.get("height"));
        Integer seconds = integer(fields.getOrDefault("n_seconds", "5"));
        Integer variants = integer(fields.getOrDefault("n_variants", "1"));
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
        final Integer w = width;
        final Integer h = height;
        final Integer n = seconds;
        final Integer v = variants;
        final String image = imageFileName;
        SimulatedJob job = admit(now -> newJob(prompt, model, w, h, n, v, image, now));
        if (job == null) {
            return error(429, true, "too_many_requests", "Too many running tasks", null, 5);
        }
        LoopbackHttpServer.Reply lost = lostCreateAnswer();
        return lost != null ? lost : json(200, jobJson(job));
    }

    /**
     * Starts a job if the resource has room for one more running job (else null, counted as too-many-running),
     * and records it, in memory and in the state file.
     */
    synchronized SimulatedJob admit(java.util.function.LongFunction<SimulatedJob> create) {
        long now = System.currentTimeMillis();
        // Only jobs that may still be running are kept here, so the count stays cheap after 100,000 jobs.
        active.removeIf(j -> !j.isRunning(now));
        long running = active.size();
        if (running >= settings.getMaxRunningJobs()) {
            count("too-many-running");
            return null;
        }
        if (firstCreateNanos == 0) {
            firstCreateNanos = System.nanoTime();
        }
        maxConcurrentJobs = (int) Math.max(maxConcurrentJobs, running + 1);
        SimulatedJob job = create.apply(now);
        jobs.put(job.id, job);
        active.add(job);
        job.generationIds.forEach(g -> generations.put(g, job));
        createdInOrder.add(job);
        saveJob(job);
        return job;
    }

    /** A create that was made but whose answer is lost: the connection drops, or a gateway answers 504. */
    LoopbackHttpServer.Reply lostCreateAnswer() {
        if (!chance(settings.getLostCreateResponseRate())) {
            return null;
        }
        count("lost-create-response");
        return chance(0.5) ? dropped() : error(504, true, "GatewayTimeout", "The gateway did not receive a "
                + "timely response from the upstream server.", null, null);
    }

    /** What will become of a job: prompt markers first, then the configured failure rate. */
    SimulatedJob.Outcome outcomeFor(String prompt) {
        String lower = prompt.toLowerCase(Locale.ROOT);
        if (settings.getBlockedWords().stream().anyMatch(w -> !w.isBlank() && lower.contains(w.toLowerCase(Locale.ROOT)))) {
            return SimulatedJob.Outcome.FAIL_MODERATION;
        }
        if (lower.contains("[stuck]")) {
            return SimulatedJob.Outcome.STUCK;
        }
        if (lower.contains("[fail]") || chance(settings.getJobFailureRate())) {
            return SimulatedJob.Outcome.FAIL_INTERNAL;
        }
        return SimulatedJob.Outcome.SUCCEED;
    }

    private SimulatedJob newJob(String prompt, String model, int width, int height, int seconds, int variants,
            String imageFileName, long now) {
        SimulatedJob.Outcome outcome = outcomeFor(prompt);
        List<String> generationIds = new ArrayList<>();
        for (int i = 0; i < variants; i++) {
            generationIds.add("gen_" + ulid());
        }
        return new SimulatedJob("task_" + ulid(), prompt, model, width, height, seconds, variants, imageFileName, now,
                settings.getJobDuration().toMillis(), outcome, List.copyOf(generationIds), false);
    }

    private LoopbackHttpServer.Reply list(Map<String, String> query) {
        Integer limit = integer(query.get("limit"));
        if (limit == null || limit < 1) {
            return validation("limit", "limit is required and must be a positive integer.");
        }
        List<SimulatedJob> newestFirst = new ArrayList<>(jobs.values());
        newestFirst.removeIf(j -> j.deleted || j.videos);
        newestFirst.sort(java.util.Comparator.comparingLong((SimulatedJob j) -> j.createdAtMillis).reversed());
        List<SimulatedJob> page = newestFirst.subList(0, Math.min(limit, newestFirst.size()));
        ObjectNode body = json.createObjectNode();
        body.put("object", "list");
        ArrayNode data = body.putArray("data");
        page.forEach(j -> data.add(jobJson(j)));
        body.put("has_more", newestFirst.size() > page.size());
        body.put("first_id", page.isEmpty() ? null : page.get(0).id);
        body.put("last_id", page.isEmpty() ? null : page.get(page.size() - 1).id);
        return json(200, body);
    }

    private LoopbackHttpServer.Reply content(String generationId, String kind) {
        SimulatedJob job = generations.get(generationId);
        if (job == null || job.deleted || !job.status(System.currentTimeMillis()).equals("succeeded")) {
            return error(404, false, "NotFound", "The specified generation was not found.", null, null);
        }
        return file(kind.equals("video") ? video : thumbnail, kind.equals("video") ? "video/mp4" : "image/jpg");
    }

    /** A download: counted, sometimes cut short (the truncated-download fault). */
    LoopbackHttpServer.Reply file(byte[] body, String contentType) {
        count("download");
        lastDownloadNanos = System.nanoTime();
        LoopbackHttpServer.Reply reply = new LoopbackHttpServer.Reply();
        reply.body = body;
        reply.header("Content-Type", contentType)
                .header("last-modified", lastModified).header("accept-ranges", "bytes")
                .header("apim-request-id", UUID.randomUUID().toString());
        if (chance(settings.getTruncatedDownloadRate())) {
            count("truncated");
            reply.truncate = true;
        }
        return reply;
    }

    /** Stands in for the web for {@code --simulate}: any image URL gets a JPEG, except tell-tale names. */
    private LoopbackHttpServer.Reply image(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        LoopbackHttpServer.Reply reply = new LoopbackHttpServer.Reply();
        if (lower.contains("missing") || lower.contains("404")) {
            reply.status = 404;
            reply.body = "<html><body>Not Found</body></html>".getBytes(StandardCharsets.UTF_8);
            return reply.header("Content-Type", "text/html");
        }
        if (lower.contains("huge")) {
            // Announces 5 GB, sends a little, hangs up: a client must refuse on the announced size.
            reply.body = referenceImage;
            reply.truncate = true;
            return reply.header("Content-Type", "image/jpeg").header("Content-Length", "5368709120");
        }
        if (lower.contains("html")) {
            reply.body = "<!doctype html><html><body>Sign in to view this image</body></html>"
                    .getBytes(StandardCharsets.UTF_8);
            return reply.header("Content-Type", "image/jpeg");
        }
        reply.body = referenceImage;
        return reply.header("Content-Type", "image/jpeg");
    }

    private LoopbackHttpServer.Reply injectFault() {
        if (chance(settings.getConnectionResetRate())) {
            count("reset");
            return dropped();
        }
        if (chance(settings.getServerErrorRate())) {
            count("server-error");
            if (chance(0.5)) {
                return error(500, true, "InternalServerError", "The server had an error while processing your "
                        + "request. Sorry about that!", null, null);
            }
            return error(503, true, "ServiceUnavailable", "The service is temporarily unable to process your request. "
                    + "Please try again later.", null, chance(0.5) ? 1 : null);
        }
        if (chance(settings.getThrottleRate())) {
            count("throttled");
            // Half of them without Retry-After: "may be omitted", and the client must back off on its own.
            return error(429, true, "429", "Rate limit is exceeded. Try again in 1 seconds.", null, chance(0.5) ? 1 : null);
        }
        if (chance(settings.getSlowResponseRate())) {
            count("slow");
            pause(settings.getSlowResponseDelay().toMillis());
        }
        return null;
    }

    /** Sliding one-minute window over requests; returns the Retry-After seconds when over quota. */
    private synchronized Integer quotaExceeded() {
        int rpm = settings.getRequestsPerMinute();
        if (rpm <= 0) {
            return null;
        }
        long now = System.currentTimeMillis();
        while (!recentRequests.isEmpty() && recentRequests.peekFirst() <= now - 60_000) {
            recentRequests.pollFirst();
        }
        if (recentRequests.size() >= rpm) {
            long wait = recentRequests.peekFirst() + 60_000 - now;
            return (int) Math.max(1, (wait + 999) / 1000);
        }
        recentRequests.addLast(now);
        return null;
    }

    private boolean authorized(LoopbackHttpServer.Request request) {
        if (keyRevoked) {
            return false;
        }
        String key = request.header("api-key");
        if (key == null) {
            String authorization = request.header("Authorization");
            if (authorization != null && authorization.startsWith("Bearer ")) {
                key = authorization.substring("Bearer ".length());
            }
        }
        return apiKey.equals(key);
    }

    SimulatedJob liveJob(String id) {
        SimulatedJob job = jobs.get(id);
        return job == null || job.deleted ? null : job;
    }

    private ObjectNode jobJson(SimulatedJob job) {
        long now = System.currentTimeMillis();
        String status = job.status(now);
        boolean done = status.equals("succeeded") || status.equals("failed");
        ObjectNode node = json.createObjectNode();
        node.put("object", "video.generation.job");
        node.put("id", job.id);
        node.put("status", status);
        node.put("created_at", job.createdAtMillis / 1000);
        if (done) {
            node.put("finished_at", job.finishedAtMillis() / 1000);
            node.put("expires_at", job.createdAtMillis / 1000 + 86_400);
        } else {
            node.putNull("finished_at");
            node.putNull("expires_at");
        }
        ArrayNode generationsNode = node.putArray("generations");
        if (status.equals("succeeded")) {
            for (String generationId : job.generationIds) {
                ObjectNode g = generationsNode.addObject();
                g.put("object", "video.generation");
                g.put("id", generationId);
                g.put("job_id", job.id);
                g.put("created_at", job.finishedAtMillis() / 1000);
                g.put("width", job.width);
                g.put("height", job.height);
                g.put("n_seconds", job.nSeconds);
                g.put("prompt", job.prompt);
            }
        }
        node.put("prompt", job.prompt);
        node.put("model", job.model);
        node.put("n_variants", job.nVariants);
        node.put("n_seconds", job.nSeconds);
        node.put("height", job.height);
        node.put("width", job.width);
        if (job.imageFileName != null) {
            ArrayNode items = node.putArray("inpaint_items");
            ObjectNode item = items.addObject();
            item.put("frame_index", 0);
            item.put("type", "image");
            item.put("file_name", job.imageFileName);
        } else {
            node.putNull("inpaint_items");
        }
        if (status.equals("failed")) {
            node.put("failure_reason", job.failureReason());
        } else {
            node.putNull("failure_reason");
        }
        return node;
    }

    LoopbackHttpServer.Reply validation(String param, String message) {
        count("rejected");
        return error(400, false, "invalid_request", message, param, null);
    }

    /**
     * An error in one of the two envelopes the service uses: the general Azure {@code {"error":{...}}} or the
     * video spec's top-level {@code {code, message, param, type}}.
     */
    LoopbackHttpServer.Reply error(int status, boolean platformError, String code, String message,
            String param, Integer retryAfterSeconds) {
        boolean wrapped = switch (settings.getErrorEnvelope()) {
            case "wrapped" -> true;
            case "top-level" -> false;
            case "random" -> chance(0.5);
            default -> platformError;
        };
        ObjectNode fields = json.createObjectNode();
        fields.put("code", code);
        fields.put("message", message);
        fields.put("param", param);
        fields.put("type", status == 429 ? "rate_limit_error" : status >= 500 ? "server_error" : "invalid_request_error");
        ObjectNode body = fields;
        if (wrapped) {
            body = json.createObjectNode();
            body.set("error", fields);
        }
        LoopbackHttpServer.Reply reply = json(status, body);
        if (retryAfterSeconds != null) {
            reply.header("Retry-After", Integer.toString(retryAfterSeconds));
            reply.header("retry-after-ms", Integer.toString(retryAfterSeconds * 1000));
        }
        return reply;
    }

    LoopbackHttpServer.Reply json(int status, JsonNode body) {
        LoopbackHttpServer.Reply reply = new LoopbackHttpServer.Reply();
        reply.status = status;
        reply.body = json.writeValueAsBytes(body);
        return reply.header("Content-Type", "application/json").header("apim-request-id", UUID.randomUUID().toString());
    }

    private static LoopbackHttpServer.Reply dropped() {
        LoopbackHttpServer.Reply reply = new LoopbackHttpServer.Reply();
        reply.drop = true;
        return reply;
    }

    synchronized boolean chance(double probability) {
        return probability > 0 && random.nextDouble() < probability;
    }

    void count(String kind) {
        requestCounts.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    }

    /** Ids unique across simulator restarts (like the service's), independent of the fault seed. */
    static String ulid() {
        String chars = "0123456789abcdefghjkmnpqrstvwxyz";
        StringBuilder sb = new StringBuilder("01");
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        for (int i = 0; i < 24; i++) {
            sb.append(chars.charAt(r.nextInt(chars.length())));
        }
        return sb.toString();
    }

    JsonNode parseOrNull(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static Integer integer(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(key, value);
        }
        return params;
    }

    private static void pause(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static byte[] resource(String name) {
        try (InputStream in = SoraSimulator.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing simulator resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
