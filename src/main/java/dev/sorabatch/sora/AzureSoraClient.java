package dev.sorabatch.sora;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.sorabatch.files.AtomicFiles;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Azure OpenAI Sora "v1 preview" jobs API ({@code /openai/v1/video/generations/...}). One method per call,
 * one attempt per method: retrying is the caller's decision, because only the caller knows whether a second
 * create could pay twice.
 */
public class AzureSoraClient {

    private static final MediaType JSON = MediaType.get("application/json");
    private static final long MAX_BODY_BYTES = 16L * 1024 * 1024;

    private final AzureEndpoint endpoint;
    private final ApiKey apiKey;
    private final String deployment;
    private final OkHttpClient http;
    private final OkHttpClient createHttp;
    private final ObjectMapper json;
    private final RequestRateLimiter limiter;

    public AzureSoraClient(AzureEndpoint endpoint, ApiKey apiKey, String deployment, OkHttpClient http,
            ObjectMapper json) {
        this(endpoint, apiKey, deployment, http, json, RequestRateLimiter.unlimited());
    }

    public AzureSoraClient(AzureEndpoint endpoint, ApiKey apiKey, String deployment, OkHttpClient http,
            ObjectMapper json, RequestRateLimiter limiter) {
        this.limiter = limiter;
        this.endpoint = endpoint;
        this.apiKey = apiKey;
        this.deployment = deployment;
        this.http = http;
        // OkHttp silently re-sends a request on some connection failures; for a paid create that could submit
        // the same video twice, so creates fail loudly instead and the caller checks for an orphan job.
        this.createHttp = http.newBuilder().retryOnConnectionFailure(false).build();
        this.json = json;
    }

    public AzureEndpoint endpoint() {
        return endpoint;
    }

    public String deployment() {
        return deployment;
    }

    public VideoJob create(CreateVideoRequest request) {
        RequestBody body = request.image() == null ? jsonBody(request) : multipartBody(request);
        Request call = authorized(endpoint.jobs()).post(body).build();
        return callForJob(createHttp, Operation.CREATE, call);
    }

    public VideoJob get(String jobId) {
        return callForJob(http, Operation.POLL, authorized(endpoint.job(jobId)).get().build());
    }

    /** The most recent jobs, newest first (the service's order). */
    public List<VideoJob> list(int limit) {
        JsonNode page = callForJson(http, Operation.LIST, authorized(endpoint.listJobs(limit)).get().build()).body();
        List<VideoJob> jobs = new ArrayList<>();
        for (JsonNode node : page.path("data")) {
            jobs.add(VideoJob.from(node));
        }
        return jobs;
    }

    public void delete(String jobId) {
        Request call = authorized(endpoint.job(jobId)).delete().build();
        try (Response response = execute(http, call)) {
            if (!response.isSuccessful() && response.code() != 404) {
                throw ApiErrors.fromResponse(Operation.DELETE, response, bodyText(response), json);
            }
        } catch (IOException e) {
            throw NetworkFaults.of(Operation.DELETE, endpoint.base().host(), e);
        }
    }

    /** Streams one generation's video or thumbnail to {@code target}, atomically, checking its length. */
    public long download(String generationId, ContentKind kind, Path target) {
        Request call = authorized(endpoint.generationContent(generationId, kind.segment())).get().build();
        try (Response response = execute(http, call)) {
            if (!response.isSuccessful()) {
                throw ApiErrors.fromResponse(kind.operation(), response, bodyText(response), json);
            }
            ResponseBody body = response.body();
            return AtomicFiles.copy(body.byteStream(), target, body.contentLength());
        } catch (IOException e) {
            throw NetworkFaults.of(kind.operation(), endpoint.base().host(), e);
        }
    }

    /** A JSON answer with what its headers said. */
    private record Answer(JsonNode body, String requestId, java.time.Duration pollHint) {
    }

