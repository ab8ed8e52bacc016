package dev.sorabatch.provider.fal;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;

import dev.sorabatch.http.ApiErrors;
import dev.sorabatch.http.ApiKey;
import dev.sorabatch.http.CredentialScope;
import dev.sorabatch.http.HttpDeadlines;
import dev.sorabatch.http.Json;
import dev.sorabatch.http.ServiceHttp;
import dev.sorabatch.i18n.Messages;
import dev.sorabatch.service.ContentKind;
import dev.sorabatch.service.CreateVideoRequest;
import dev.sorabatch.service.ErrorKind;
import dev.sorabatch.service.Operation;
import dev.sorabatch.service.Provider;
import dev.sorabatch.service.RequestRateLimiter;
import dev.sorabatch.service.ServiceDiagnoses;
import dev.sorabatch.service.ServiceException;
import dev.sorabatch.service.ServiceTraits;
import dev.sorabatch.service.ServiceTraits.Input;
import dev.sorabatch.service.VideoJob;
import dev.sorabatch.service.VideoService;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import tools.jackson.databind.ObjectMapper;

/**
 * The fal.ai queue (shared/providers-api.md §3): {@code POST {queue}/{model id}} with the model's JSON input, then
 * the {@code status_url}, {@code response_url} and {@code cancel_url} its answer names, followed as given (they drop
 * the model's sub-path). {@code Authorization: Key …} goes to the queue and the platform API only: never to the
 * video's CDN, and a URL fal answers on another host is not called at all (the row fails, naming the host). The
 * result is fetched the moment a status says {@code COMPLETED}, since fal keeps it only minutes. No thumbnails; one
 * video per request. A lost submit is found in the platform API's request list by its exact {@code json_input}.
 */
public class FalQueueClient implements VideoService {

    public static final String DEFAULT_MODEL = "fal-ai/veo3.1/fast";
    public static final String DEFAULT_QUEUE_URL = "https://queue.fal.run";
    public static final String DEFAULT_API_URL = "https://api.fal.ai/v1";

    private static final MediaType JSON = MediaType.get("application/json");
    /** fal lists requests (a lost submit is found again), makes no thumbnails, has no request quota. */
    static final ServiceTraits TRAITS = new ServiceTraits(true, false, EnumSet.of(Input.TEXT, Input.IMAGE_URL,
            Input.DURATION, Input.ASPECT_RATIO_AND_RESOLUTION, Input.NEGATIVE_PROMPT, Input.SEED,
            Input.MODEL_PARAMETERS), null, null, false);
    /** The request list's page (its maximum), and how many pages one search reads at most. */
    static final int PAGE = 100;
    static final int MAX_PAGES = 10;
    /** The request list's own default window; a plain listing asks for it. */
    private static final Duration LIST_WINDOW = Duration.ofHours(24);

    private final HttpUrl queue;
    private final HttpUrl api;
    private final String model;
    private final OkHttpClient http;
    private final ObjectMapper json;
    private final HttpDeadlines deadlines;
    private final FalErrors errors;
    private final ServiceHttp queueHttp;
    private final FalRequestList requestList;
    private final RequestRateLimiter limiter;
    private final String key;
    /** Status URLs fal answered on another port of its host or another of its domains, by origin. */
    private final java.util.Map<String, ServiceHttp> followed = new java.util.concurrent.ConcurrentHashMap<>();
    /** fal's own domains: {@code queue.fal.run}, the backup {@code queue.falrun.com}, {@code api.fal.ai}. */
    private static final List<String> FAL_DOMAINS = List.of("fal.run", "falrun.com", "fal.ai");

    /**
     * @param queue the queue's root ({@code FAL_QUEUE_URL}); every status, result and cancel URL must be on its origin
     * @param api the platform API's root ({@code FAL_API_URL}), for the request list
     */
    public FalQueueClient(HttpUrl queue, HttpUrl api, ApiKey key, String model, OkHttpClient http, ObjectMapper json,
            RequestRateLimiter limiter, HttpDeadlines deadlines) {
        this.queue = queue;
        this.api = api;
        this.model = model;
        this.http = http;
        this.json = json;
        this.deadlines = deadlines;
        this.errors = new FalErrors(json);
        this.limiter = limiter;
        this.key = key.value();
        // one scope, two origins: the key reaches the queue and the platform API, redirects included, nothing else
        CredentialScope scope = CredentialScope.of(List.of(queue, api), "Authorization", "Key " + key.value());
        this.queueHttp = new ServiceHttp(http, json, limiter, scope, deadlines, queue.host(), errors);
        this.requestList = new FalRequestList(new ServiceHttp(http, json, limiter, scope, deadlines, api.host(), errors),
                api, queue, json);
    }

