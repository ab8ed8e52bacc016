package dev.sorabatch.provider.azure;

import dev.sorabatch.provider.sora.SoraDiagnoses;
import dev.sorabatch.provider.sora.SoraErrors;
import dev.sorabatch.service.ServiceDiagnoses;
import dev.sorabatch.service.ServiceTraits;
import dev.sorabatch.service.ServiceTraits.Input;
import dev.sorabatch.http.ApiKey;
import dev.sorabatch.http.CredentialScope;
import dev.sorabatch.http.HttpDeadlines;
import dev.sorabatch.http.ServiceHttp;
import dev.sorabatch.service.ContentKind;
import dev.sorabatch.service.CreateVideoRequest;
import dev.sorabatch.service.Operation;
import dev.sorabatch.service.Provider;
import dev.sorabatch.service.ReferenceImage;
import dev.sorabatch.service.RequestRateLimiter;
import dev.sorabatch.service.VideoJob;
import dev.sorabatch.service.VideoService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Azure OpenAI Sora "v1 preview" jobs API ({@code /openai/v1/video/generations/...}): {@code api-key} auth,
 * width/height/n_seconds/n_variants, statuses {@code queued … succeeded|failed|cancelled}, one video and one JPEG
 * thumbnail per generation.
 */
public class AzureSoraClient implements VideoService {

    private static final MediaType JSON = MediaType.get("application/json");
    /** Azure lists jobs (a lost create is found again), gives a JPEG thumbnail per generation, and counts every
     * call against the deployment's requests per minute. */
    static final ServiceTraits TRAITS = new ServiceTraits(true, true, java.util.EnumSet.of(Input.TEXT, Input.IMAGE,
            Input.DURATION, Input.SIZE, Input.VARIANTS), null, null, true);

    private final AzureEndpoint endpoint;
    private final String deployment;
    private final ServiceHttp http;
    private final ObjectMapper json;

    public AzureSoraClient(AzureEndpoint endpoint, ApiKey apiKey, String deployment, OkHttpClient http,
            ObjectMapper json) {
        this(endpoint, apiKey, deployment, http, json, RequestRateLimiter.unlimited());
    }

    public AzureSoraClient(AzureEndpoint endpoint, ApiKey apiKey, String deployment, OkHttpClient http,
            ObjectMapper json, RequestRateLimiter limiter) {
        this(endpoint, apiKey, deployment, http, json, limiter, HttpDeadlines.DEFAULT);
    }

    public AzureSoraClient(AzureEndpoint endpoint, ApiKey apiKey, String deployment, OkHttpClient http,
            ObjectMapper json, RequestRateLimiter limiter, HttpDeadlines deadlines) {
        this.endpoint = endpoint;
        this.deployment = deployment;
        // the key goes to the resource's own origin only, redirects included
        this.http = new ServiceHttp(http, json, limiter, CredentialScope.of(endpoint.base(), "api-key", apiKey.value()),
                deadlines, endpoint.base().host(), new SoraErrors(json));
        this.json = json;
    }

    public AzureEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public Provider provider() {
        return Provider.AZURE_SORA;
    }

    @Override
    public ServiceTraits traits() {
        return TRAITS;
    }

    @Override
    public ServiceDiagnoses diagnoses() {
        return SoraDiagnoses.AZURE;
    }

    @Override
    public String deployment() {
        return deployment;
    }

    @Override
    public String describe() {
        return endpoint.describe();
    }

    @Override
    public VideoJob create(CreateVideoRequest request) {
        RequestBody body = request.image() == null ? jsonBody(request) : multipartBody(request);
        return job(http.create(request(endpoint.jobs()).post(body).build()));
    }

    @Override
    public VideoJob get(String jobId, String handle) {
        return job(http.call(Operation.POLL, request(endpoint.job(jobId)).get().build()));
    }

    @Override
    public List<VideoJob> list(int limit) {
        JsonNode page = http.call(Operation.LIST, request(endpoint.listJobs(limit)).get().build()).body();
        List<VideoJob> jobs = new ArrayList<>();
        for (JsonNode node : page.path("data")) {
            jobs.add(AzureJobs.from(node));
        }
        return jobs;
    }

    @Override
    public void cancel(String jobId, String handle) {
        http.delete(request(endpoint.job(jobId)).delete().build());
    }

    @Override
    public long download(String generationId, ContentKind kind, Path target) {
        return http.download(kind.operation(),
                request(endpoint.generationContent(generationId, kind.segment())).get().build(), target);
    }

    @Override
    public String extension(ContentKind kind) {
        return kind == ContentKind.VIDEO ? "mp4" : "jpg";
    }

    private static VideoJob job(ServiceHttp.Answer answer) {
        return AzureJobs.from(answer.body()).withAnswer(answer.requestId(), answer.pollHint());
    }

    private Request.Builder request(HttpUrl url) {
        return new Request.Builder().url(url).header("Accept", "application/json")
                .header("User-Agent", "sora-batch");
    }

    private RequestBody jsonBody(CreateVideoRequest request) {
        ObjectNode body = json.createObjectNode();
        body.put("model", request.modelOr(deployment));
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
                .addFormDataPart("model", request.modelOr(deployment))
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
}
