package dev.sorabatch.provider.vertex;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

import com.google.auth.oauth2.GoogleCredentials;

/**
 * Google's own credentials (Application Default Credentials, or any {@link GoogleCredentials} a test or the
 * simulator injects): the library refreshes the access token before it expires ({@code getRequestMetadata}) and
 * says the quota project ({@code x-goog-user-project}). No token is ever logged or put in a message here.
 */
final class VertexAuth {

    static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";
    static final String USER_PROJECT = "x-goog-user-project";

    /** The headers of one call: the bearer token, and the quota project when the credentials carry one. */
    record Headers(String authorization, String userProject) {
        @Override
        public String toString() {
            return "Headers[authorization=(not shown), userProject=" + userProject + "]";
        }
    }

    private final GoogleCredentials credentials;
    private final URI audience;

    VertexAuth(GoogleCredentials credentials, URI audience) {
        this.credentials = credentials.createScopedRequired() ? credentials.createScoped(List.of(SCOPE))
                : credentials;
        this.audience = audience;
    }

    /** Application Default Credentials, scoped to cloud-platform. */
    static GoogleCredentials applicationDefault() throws IOException {
        return GoogleCredentials.getApplicationDefault().createScoped(List.of(SCOPE));
    }

    /** @throws IOException when no token can be had (refresh refused, no network to the token server) */
    Headers headers() throws IOException {
        Map<String, List<String>> metadata = credentials.getRequestMetadata(audience);
        String authorization = first(metadata, "Authorization");
        if (authorization == null) {
            throw new IOException("the Google credentials gave no access token");
        }
        String quota = first(metadata, USER_PROJECT);
        if (quota == null) {
            quota = credentials.getQuotaProjectId();
        }
        return new Headers(authorization, quota == null || quota.isBlank() ? null : quota);
    }

    private static String first(Map<String, List<String>> metadata, String name) {
        for (Map.Entry<String, List<String>> e : metadata.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return e.getValue().get(0);
            }
        }
        return null;
    }
}
