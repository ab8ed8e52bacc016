package dev.sorabatch.provider.vertex;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.google.auth.oauth2.ExternalAccountCredentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ImpersonatedCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.auth.oauth2.UserCredentials;

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

    /**
     * The credentials a key file holds (what GOOGLE_APPLICATION_CREDENTIALS names), read by the loader of its own
     * {@code type}, as Google advises for files it did not write itself: a service-account key, gcloud's
     * application-default user credentials, workload identity federation or an impersonation file.
     *
     * @throws IOException when the file cannot be read or is none of these
     */
    static GoogleCredentials fromFile(Path file) throws IOException {
        byte[] content = Files.readAllBytes(file);
        String type;
        try {
            type = new tools.jackson.databind.ObjectMapper().readTree(content).path("type").asString("");
        } catch (tools.jackson.core.JacksonException e) {
            throw new IOException(dev.sorabatch.i18n.Messages.get("vertex.key-not-json"));
        }
        InputStream in = new java.io.ByteArrayInputStream(content);
        GoogleCredentials credentials = switch (type) {
            case "service_account" -> ServiceAccountCredentials.fromStream(in);
            case "authorized_user" -> UserCredentials.fromStream(in);
            case "external_account" -> ExternalAccountCredentials.fromStream(in);
            case "impersonated_service_account" -> ImpersonatedCredentials.fromStream(in);
            default -> throw new IOException(dev.sorabatch.i18n.Messages.get("vertex.key-type", type));
        };
        return credentials.createScoped(List.of(SCOPE));
    }

    /**
     * A new token now, after the API refused the current one (401): its clock and Google's may disagree on when it
     * expires, as Google's own HTTP adapter assumes. False when the credentials cannot refresh or gave the same.
     */
    boolean refreshAfterRefusal(String refusedAuthorization) {
        try {
            credentials.refresh();
            return !refusedAuthorization.equals(headers().authorization());
        } catch (IOException | RuntimeException e) {
            return false;
        }
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