    @Override
    public Provider provider() {
        return Provider.FAL;
    }

    @Override
    public ServiceTraits traits() {
        return TRAITS;
    }

    @Override
    public ServiceDiagnoses diagnoses() {
        return FalDiagnoses.INSTANCE;
    }

    @Override
    public String deployment() {
        return model;
    }

    @Override
    public String describe() {
        return queue.toString();
    }

    @Override
    public VideoJob create(CreateVideoRequest request) {
        String modelId = request.modelOr(model);
        HttpUrl url = queue.newBuilder().addPathSegments(modelId).build();
        String input = json.writeValueAsString(FalInputs.of(request, modelId, json));
        ServiceHttp.Answer answer = queueHttp.create(request(url).post(RequestBody.create(input, JSON)).build());
        String id = Json.text(answer.body(), "request_id");
        FalHandle handle = FalHandle.of(answer.body());
        if (id == null || handle == null) {
            // the request may be queued all the same: a 2xx that cannot be followed sends the caller to the list
            throw new ServiceException(ErrorKind.TRANSIENT, Operation.CREATE.label(), 200, null,
                    Messages.get("fal.submit-unreadable"), null, answer.requestId(),
                    ApiErrors.excerpt(answer.body().toString()), null, null);
        }
        return FalJobs.of(id, answer.body(), handle.write(json), modelId, answer.requestId(), answer.pollHint());
    }

    @Override
    public VideoJob get(String jobId, String handle) {
        FalHandle urls = handle(handle, Operation.POLL);
        HttpUrl status = onQueue(urls.statusUrl(), Operation.POLL).newBuilder().setQueryParameter("logs", "0").build();
        ServiceHttp.Answer answer = http(status).call(Operation.POLL, request(status).get().build());
        VideoJob job = FalJobs.of(jobId, answer.body(), handle, null, answer.requestId(), answer.pollHint());
        if (!FalJobs.COMPLETED.equalsIgnoreCase(job.status())) {
            return job;
        }
        // kept only minutes after completion: fetched now, not at the next poll. A COMPLETED that carries an
        // error is fetched too: the status gives only a summary, the result replays the model's error in full
        // (a content-policy refusal's type and categories, a validation error's field)
        HttpUrl response = onQueue(urls.responseUrl(), Operation.POLL);
        try {
            ServiceHttp.Answer result = http(response).call(Operation.POLL, request(response).get().build());
            return job.isTerminal() ? job : FalJobs.done(jobId, result.body(), handle, null, result.requestId());
        } catch (ServiceException e) {
            if (FalErrors.isModelError(e)) {
                return FalJobs.failed(jobId, e, handle, null); // the result replays the model's error
            }
            if (job.isTerminal()) {
                return job; // the status's own words, rather than nothing
            }
            throw e;
        }
    }

    @Override
    public List<VideoJob> list(int limit) {
        return requestList.requests(model, Instant.now().minus(LIST_WINDOW), Math.max(1, Math.min(limit, PAGE)), limit);
    }

    /** Every request to the row's model since then, within {@link #MAX_PAGES} pages: the list filters by both. */
    @Override
    public List<VideoJob> recentJobsLike(CreateVideoRequest request, long sinceEpochSecond, int limit) {
        return requestList.requests(request.modelOr(model), Instant.ofEpochSecond(sinceEpochSecond), PAGE, PAGE * MAX_PAGES);
    }

    /** The very input this client would send, compared with the {@code json_input} fal kept. */
    @Override
    public boolean isJobFor(CreateVideoRequest request, VideoJob job, String defaultModel) {
        String modelId = request.modelOr(defaultModel);
        return job.echoedInput() != null && (job.model() == null || job.model().equals(modelId))
                && FalInputs.same(FalInputs.of(request, modelId, json), job.echoedInput(), json);
    }

    @Override
    public boolean echoesInput(VideoJob job) {
        return job.echoedInput() != null;
    }

