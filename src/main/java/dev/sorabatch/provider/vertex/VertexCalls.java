package dev.sorabatch.provider.vertex;

import java.io.IOException;
import java.util.List;
import java.util.function.Function;

import dev.sorabatch.http.CredentialScope;
import dev.sorabatch.http.HttpDeadlines;
import dev.sorabatch.http.ServiceHttp;
import dev.sorabatch.i18n.Messages;
import dev.sorabatch.service.ErrorKind;
import dev.sorabatch.service.Operation;
import dev.sorabatch.service.RequestRateLimiter;
import dev.sorabatch.service.ServiceException;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import tools.jackson.databind.ObjectMapper;

/**
 * The Vertex API's and Cloud Storage's calls with the bearer token Google's library currently holds (and the quota
 * project it names), that token sent to those two origins only. The calls are rebuilt when the library refreshes
 * the token; a call refused with 401 gets one new token and one more try.
 */
final class VertexCalls {

    /** One token's calls. */
    record Calls(String authorization, ServiceHttp api, ServiceHttp storage) {
    }

    private final HttpUrl base;
    private final HttpUrl storage;
    private final OkHttpClient http;
    private final ObjectMapper json;
    private final RequestRateLimiter limiter;
    private final HttpDeadlines deadlines;
    private final VertexErrors errors;
    private final VertexAuth auth;
    private volatile Calls current;

    VertexCalls(HttpUrl base, HttpUrl storage, VertexAuth auth, OkHttpClient http, ObjectMapper json,
            RequestRateLimiter limiter, HttpDeadlines deadlines) {
        this.base = base;
        this.storage = storage;
        this.auth = auth;
        this.http = http;
        this.json = json;
        this.limiter = limiter;
        this.deadlines = deadlines;
        this.errors = new VertexErrors(json);
    }

    /**
     * A call with the current token; refused with 401, once more with a new one (this machine's clock may say the
     * token is good when Google's says it expired), as Google's own HTTP adapter does. A 401 sent nothing.
     */
    <T> T authorized(Function<Calls, T> call) {
        Calls calls = calls();
        try {
            return call.apply(calls);
        } catch (ServiceException e) {
            if (e.httpStatus() != 401 || !auth.refreshAfterRefusal(calls.authorization())) {
                throw e;
            }
            return call.apply(calls());
        }
    }

    /** The calls with the library's current token: the same while it is valid, new ones after a refresh. */
    private Calls calls() {
        VertexAuth.Headers headers;
        try {
            headers = auth.headers();
        } catch (IOException | RuntimeException e) {
            throw new ServiceException(ErrorKind.SYSTEMIC, Operation.CREATE.label(), 0, "no_token",
                    Messages.get("vertex.no-token", e.getMessage() == null ? e.getClass().getSimpleName()
                            : e.getMessage()), null, null, null, null, null);
        }
        Calls calls = current;
        if (calls != null && calls.authorization().equals(headers.authorization())) {
            return calls;
        }
        CredentialScope scope = CredentialScope.of(List.of(base, storage), "Authorization", headers.authorization());
        OkHttpClient withProject = headers.userProject() == null ? http : http.newBuilder().addInterceptor(chain ->
                chain.proceed(chain.request().newBuilder().header(VertexAuth.USER_PROJECT, headers.userProject())
                        .build())).build();
        calls = new Calls(headers.authorization(),
                new ServiceHttp(withProject, json, limiter, scope, deadlines, base.host(), errors),
                new ServiceHttp(withProject, json, RequestRateLimiter.unlimited(), scope, deadlines, storage.host(),
                        errors));
        current = calls;
        return calls;
    }
}
