package dev.sorabatch.http;

import dev.sorabatch.service.ServiceException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Credentials go to the service's own origin (scheme, host and port) and nowhere else, whatever the provider. The
 * client built by {@link #client} follows redirects itself (OkHttp's own following is off: it keeps every header
 * but {@code Authorization} on a cross-host redirect): each hop gets the credential headers when, and only when,
 * it goes to the service's origin, and every header that can carry a credential is removed from a hop to any other
 * host. A redirect chain that comes back to an address already visited, or is longer than {@link #MAX_REDIRECTS},
 * is a {@link RedirectLoopException} at once.
 *
 * <p>A new provider (fal.ai, Google) declares its credential header here and gets the same rule; its files on CDN
 * or storage hosts are fetched with no credential of any kind.
 */
public final class CredentialScope implements Interceptor {

    static final int MAX_REDIRECTS = 20;

    /** Headers that carry a credential in some API; never sent to a host outside the scope. */
    private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "proxy-authorization", "api-key",
            "x-api-key", "x-goog-api-key", "ocp-apim-subscription-key", "cookie");

    private final List<HttpUrl> origins;
    private final Map<String, String> credentials;

    private CredentialScope(List<HttpUrl> origins, Map<String, String> credentials) {
        this.origins = origins;
        this.credentials = credentials;
    }

    /** {@code header: value} sent to {@code service}'s origin only. */
    public static CredentialScope of(HttpUrl service, String header, String value) {
        return of(List.of(service), header, value);
    }

    /** {@code header: value} sent to these origins only (fal: its queue and its platform API). */
    public static CredentialScope of(List<HttpUrl> services, String header, String value) {
        Map<String, String> credentials = new LinkedHashMap<>();
        if (value != null) {
            if (ApiKey.badCharPosition(value) > 0) {
                // OkHttp's own message would quote the value
                throw new IllegalArgumentException("the " + header + " credential has a character an HTTP header "
                        + "cannot carry");
            }
            credentials.put(header, value);
        }
        return new CredentialScope(List.copyOf(services), credentials);
    }

    /** No credential anywhere (image URLs): redirects are followed with every credential header removed. */
    public static CredentialScope none() {
        return new CredentialScope(List.of(), Map.of());
    }

    /** {@code http} with redirects followed by this scope. */
    OkHttpClient client(OkHttpClient http) {
        return http.newBuilder().followRedirects(false).followSslRedirects(false).addInterceptor(this).build();
    }

    /** {@code text} with every credential value replaced by {@code ****}; null stays null. */
    String scrub(String text) {
        if (text == null) {
            return null;
        }
        String scrubbed = text;
        for (String value : secrets()) {
            scrubbed = scrubbed.replace(value, "****");
        }
        return scrubbed;
    }

    /**
     * {@code e} as it may be shown: a message, excerpt or cause that contains a credential (a server echoing the
     * header, a library quoting a header value) is rebuilt without it.
     */
    ServiceException scrub(ServiceException e) {
        boolean causeReveals = false;
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            causeReveals |= reveals(t.getMessage());
        }
        if (!causeReveals && !reveals(e.getMessage()) && !reveals(e.bodyExcerpt())) {
            return e;
        }
        return new ServiceException(e.kind(), e.operation(), e.httpStatus(), scrub(e.errorCode()),
                scrub(e.errorMessage()), scrub(e.innerCode()), e.requestId(), scrub(e.bodyExcerpt()), e.retryAfter(),
                causeReveals ? null : e.getCause());
    }

    private boolean reveals(String text) {
        return text != null && !text.equals(scrub(text));
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        HttpUrl first = request.url();
        Set<HttpUrl> visited = new LinkedHashSet<>();
        visited.add(request.url());
        while (true) {
            Response response = chain.proceed(scoped(request));
            Request next = Redirects.next(response);
            if (next == null) {
                return response;
            }
            response.close();
            if (!visited.add(next.url()) || visited.size() > MAX_REDIRECTS + 1) {
                throw new RedirectLoopException(first, next.url(), visited.size());
            }
            request = next;
        }
    }

    private Request scoped(Request request) {
        Request.Builder builder = request.newBuilder();
        for (String name : request.headers().names()) {
            if (CREDENTIAL_HEADERS.contains(name.toLowerCase(Locale.ROOT)) || credentials.containsKey(name)) {
                builder.removeHeader(name);
            }
        }
        if (sameOrigin(request.url())) {
            credentials.forEach(builder::header);
        }
        return builder.build();
    }

    private boolean sameOrigin(HttpUrl url) {
        return origins.stream().anyMatch(origin -> sameOrigin(origin, url));
    }

    /** Same scheme, host and port: where a credential may go. */
    public static boolean sameOrigin(HttpUrl origin, HttpUrl url) {
        return origin.scheme().equals(url.scheme()) && origin.host().equalsIgnoreCase(url.host())
                && origin.port() == url.port();
    }

    private Set<String> secrets() {
        Set<String> values = new LinkedHashSet<>();
        for (String value : credentials.values()) {
            values.add(value);
            int space = value.indexOf(' ');
            if (space > 0 && space + 1 < value.length()) {
                values.add(value.substring(space + 1)); // "Bearer <key>": the key alone too
            }
        }
        values.removeIf(v -> v.length() < 4);
        return values;
    }

    /** A redirect chain that goes round in circles, or on past {@link #MAX_REDIRECTS} hops. */
    public static final class RedirectLoopException extends java.net.ProtocolException {

        private final transient HttpUrl where;

        RedirectLoopException(HttpUrl from, HttpUrl where, int hops) {
            super("redirect loop: " + from.host() + " redirected " + (hops == 1 ? "once" : hops + " times")
                    + ", back to " + where.host()
                    + where.encodedPath());
            this.where = where;
        }

        /** The host the chain loops through (never with the query, which may hold a signature). */
        public String host() {
            return where.host();
        }
    }
}
