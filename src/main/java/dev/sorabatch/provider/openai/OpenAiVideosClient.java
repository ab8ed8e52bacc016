package dev.sorabatch.provider.openai;

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
import java.util.Locale;

import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Videos API ({@code POST /videos}, {@code GET /videos/{id}}, {@code GET /videos/{id}/content?variant=…}) as
 * OpenAI, Azure {@code sora-2} deployments ({@code …/openai/v1}) and OpenAI-compatible gateways serve it.
 * {@code seconds} goes as a string and {@code size} as {@code WxH}; values the published enums do not list pass
 * through, since gateways and newer models accept more. An image row is sent as multipart with an
 * {@code input_reference} file part. One video per job: a row asking for several variants is refused before it is
 * sent ({@code RowValidator}).
 */
public class OpenAiVideosClient implements VideoService {

    /** How the key is presented: OpenAI and gateways take a bearer token, Azure resources an {@code api-key}. */
    public enum Auth { BEARER, API_KEY }

    private static final MediaType JSON = MediaType.get("application/json");
    /** The Videos API lists videos (a lost create is found again), has thumbnails, one video per request. */
    static final ServiceTraits TRAITS = new ServiceTraits(true, true, java.util.EnumSet.of(Input.TEXT, Input.IMAGE,
            Input.DURATION, Input.SIZE), null, null, true);

    private final HttpUrl base;
    private final String model;
    private final ServiceHttp http;
    private final ObjectMapper json;

    /** @param base the API root that {@code /videos} hangs from, e.g. {@code https://api.openai.com/v1} */
    public OpenAiVideosClient(HttpUrl base, ApiKey apiKey, Auth auth, String model, OkHttpClient http,
            ObjectMapper json, RequestRateLimiter limiter) {
        this(base, apiKey, auth, model, http, json, limiter, HttpDeadlines.DEFAULT);
    }

    public OpenAiVideosClient(HttpUrl base, ApiKey apiKey, Auth auth, String model, OkHttpClient http,
            ObjectMapper json, RequestRateLimiter limiter, HttpDeadlines deadlines) {
        this.base = base;
        this.model = model;
        // the key goes to the API root's own origin only, redirects included
        CredentialScope scope = auth == Auth.API_KEY ? CredentialScope.of(base, "api-key", apiKey.value())
                : CredentialScope.of(base, "Authorization", "Bearer " + apiKey.value());
        this.http = new ServiceHttp(http, json, limiter, scope, deadlines, base.host(), new SoraErrors(json));
        this.json = json;
    }

    /** Azure hosts take the key as {@code api-key}; everything else as a bearer token. */
    public static Auth authFor(HttpUrl base) {
        String host = base.host().toLowerCase(Locale.ROOT);
        return host.endsWith(".openai.azure.com") || host.endsWith(".cognitiveservices.azure.com")
                || host.endsWith(".services.ai.azure.com") ? Auth.API_KEY : Auth.BEARER;
    }

    @Override
    public Provider provider() {
        return Provider.OPENAI_VIDEOS;
    }

    @Override
    public ServiceTraits traits() {
        return TRAITS;
    }

    @Override
    public ServiceDiagnoses diagnoses() {
        return SoraDiagnoses.VIDEOS;
    }

    @Override
    public String deployment() {
        return model;
    }

    @Override
    public String describe() {
        return base.toString();
    }

    @Override
    public VideoJob create(CreateVideoRequest request) {
        RequestBody body = request.image() == null ? jsonBody(request) : multipartBody(request);
        return job(http.create(request(videos().build()).post(body).build()));
    }

    @Override
    public VideoJob get(String jobId, String handle) {
        return job(http.call(Operation.POLL, request(videos().addPathSegment(jobId).build()).get().build()));
    }

    @Override
    public List<VideoJob> list(int limit) {
        HttpUrl url = videos().addQueryParameter("limit", Integer.toString(Math.min(limit, 100)))
                .addQueryParameter("order", "desc").build();
        JsonNode page = http.call(Operation.LIST, request(url).get().build()).body();
        List<VideoJob> jobs = new ArrayList<>();
        for (JsonNode node : page.path("data")) {
            jobs.add(VideosJobs.from(node));
        }
        return jobs;
    }

    @Override
    public void cancel(String jobId, String handle) {
        http.delete(request(videos().addPathSegment(jobId).build()).delete().build());
    }

    @Override
    public long download(String videoId, ContentKind kind, Path target) {
        HttpUrl url = videos().addPathSegment(videoId).addPathSegment("content")
                .addQueryParameter("variant", kind.segment()).build();
        // the spec's media types for the content, so a content-negotiating server or proxy answers
        String accept = kind == ContentKind.VIDEO ? "video/mp4" : "image/webp";
        return http.download(kind.operation(), request(url).header("Accept", accept).get().build(), target);
    }

    @Override
    public String extension(ContentKind kind) {
        return kind == ContentKind.VIDEO ? "mp4" : "webp";
    }

    private HttpUrl.Builder videos() {
        return base.newBuilder().addPathSegment("videos");
    }

    private static VideoJob job(ServiceHttp.Answer answer) {
        return VideosJobs.from(answer.body()).withAnswer(answer.requestId(), answer.pollHint());
    }

    private Request.Builder request(HttpUrl url) {
        return new Request.Builder().url(url).header("Accept", "application/json").header("User-Agent", "sora-batch");
    }

    private RequestBody jsonBody(CreateVideoRequest request) {
        ObjectNode body = json.createObjectNode();
        body.put("model", request.modelOr(model));
        body.put("prompt", request.prompt());
        body.put("seconds", Integer.toString(request.nSeconds()));
        body.put("size", request.size());
        return RequestBody.create(json.writeValueAsString(body), JSON);
    }

    private RequestBody multipartBody(CreateVideoRequest request) {
        ReferenceImage image = request.image();
        return new MultipartBody.Builder().setType(MultipartBody.FORM)
                .addFormDataPart("model", request.modelOr(model))
                .addFormDataPart("prompt", request.prompt())
                .addFormDataPart("seconds", Integer.toString(request.nSeconds()))
                .addFormDataPart("size", request.size())
                .addFormDataPart("input_reference", image.fileName(),
                        RequestBody.create(image.bytes(), MediaType.get(image.mediaType())))
                .build();
    }
}
