package dev.sorabatch.sora;

import java.io.IOException;
import java.nio.file.Path;

import dev.sorabatch.files.AtomicFiles;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The HTTP plumbing both protocols share: every call paced by the endpoint's rate limiter (which learns from the
 * answer), JSON answers read with a size cap and turned into {@link SoraApiException} when they are errors or not
 * JSON, streamed atomic downloads, and network faults named after the host.
 */
final class SoraHttp {

    private static final long MAX_BODY_BYTES = 16L * 1024 * 1024;

    /** A JSON answer with what its headers said. */
    record Answer(JsonNode body, String requestId, java.time.Duration pollHint) {
    }

    private final OkHttpClient http;
    private final OkHttpClient createHttp;
    private final ObjectMapper json;
    private final RequestRateLimiter limiter;
    private final String host;

    SoraHttp(OkHttpClient http, ObjectMapper json, RequestRateLimiter limiter, String host) {
        this.http = http;
        // OkHttp silently re-sends a request on some connection failures; for a paid create that could submit
        // the same video twice, so creates fail loudly instead and the caller checks for an orphan job.
        this.createHttp = http.newBuilder().retryOnConnectionFailure(false).build();
        this.json = json;
        this.limiter = limiter;
        this.host = host;
    }

    Answer create(Request call) {
        return callForJson(createHttp, Operation.CREATE, call);
    }

    Answer call(Operation operation, Request call) {
        return callForJson(http, operation, call);
    }

    /** A call whose answer body does not matter; 404 counts as done (the thing is already gone). */
    void delete(Request call) {
        try (Response response = execute(http, call)) {
            if (!response.isSuccessful() && response.code() != 404) {
                throw ApiErrors.fromResponse(Operation.DELETE, response, bodyText(response), json);
            }
        } catch (IOException e) {
            throw NetworkFaults.of(Operation.DELETE, host, e);
        }
    }

    long download(Operation operation, Request call, Path target) {
        try (Response response = execute(http, call)) {
            if (!response.isSuccessful()) {
                throw ApiErrors.fromResponse(operation, response, bodyText(response), json);
            }
            ResponseBody body = response.body();
            return AtomicFiles.copy(body.byteStream(), target, body.contentLength());
        } catch (IOException e) {
            throw NetworkFaults.of(operation, host, e);
        }
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
            throw NetworkFaults.of(operation, host, e);
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

    private static String bodyText(Response response) throws IOException {
        // Cap what is held in memory, so a misbehaving proxy cannot flood it.
        BufferedSource source = response.body().source();
        source.request(MAX_BODY_BYTES);
        return source.getBuffer().readUtf8(Math.min(source.getBuffer().size(), MAX_BODY_BYTES));
    }
}
