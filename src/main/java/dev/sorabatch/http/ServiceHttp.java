package dev.sorabatch.http;

import dev.sorabatch.service.ErrorKind;
import dev.sorabatch.service.Operation;
import dev.sorabatch.service.RequestRateLimiter;
import dev.sorabatch.service.ServiceException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import dev.sorabatch.files.AtomicFiles;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The HTTP plumbing both protocols share: every call paced by the endpoint's rate limiter (which learns from the
 * answer), credentials sent to the service's own origin only ({@link CredentialScope}), an overall deadline on
 * every call ({@link HttpDeadlines}), JSON answers read with a size cap and turned into {@link ServiceException}
 * when they are errors or not JSON, streamed atomic downloads, and network faults named after the host.
 */
public final class ServiceHttp {

    private static final long MAX_BODY_BYTES = 16L * 1024 * 1024;

    /** A JSON answer with what its headers said. */
    public record Answer(JsonNode body, String requestId, java.time.Duration pollHint) {
    }

    /** Reads a successful answer's body as it arrives, for answers too large to hold (Vertex's inline videos). */
    @FunctionalInterface
    public interface BodyReader<T> {
        T read(java.io.InputStream body, String requestId) throws IOException;
    }

    /** What to make of an answer while its deadline still runs. */
    private interface Reader<T> {
        T read(Response response, CallDeadline deadline) throws IOException;
    }

    private final OkHttpClient http;
    private final OkHttpClient createHttp;
    private final ObjectMapper json;
    private final RequestRateLimiter limiter;
    private final CredentialScope scope;
    private final HttpDeadlines deadlines;
    private final String host;
    private final ErrorReader errors;

    public ServiceHttp(OkHttpClient http, ObjectMapper json, RequestRateLimiter limiter, CredentialScope scope,
            HttpDeadlines deadlines, String host, ErrorReader errors) {
        this.errors = errors;
        this.http = scope.client(http);
        // OkHttp silently re-sends a request on some connection failures; for a paid create that could submit
        // the same video twice, so creates fail loudly instead and the caller checks for an orphan job.
        this.createHttp = this.http.newBuilder().retryOnConnectionFailure(false).build();
        this.json = json;
        this.limiter = limiter;
        this.scope = scope;
        this.deadlines = deadlines;
        this.host = host;
    }

    public Answer create(Request call) {
        return exchange(createHttp, Operation.CREATE, call, (response, deadline) -> jsonAnswer(Operation.CREATE, response));
    }

    public Answer call(Operation operation, Request call) {
        return exchange(http, operation, call, (response, deadline) -> jsonAnswer(operation, response));
    }

    /**
     * A call whose successful answer is streamed to {@code reader} instead of being held (its deadline grows with
     * its size, as a download's); an error answer is read as usual.
     */
    public <T> T stream(Operation operation, Request call, BodyReader<T> reader) {
        return exchange(http, operation, call, (response, deadline) -> {
            if (!response.isSuccessful()) {
                throw errors.read(operation, response, bodyText(response));
            }
            deadline.extendTo(deadlines.download(response.body().contentLength()));
            return reader.read(response.body().byteStream(), ApiErrors.requestId(response));
        });
    }

    /** A call whose answer body does not matter; 404 counts as done (the thing is already gone). */
    public void delete(Request call) {
        exchange(http, Operation.DELETE, call, (response, deadline) -> {
            if (!response.isSuccessful() && response.code() != 404) {
                throw errors.read(Operation.DELETE, response, bodyText(response));
            }
            return null;
        });
    }

    public long download(Operation operation, Request call, Path target) {
        return exchange(http, operation, call, (response, deadline) -> {
            if (!response.isSuccessful()) {
                throw errors.read(operation, response, bodyText(response));
            }
            MediaAnswer.check(operation, response);
            ResponseBody body = response.body();
            deadline.extendTo(deadlines.download(body.contentLength()));
            try {
                return AtomicFiles.copy(body.byteStream(), target, body.contentLength());
            } catch (AtomicFiles.OutputFolderException local) {
                throw local;
            } catch (IOException cut) {
                throw new NetworkFaults.BodyCutException(response.code(), cut);
            }
        });
    }

    private Answer jsonAnswer(Operation operation, Response response) throws IOException {
        String body = bodyText(response);
        if (!response.isSuccessful()) {
            throw errors.read(operation, response, body);
        }
        JsonNode node = Json.parseOrNull(json, body);
        if (node == null || !node.isObject()) {
            throw new ServiceException(ErrorKind.TRANSIENT, operation.label(), response.code(), null,
                    "the answer was not the JSON object the API documents", null, ApiErrors.requestId(response),
                    ApiErrors.excerpt(body), null, null);
        }
        return new Answer(node, ApiErrors.requestId(response), ApiErrors.pollHint(response));
    }

    /**
     * Every call: paced by the endpoint's rate limiter, which also learns from the answer; cancelled when its
     * deadline passes; whatever it throws carries no credential.
     */
    private <T> T exchange(OkHttpClient client, Operation operation, Request request, Reader<T> reader) {
        try {
            // a finished job's files can wait for the create that refills its slot, and for the polls
            limiter.acquire(operation == Operation.DOWNLOAD_VIDEO || operation == Operation.DOWNLOAD_THUMBNAIL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw NetworkFaults.of(operation, host, new java.io.InterruptedIOException(
                    "interrupted while waiting for the request quota"));
        }
        Duration limit = operation == Operation.DOWNLOAD_VIDEO || operation == Operation.DOWNLOAD_THUMBNAIL
                ? deadlines.download() : deadlines.call();
        // the operation travels with the request, for the metrics' interceptor (requests by operation and status)
        Call call = client.newCall(request.newBuilder().tag(Operation.class, operation).build());
        CallDeadline deadline = CallDeadline.start(call, limit);
        try (Response response = call.execute()) {
            if (response.code() == 429 && !isServiceFull(response)) {
                limiter.onThrottled(ApiErrors.retryAfter(response));
            } else if (response.isSuccessful()) {
                limiter.onSuccess();
            }
            return reader.read(response, deadline);
        } catch (IOException e) {
            throw scope.scrub(deadline.expired() ? NetworkFaults.pastDeadline(operation, host, deadline.elapsed(),
                    propertyFor(operation), e) : NetworkFaults.of(operation, host, e));
        } catch (ServiceException e) {
            throw scope.scrub(e);
        } finally {
            deadline.close();
        }
    }

    private static String propertyFor(Operation operation) {
        return operation == Operation.DOWNLOAD_VIDEO || operation == Operation.DOWNLOAD_THUMBNAIL
                ? "sora.http.download-deadline, sora.http.min-download-rate" : "sora.http.call-deadline";
    }

    /** "Too many running tasks" is about running jobs, not request rate: it must not slow polling down. */
    private static boolean isServiceFull(Response response) {
        try {
            return response.peekBody(4096).string().toLowerCase(java.util.Locale.ROOT).contains("too many running tasks");
        } catch (IOException e) {
            return false;
        }
    }

    private static String bodyText(Response response) throws IOException {
        // Cap what is held in memory, so a misbehaving proxy cannot flood it.
        BufferedSource source = response.body().source();
        source.request(MAX_BODY_BYTES);
        return source.getBuffer().readUtf8(Math.min(source.getBuffer().size(), MAX_BODY_BYTES));
    }
}
