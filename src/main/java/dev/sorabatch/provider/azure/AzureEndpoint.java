package dev.sorabatch.provider.azure;

import java.util.List;
import java.util.Locale;

import okhttp3.HttpUrl;

/**
 * The address of an Azure OpenAI resource's Sora jobs API.
 *
 * <p>Users paste either the full jobs URL (as the Azure quickstart shows it, with {@code ?api-version=preview})
 * or the resource base URL; both name the same API, so both are accepted and normalised here once.
 */
public record AzureEndpoint(HttpUrl base, String apiVersion) {

    public static final String DEFAULT_API_VERSION = "preview";

    private static final List<String> API_PATH = List.of("openai", "v1", "video", "generations");

    /**
     * @throws IllegalArgumentException with a message that says what is wrong and what a good value looks like
     */
    public static AzureEndpoint parse(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new IllegalArgumentException(dev.sorabatch.i18n.Messages.get("config.endpoint-missing"));
        }
        String trimmed = raw.trim();
        HttpUrl url = HttpUrl.parse(trimmed);
        if (url == null) {
            throw new IllegalArgumentException(dev.sorabatch.i18n.Messages.get("config.endpoint-not-url", trimmed));
        }
        String apiVersion = url.queryParameter("api-version");
        if (apiVersion == null || apiVersion.isBlank()) {
            apiVersion = DEFAULT_API_VERSION;
        }
        // Keep whatever path comes before "/openai/..." (a gateway may add a prefix), drop the API part.
        List<String> segments = url.pathSegments();
        int openai = -1;
        for (int i = 0; i < segments.size(); i++) {
            if (segments.get(i).toLowerCase(Locale.ROOT).equals("openai")) {
                openai = i;
                break;
            }
        }
        List<String> prefix = openai >= 0 ? segments.subList(0, openai) : segments;
        HttpUrl.Builder base = new HttpUrl.Builder().scheme(url.scheme()).host(url.host()).port(url.port());
        for (String segment : prefix) {
            if (!segment.isEmpty()) {
                base.addPathSegment(segment);
            }
        }
        return new AzureEndpoint(base.build(), apiVersion);
    }

    public HttpUrl jobs() {
        return api().addPathSegment("jobs").build();
    }

    public HttpUrl job(String jobId) {
        return api().addPathSegment("jobs").addPathSegment(jobId).build();
    }

    public HttpUrl listJobs(int limit) {
        return api().addPathSegment("jobs").addQueryParameter("limit", Integer.toString(limit)).build();
    }

    /** Content is addressed by generation id, not job id: {@code /generations/{id}/content/video|thumbnail}. */
    public HttpUrl generationContent(String generationId, String kind) {
        return api().addPathSegment(generationId).addPathSegment("content").addPathSegment(kind).build();
    }

    /** A host a human can recognise in messages; never carries credentials. */
    public String describe() {
        return base.scheme() + "://" + base.host() + (base.port() == HttpUrl.defaultPort(base.scheme()) ? "" : ":" + base.port())
                + base.encodedPath().replaceAll("/$", "");
    }

    private HttpUrl.Builder api() {
        HttpUrl.Builder b = base.newBuilder();
        API_PATH.forEach(b::addPathSegment);
        b.addQueryParameter("api-version", apiVersion);
        return b;
    }
}