    private VideoJob callForJob(OkHttpClient client, Operation operation, Request call) {
        Answer answer = callForJson(client, operation, call);
        return VideoJob.from(answer.body()).withAnswer(answer.requestId(), answer.pollHint());
    }

    private Answer callForJson(OkHttpClient client, Operation operation, Request call) {
        try (Response response = execute(client, call)) {
            String body = bodyText(response);
            if (!response.isSuccessful()) {
                throw ApiErrors.fromResponse(operation, response, body, json);
            }
            JsonNode node = Json.parseOrNull(json, body);
            if (node == null || !node.isObject()) {
                throw new SoraApiException(ErrorKind.TRANSIENT, operation.label(), response.code(), null,
                        "the answer was not the JSON object the API documents", null, ApiErrors.requestId(response),
                        ApiErrors.excerpt(body), null, null);
            }
            return new Answer(node, ApiErrors.requestId(response), ApiErrors.pollHint(response));
        } catch (IOException e) {
            throw NetworkFaults.of(operation, endpoint.base().host(), e);
        }
    }

    /** Every call: paced by the endpoint's rate limiter, which also learns from the answer. */
    private Response execute(OkHttpClient client, Request call) throws IOException {
        try {
            limiter.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for the request quota");
        }
        Response response = client.newCall(call).execute();
        if (response.code() == 429 && !isServiceFull(response)) {
            limiter.onThrottled(ApiErrors.retryAfter(response));
        } else if (response.isSuccessful()) {
            limiter.onSuccess();
        }
        return response;
    }

    /** "Too many running tasks" is about running jobs, not request rate: it must not slow polling down. */
    private static boolean isServiceFull(Response response) {
        try {
            return response.peekBody(4096).string().toLowerCase(java.util.Locale.ROOT).contains("too many running tasks");
        } catch (IOException e) {
            return false;
        }
    }

    private Request.Builder authorized(HttpUrl url) {
        return new Request.Builder().url(url).header("api-key", apiKey.value()).header("Accept", "application/json")
                .header("User-Agent", "sora-batch");
    }

    private RequestBody jsonBody(CreateVideoRequest request) {
        ObjectNode body = json.createObjectNode();
        body.put("model", deployment);
        body.put("prompt", request.prompt());
        body.put("width", request.width());
        body.put("height", request.height());
        body.put("n_seconds", request.nSeconds());
        body.put("n_variants", request.nVariants());
        return RequestBody.create(json.writeValueAsString(body), JSON);
    }

    /** The quickstart's shape: numbers as strings, {@code inpaint_items} as a JSON string, one {@code files} part. */
    private RequestBody multipartBody(CreateVideoRequest request) {
        ReferenceImage image = request.image();
        ArrayNode inpaintItems = json.createArrayNode();
        ObjectNode item = inpaintItems.addObject();
        item.put("frame_index", 0);
        item.put("type", "image");
        item.put("file_name", image.fileName());
        return new MultipartBody.Builder().setType(MultipartBody.FORM)
                .addFormDataPart("model", deployment)
                .addFormDataPart("prompt", request.prompt())
                .addFormDataPart("width", Integer.toString(request.width()))
                .addFormDataPart("height", Integer.toString(request.height()))
                .addFormDataPart("n_seconds", Integer.toString(request.nSeconds()))
                .addFormDataPart("n_variants", Integer.toString(request.nVariants()))
                .addFormDataPart("inpaint_items", json.writeValueAsString(inpaintItems))
                .addFormDataPart("files", image.fileName(),
                        RequestBody.create(image.bytes(), MediaType.get(image.mediaType())))
                .build();
    }

    private static String bodyText(Response response) throws IOException {
        // Cap what is held in memory, so a misbehaving proxy cannot flood it.
        BufferedSource source = response.body().source();
        source.request(MAX_BODY_BYTES);
        return source.getBuffer().readUtf8(Math.min(source.getBuffer().size(), MAX_BODY_BYTES));
    }
}