    @Override
    public void cancel(String jobId, String handle) {
        HttpUrl cancel = onQueue(handle(handle, Operation.DELETE).cancelUrl(), Operation.DELETE);
        try {
            // CANCELLATION_REQUESTED, ALREADY_COMPLETED and NOT_FOUND all leave nothing running
            http(cancel).delete(request(cancel).put(RequestBody.create(new byte[0], null)).build());
        } catch (ServiceException e) {
            String said = e.bodyExcerpt() == null ? "" : e.bodyExcerpt();
            if (e.httpStatus() != 400 || !said.contains("ALREADY_COMPLETED")) {
                throw e;
            }
        }
    }

    /** The video from fal's CDN, with no credential of any kind (redirects included). */
    @Override
    public long download(String videoUrl, ContentKind kind, Path target) {
        if (kind != ContentKind.VIDEO) {
            throw new UnsupportedOperationException("fal makes no thumbnails (ServiceTraits.thumbnails is false)");
        }
        HttpUrl url = HttpUrl.parse(videoUrl);
        if (url == null) {
            throw new ServiceException(ErrorKind.ROW, kind.operation().label(), 0, "not_a_url",
                    Messages.get("fal.video-not-url", videoUrl), null, null, null, null, null);
        }
        ServiceHttp cdn = new ServiceHttp(http, json, RequestRateLimiter.unlimited(), CredentialScope.none(),
                deadlines, url.host(), errors);
        return cdn.download(kind.operation(), new Request.Builder().url(url).header("Accept", "video/mp4, */*")
                .header("User-Agent", "sora-batch").get().build(), target);
    }

    @Override
    public String extension(ContentKind kind) {
        return kind == ContentKind.VIDEO ? "mp4" : "jpg";
    }

    private FalHandle handle(String handle, Operation operation) {
        FalHandle urls = handle == null ? null : FalHandle.parse(handle, json);
        if (urls == null) {
            throw new ServiceException(ErrorKind.ROW, operation.label(), 0, "no_handle",
                    Messages.get("fal.no-handle"), null, null, null, null, null);
        }
        return urls;
    }

    /**
     * {@code url} when fal's queue may be asked there: the configured queue's host (on any port: a queue or proxy
     * answering its status URLs on a second port of the same host), or, over https, fal's own domains (its backup
     * queue host). Anywhere else it is not called — not with the key (it must not leave fal) and not without it
     * (the queue would refuse, and a look-alike host would learn the request): the row fails, naming the host.
     */
    private HttpUrl onQueue(String url, Operation operation) {
        HttpUrl parsed = HttpUrl.parse(url);
        if (parsed == null || !queuesHost(parsed)) {
            String host = parsed == null ? url : parsed.scheme() + "://" + parsed.host()
                    + (parsed.port() == HttpUrl.defaultPort(parsed.scheme()) ? "" : ":" + parsed.port());
            throw new ServiceException(ErrorKind.ROW, operation.label(), 0, FalErrors.FOREIGN_HOST,
                    Messages.get("fal.foreign-host", host, queue.host()), null, null, null, null, null);
        }
        return parsed;
    }

    private boolean queuesHost(HttpUrl url) {
        String host = url.host().toLowerCase(java.util.Locale.ROOT);
        boolean sameHost = host.equals(queue.host().toLowerCase(java.util.Locale.ROOT))
                && (url.scheme().equals(queue.scheme()) || url.isHttps());
        boolean fals = url.isHttps() && FAL_DOMAINS.stream().anyMatch(d -> host.equals(d) || host.endsWith("." + d));
        return sameHost || fals;
    }

    /** The calls to {@code url}'s origin: the queue's own, or one more scope holding that origin too. */
    private ServiceHttp http(HttpUrl url) {
        if (CredentialScope.sameOrigin(queue, url)) {
            return queueHttp;
        }
        return followed.computeIfAbsent(url.scheme() + "://" + url.host() + ":" + url.port(), origin -> new ServiceHttp(
                http, json, limiter, CredentialScope.of(List.of(queue, api, url), "Authorization", "Key " + key),
                deadlines, url.host(), errors));
    }

    private static Request.Builder request(HttpUrl url) {
        return new Request.Builder().url(url).header("Accept", "application/json").header("User-Agent", "sora-batch");
    }
}
