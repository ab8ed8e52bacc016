package dev.sorabatch.provider.vertex;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

import com.google.auth.oauth2.GoogleCredentials;

import dev.sorabatch.files.AtomicFiles;
import dev.sorabatch.http.ApiErrors;
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
 * Vertex AI Veo (shared/providers-api.md §2): {@code POST …/publishers/google/models/{model}:predictLongRunning},
 * then {@code POST …/{model}:fetchPredictOperation {"operationName"}} until {@code done}. The bearer token (Google's
 * library, refreshed before it expires) goes to the configured API base and Cloud Storage origins only. Videos come
 * inline ({@code bytesBase64Encoded}, decoded as they stream into the file) or, with {@code sora.vertex.storage-uri},
 * as {@code gs://} objects fetched through the Cloud Storage JSON API. Veo operations cannot be listed: a create
 * whose answer was lost is reported, never resent.
 */
public class VertexVeoClient implements VideoService {

    public static final String DEFAULT_MODEL = "veo-3.1-fast-generate-001";
    public static final String DEFAULT_STORAGE_URL = "https://storage.googleapis.com";

    private static final MediaType JSON = MediaType.get("application/json");
    /** No list (a lost create cannot be found), no thumbnails, images sent inline; quotas per project, unpublished. */
    static final ServiceTraits TRAITS = new ServiceTraits(false, false, EnumSet.of(Input.TEXT, Input.IMAGE,
            Input.DURATION, Input.ASPECT_RATIO_AND_RESOLUTION, Input.VARIANTS, Input.NEGATIVE_PROMPT, Input.SEED,
            Input.MODEL_PARAMETERS), null, null, false);

    private final HttpUrl base;
    private final String project;
    private final String location;
    private final VertexStorage files;
    private final String model;
    private final ObjectMapper json;
    private final VertexCalls calls;

    /**
     * @param base the API root ({@code https://{location}-aiplatform.googleapis.com/v1})
     * @param storage the Cloud Storage JSON API's root, for {@code gs://} videos
     * @param storageUri {@code gs://bucket/prefix} where Veo writes the videos, or null for inline videos
     */
    public VertexVeoClient(HttpUrl base, HttpUrl storage, String project, String location, String storageUri,
            GoogleCredentials credentials, String model, OkHttpClient http, ObjectMapper json,
            RequestRateLimiter limiter, HttpDeadlines deadlines) {
        this.base = base;
        this.project = project;
        this.location = location;
        this.files = new VertexStorage(storage, storageUri);
        this.model = model;
        this.json = json;
        this.calls = new VertexCalls(base, storage, new VertexAuth(credentials, base.uri()), http, json, limiter,
                deadlines);
    }

    /**
     * Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud's application-default login, or the
     * metadata server), scoped to cloud-platform.
     *
     * @throws IOException when none are found
     */
    public static GoogleCredentials applicationDefaultCredentials() throws IOException {
        return VertexAuth.applicationDefault();
    }

    /**
     * The credentials of a key file ({@code sora.vertex.credentials-file}, GOOGLE_APPLICATION_CREDENTIALS's file),
     * read by its type's own loader, scoped to cloud-platform.
     *
     * @throws IOException when it cannot be read or holds no Google credentials
     */
    public static GoogleCredentials credentialsFile(Path file) throws IOException {
        return VertexAuth.fromFile(file);
    }

    @Override
    public Provider provider() {
        return Provider.VERTEX_VEO;
    }

    @Override
    public ServiceTraits traits() {
        return TRAITS;
    }

    @Override
    public ServiceDiagnoses diagnoses() {
        return VertexDiagnoses.INSTANCE;
    }

    @Override
    public String deployment() {
        return model;
    }

    @Override
    public String describe() {
        return base + " (project " + project + ", " + location + ")";
    }

    public String project() {
        return project;
    }

    public String location() {
        return location;
    }

    @Override
    public VideoJob create(CreateVideoRequest request) {
        if (request.image() != null && !request.image().mediaType().matches("image/(jpeg|png)")) {
            throw new ServiceException(ErrorKind.ROW, Operation.FETCH_IMAGE.label(), 0, "image_type",
                    Messages.get("vertex.image-type", request.image().mediaType()), null, null, null, null, null);
        }
        String modelId = request.modelOr(model);
        HttpUrl url = modelUrl(modelId, "predictLongRunning");
        String body = json.writeValueAsString(VertexInputs.of(request, files.uriFor(request), json));
        ServiceHttp.Answer answer;
        try {
            answer = calls.authorized(c -> c.api().create(post(url, body)));
        } catch (ServiceException e) {
            if (e.httpStatus() == 404 && !modelId.equals(model)) {
                // the row's own model is not served: that row's, the others (the configured model) may go on
                throw new ServiceException(ErrorKind.ROW, e.operation(), 404, e.errorCode(), e.errorMessage(),
                        e.innerCode(), e.requestId(), e.bodyExcerpt(), null, e);
            }
            throw e;
        }
        String name = Json.text(answer.body(), "name");
        if (name == null || !name.contains("/operations/")) {
            // the operation may be running all the same: a 2xx without its name sends the caller to the orphan check
            throw new ServiceException(ErrorKind.TRANSIENT, Operation.CREATE.label(), 200, null,
                    Messages.get("vertex.create-unreadable"), null, answer.requestId(),
                    ApiErrors.excerpt(answer.body().toString()), null, null);
        }
        return VertexJobs.created(name, modelId, request.nVariants(), answer.requestId());
    }

    /** An operation, or a folder of Cloud Storage adopted for a create whose answer was lost. */
    @Override
    public VideoJob get(String jobId, String handle) {
        if (jobId.startsWith("gs://")) {
            return calls.authorized(c -> files.stored(c.storage(), jobId));
        }
        Request poll = fetchOperation(jobId, Operation.POLL);
        return calls.authorized(c -> c.api().stream(Operation.POLL, poll, (body, requestId) ->
                VertexJobs.of(jobId, parsed(body, in -> VertexOperation.read(json, in)), requestId)));
    }

    /** Veo operations cannot be listed (ServiceTraits.listsJobs is false). */
    @Override
    public List<VideoJob> list(int limit) {
        throw new UnsupportedOperationException("Vertex AI lists no Veo operations");
    }

    /**
     * With {@code storage-uri}, the folders under the row's own sub-prefix: what its lost create made, once done.
     * Without, nothing can be found.
     */
    @Override
    public Optional<List<VideoJob>> outputsOfLostCreate(CreateVideoRequest request, long sinceEpochSecond) {
        if (!files.configured() || request.rowKey() == null) {
            return Optional.empty();
        }
        return Optional.of(calls.authorized(c -> files.outputsUnder(c.storage(), files.uriFor(request))));
    }

    @Override
    public boolean isJobFor(CreateVideoRequest request, VideoJob job, String defaultModel) {
        return job.id().startsWith("gs://") ? files.holds(request, job)
                : VideoService.super.isJobFor(request, job, defaultModel);
    }

    /** None documented for Veo: a timed-out operation is left to end on its own. */
    @Override
    public void cancel(String jobId, String handle) {
        // nothing to call: Veo's long-running operations have no cancel (providers-api.md)
    }

    @Override
    public boolean cancels() {
        return false;
    }

    /** A {@code gs://} object through the Cloud Storage JSON API, or an inline video decoded from the operation. */
    @Override
    public long download(String generationId, ContentKind kind, Path target) {
        if (kind != ContentKind.VIDEO) {
            throw new UnsupportedOperationException("Veo makes no thumbnails (ServiceTraits.thumbnails is false)");
        }
        if (generationId.startsWith("gs://")) {
            Request object = files.objectRequest(generationId);
            return calls.authorized(c -> c.storage().download(kind.operation(), object, target));
        }
        int hash = generationId.lastIndexOf('#');
        String operation = hash < 0 ? generationId : generationId.substring(0, hash);
        int index = hash < 0 ? 0 : Integer.parseInt(generationId.substring(hash + 1));
        Request fetch = fetchOperation(operation, kind.operation());
        return calls.authorized(c -> c.api().stream(kind.operation(), fetch,
                (body, requestId) -> AtomicFiles.write(target, out -> {
                    long n = parsed(body, in -> {
                        try {
                            return VertexOperation.writeVideo(json, in, index, out);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
                    if (n <= 0) {
                        throw new ServiceException(ErrorKind.TRANSIENT, kind.operation().label(), 200, "no_video",
                                Messages.get("vertex.inline-missing", index, operation), null, requestId, null, null,
                                null);
                    }
                })));
    }

    @Override
    public String extension(ContentKind kind) {
        return "mp4";
    }

    /** {@code POST {base}/{operation name up to /operations/}:fetchPredictOperation}, never a GET on the name. */
    private Request fetchOperation(String name, Operation operation) {
        int at = name == null ? -1 : name.lastIndexOf("/operations/");
        if (at <= 0 || !name.startsWith("projects/")) {
            throw new ServiceException(ErrorKind.ROW, operation.label(), 0, "not_an_operation",
                    Messages.get("vertex.bad-operation", String.valueOf(name)), null, null, null, null, null);
        }
        HttpUrl url = base.newBuilder().addPathSegments(name.substring(0, at) + ":fetchPredictOperation").build();
        return post(url, json.writeValueAsString(json.createObjectNode().put("operationName", name)));
    }

    private HttpUrl modelUrl(String modelId, String method) {
        return base.newBuilder().addPathSegment("projects").addPathSegment(project).addPathSegment("locations")
                .addPathSegment(location).addPathSegments("publishers/google/models")
                .addPathSegment(modelId + ":" + method).build();
    }

    private Request post(HttpUrl url, String body) {
        Request.Builder request = new Request.Builder().url(url).header("Accept", "application/json")
                .header("User-Agent", "sora-batch").post(RequestBody.create(body, JSON));
        return request.build();
    }

    /** A streamed answer's read, its parser's I/O failure turned back into the network fault it is. */
    private <T> T parsed(InputStream body, java.util.function.Function<InputStream, T> read) throws IOException {
        try {
            return read.apply(body);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        } catch (JacksonException | IllegalArgumentException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new ServiceException(ErrorKind.TRANSIENT, Operation.POLL.label(), 200, null,
                    Messages.get("vertex.answer-unreadable"), null, null, null, null, null);
        }
    }
}
