package dev.sorabatch.http;

import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The request a redirect answer asks for, as OkHttp's own following builds it: 307 and 308 keep the method and the
 * body, 300-303 turn a request with a body into a GET. Headers are kept; {@link CredentialScope} decides which
 * credentials each hop carries.
 */
final class Redirects {

    private Redirects() {
    }

    /** The follow-up request, or null when {@code response} is not a redirect that can be followed. */
    static Request next(Response response) {
        int code = response.code();
        boolean keepsMethod = code == 307 || code == 308;
        if (!keepsMethod && (code < 300 || code > 303)) {
            return null;
        }
        String location = response.header("Location");
        HttpUrl url = location == null ? null : response.request().url().resolve(location);
        if (url == null) {
            return null;
        }
        Request request = response.request();
        Request.Builder next = request.newBuilder().url(url);
        if (request.body() != null && !keepsMethod) {
            next.method("GET", null).removeHeader("Transfer-Encoding").removeHeader("Content-Length")
                    .removeHeader("Content-Type");
        }
        return next.build();
    }
}
