package dev.sorabatch.provider.gemini;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.sorabatch.files.AtomicFiles;
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
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * Veo on the Gemini API (shared/providers-api.md §1): {@code POST {base}/models/{model}:predictLongRunning}, then
 * {@code GET {base}/{operation name}} until {@code done}; each video's file is downloaded with the key from
 * {@code {base}/files/{id}:download?alt=media}, as Google's SDK does, and the redirect it answers is followed by hand
 * to the storage host without the key ({@link CredentialScope}: {@code x-goog-api-key} goes to the API's origin only).
 * Veo operations can be neither listed nor cancelled: a create whose answer was lost is reported, never resent.
 */
public class GeminiVeoClient implements VideoService {

    public static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com/v1beta";
    public static final String DEFAULT_MODEL = "veo-3.1-fast-generate-preview";
    static final String KEY_HEADER = "x-goog-api-key";

    private static final MediaType JSON = MediaType.get("application/json");
    /** No list (a lost create cannot be found), no thumbnails, images inline; quotas per project, unpublished. */
    static final ServiceTraits TRAITS = new ServiceTraits(false, false, EnumSet.of(Input.TEXT, Input.IMAGE,
            Input.DURATION, Input.ASPECT_RATIO_AND_RESOLUTION, Input.VARIANTS, Input.NEGATIVE_PROMPT,
            Input.MODEL_PARAMETERS), null, null, false);
    /** The file id in a video URI, as the SDK reads it ({@code …/files/{id}:download?alt=media}). */
    private static final Pattern FILE_ID = Pattern.compile("files/([A-Za-z0-9_-]+)");
    /**
     * An operation name as the API gives it ({@code models/veo-…/operations/…}), safe to put in a path as is: plain
     * segments only, none of them {@code .} or {@code ..}.
     */
    private static final Pattern OPERATION = Pattern.compile("(?!.*(^|/)\\.\\.?(/|$))[A-Za-z0-9._~%-]+"
            + "(/[A-Za-z0-9._~%-]+)*/operations/[A-Za-z0-9._~%-]+");

    private final HttpUrl base;
    private final String model;
    private final ObjectMapper json;
    private final ServiceHttp api;
    private final GeminiDiagnoses diagnoses;

    /**
     * @param base the API root with its version ({@code https://generativelanguage.googleapis.com/v1beta})
     * @param keyVariable where the key came from ({@code GEMINI_API_KEY}, {@code GOOGLE_API_KEY}), for diagnoses
     */
    public GeminiVeoClient(HttpUrl base, ApiKey key, String keyVariable, String model, OkHttpClient http,
            ObjectMapper json, RequestRateLimiter limiter, HttpDeadlines deadlines) {
        this.base = base;
        this.model = bare(model);
        this.json = json;
        this.diagnoses = new GeminiDiagnoses(keyVariable);
        this.api = new ServiceHttp(http, json, limiter, CredentialScope.of(base, KEY_HEADER, key.value()), deadlines,
                base.host(), new GeminiErrors(json, base));
    }

    /** Where calls go, for messages: the API root (the key is in a header, never in the URL). */
    @Override
    public String describe() {
        return base.toString();
    }

    @Override
    public String deployment() {
        return model;
    }

    @Override
    public Provider provider() {
        return Provider.GEMINI_VEO;
    }

    /** Words the fixes with the variable the key came from. */
    @Override
    public ServiceDiagnoses diagnoses() {
        return diagnoses;
    }

    @Override
    public ServiceTraits traits() {
        return TRAITS;
    }

    @Override
    public VideoJob create(CreateVideoRequest request) {
        if (request.image() != null && !request.image().mediaType().matches("image/(jpeg|png)")) {
            throw new ServiceException(ErrorKind.ROW, Operation.FETCH_IMAGE.label(), 0, "image_type",
                    Messages.get("gemini.image-type", request.image().mediaType()), null, null, null, null, null);
        }
        String modelId = bare(request.modelOr(model));
        String body = json.writeValueAsString(GeminiInputs.of(request, json));
        ServiceHttp.Answer answer;
        try {
            answer = api.create(post(modelUrl(modelId, ":predictLongRunning"), body));
        } catch (ServiceException e) {
            throw ownModelGone(e, request);
        }
        String name = Json.text(answer.body(), "name");
        if (name == null || !OPERATION.matcher(name).matches()) {
            // the operation may be running all the same: a 2xx without its name sends the caller to the orphan check
            throw new ServiceException(ErrorKind.TRANSIENT, Operation.CREATE.label(), 200, null,
                    Messages.get("gemini.create-unreadable"), null, answer.requestId(),
                    ApiErrors.excerpt(answer.body().toString()), null, null);
        }
        return GeminiJobs.created(name, modelId, request.nVariants(), answer.requestId());
    }

    @Override
    public VideoJob get(String jobId, String handle) {
        return api.stream(Operation.POLL, request(operationUrl(jobId, Operation.POLL)),
                (body, requestId) -> GeminiJobs.of(jobId, parsed(body, in -> GeminiOperation.read(json, in)),
                        requestId));
    }

    /** A video's file with the key (its storage redirect without it), or an inline video decoded from the answer. */
    @Override
    public long download(String generationId, ContentKind kind, Path target) {
        if (kind != ContentKind.VIDEO) {
            throw new UnsupportedOperationException("Veo makes no thumbnails (ServiceTraits.thumbnails is false)");
        }
        int inline = generationId.lastIndexOf(GeminiJobs.INLINE);
        if (inline > 0 && !generationId.contains("://")) {
            return downloadInline(generationId.substring(0, inline),
                    Integer.parseInt(generationId.substring(inline + 1)), target);
        }
        return api.download(kind.operation(), request(fileUrl(generationId)).newBuilder()
                .header("Accept", "video/mp4, */*").build(), target);
    }

    @Override
    public String extension(ContentKind kind) {
        return "mp4";
    }

    /** The Gemini API lists no Veo operation: {@code traits().listsJobs()} is false, so this is never asked. */
    @Override
    public List<VideoJob> list(int limit) {
        throw new UnsupportedOperationException("the Gemini API lists no Veo operations");
    }

    /** The API documents no cancel for Veo: an operation that timed out here ends there on its own. */
    @Override
    public void cancel(String jobId, String handle) {
        // nothing to call: Veo's long-running operations have no cancel (providers-api.md)
    }

    @Override
    public boolean cancels() {
        return false;
    }

    /**
     * The key and the model, by the one free call that checks both ({@code GET {base}/models/{model}}), for
     * {@code doctor}.
     *
     * @return the name the API gives the model ({@code displayName}, else {@code name})
     * @throws ServiceException the API's refusal (the key: 400 {@code API_KEY_INVALID}, 403; the model: 404)
     */
    public String checkModel() {
        ServiceHttp.Answer answer = api.call(Operation.LIST, request(modelUrl(model, "")));
        String display = Json.text(answer.body(), "displayName");
        return display != null ? display : String.valueOf(Json.text(answer.body(), "name"));
    }

    /**
     * {@code {base}/files/{id}:download?alt=media} for a file the API names by URI, built on the configured root as
     * the SDK does (so the key goes to the API, whatever host the URI names); a URI with no file id as given.
     */
    HttpUrl fileUrl(String uri) {
        Matcher file = FILE_ID.matcher(uri);
        if (file.find()) {
            return base.newBuilder().addPathSegment("files").addPathSegment(file.group(1) + ":download")
                    .addQueryParameter("alt", "media").build();
        }
        HttpUrl url = HttpUrl.parse(uri);
        if (url == null) {
            throw new ServiceException(ErrorKind.ROW, Operation.DOWNLOAD_VIDEO.label(), 0, "not_a_url",
                    Messages.get("gemini.video-not-url", uri), null, null, null, null, null);
        }
        return url;
    }

    private long downloadInline(String operation, int index, Path target) {
        return api.stream(Operation.DOWNLOAD_VIDEO, request(operationUrl(operation, Operation.DOWNLOAD_VIDEO)),
                (body, requestId) -> AtomicFiles.write(target, out -> {
                    if (parsed(body, in -> GeminiOperation.writeInline(json, in, index, out)) <= 0) {
                        throw new ServiceException(ErrorKind.TRANSIENT, Operation.DOWNLOAD_VIDEO.label(), 200,
                                "no_video", Messages.get("gemini.inline-missing", index, operation), null, requestId,
                                null, null, null);
                    }
                }));
    }

    /** A 404 for a model the row names itself: that row's model is gone, not the run's. */
    private ServiceException ownModelGone(ServiceException e, CreateVideoRequest request) {
        boolean rowsOwn = request.model() != null && !request.model().isBlank() && !bare(request.model()).equals(model);
        if (e.httpStatus() != 404 || !rowsOwn) {
            return e;
        }
        return new ServiceException(ErrorKind.ROW, e.operation(), e.httpStatus(), e.errorCode(), e.errorMessage(),
                e.innerCode(), e.requestId(), e.bodyExcerpt(), e.retryAfter(), e);
    }

    /** {@code GET {base}/{operation name}}, the name put in the path verbatim as the SDK does, once checked. */
    private HttpUrl operationUrl(String name, Operation operation) {
        if (name == null || !OPERATION.matcher(name).matches()) {
            throw new ServiceException(ErrorKind.ROW, operation.label(), 0, "not_an_operation",
                    Messages.get("gemini.bad-operation", String.valueOf(name)), null, null, null, null, null);
        }
        return base.newBuilder().addEncodedPathSegments(name).build();
    }

    private HttpUrl modelUrl(String modelId, String method) {
        return base.newBuilder().addPathSegment("models").addPathSegment(modelId + method).build();
    }

    /** {@code models/veo-…} → {@code veo-…}: the SDK adds the prefix, so users may write it. */
    private static String bare(String modelId) {
        return modelId != null && modelId.startsWith("models/") ? modelId.substring("models/".length()) : modelId;
    }

    private static Request request(HttpUrl url) {
        return new Request.Builder().url(url).header("Accept", "application/json").header("User-Agent", "sora-batch")
                .get().build();
    }

    private static Request post(HttpUrl url, String body) {
        return new Request.Builder().url(url).header("Accept", "application/json").header("User-Agent", "sora-batch")
                .post(RequestBody.create(body, JSON)).build();
    }

    /** A streamed answer's read, an I/O failure inside the parser turned back into the network fault it is. */
    private static <T> T parsed(InputStream body, Function<InputStream, T> read) throws IOException {
        try {
            return read.apply(body);
        } catch (JacksonException | IllegalArgumentException e) {
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof IOException io) {
                    throw io;
                }
            }
            throw new ServiceException(ErrorKind.TRANSIENT, Operation.POLL.label(), 200, null,
                    Messages.get("gemini.answer-unreadable"), null, null, null, null, null);
        }
    }
}
