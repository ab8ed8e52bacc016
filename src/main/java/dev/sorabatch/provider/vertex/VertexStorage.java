package dev.sorabatch.provider.vertex;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.sorabatch.http.Json;
import dev.sorabatch.http.ServiceHttp;
import dev.sorabatch.i18n.Messages;
import dev.sorabatch.service.CreateVideoRequest;
import dev.sorabatch.service.ErrorKind;
import dev.sorabatch.service.Operation;
import dev.sorabatch.service.ServiceException;
import dev.sorabatch.service.VideoJob;
import okhttp3.HttpUrl;
import okhttp3.Request;
import tools.jackson.databind.JsonNode;

/**
 * Where Veo files the videos when {@code sora.vertex.storage-uri} is set (shared/providers-api.md §2.5–2.6), and
 * the Cloud Storage JSON API that serves them. Each row's create names its own sub-prefix,
 * {@code {storage-uri}/row-{n}-{fingerprint of its inputs}/}, under which Veo writes a folder per operation with
 * its {@code sample_N.mp4}: so a create whose answer was lost (Veo operations cannot be listed) can still be found
 * by listing the row's sub-prefix ({@code GET /storage/v1/b/{bucket}/o?prefix=…}), each folder found being one
 * finished operation, named by its {@code gs://} folder.
 */
final class VertexStorage {

    private static final int MAX_PAGES = 20;

    private final HttpUrl api;
    /** {@code gs://bucket/prefix}, without the trailing slash; null: videos come inline. */
    private final String base;

    VertexStorage(HttpUrl api, String storageUri) {
        this.api = api;
        this.base = storageUri == null || storageUri.isBlank() ? null : storageUri.strip().replaceAll("/+$", "");
    }

    boolean configured() {
        return base != null;
    }

    /** The {@code storageUri} a row's create sends; the configured one as it is for a request naming no row. */
    String uriFor(CreateVideoRequest request) {
        if (base == null) {
            return null;
        }
        return request.rowKey() == null ? base + "/" : base + "/" + request.rowKey() + "-" + fingerprint(request) + "/";
    }

    /** Whether {@code job} is one of the folders under the row's own sub-prefix. */
    boolean holds(CreateVideoRequest request, VideoJob job) {
        return base != null && request.rowKey() != null && job.id().startsWith(uriFor(request));
    }

    /** {@code gs://bucket/a/b.mp4} → {@code {api}/storage/v1/b/bucket/o/a%2Fb.mp4?alt=media}. */
    HttpUrl objectUrl(String gcsUri) {
        String[] bucketAndPath = split(gcsUri, Operation.DOWNLOAD_VIDEO);
        if (bucketAndPath[1].isEmpty()) {
            throw notGcs(gcsUri, Operation.DOWNLOAD_VIDEO);
        }
        return bucket(bucketAndPath[0]).addPathSegment(bucketAndPath[1]).addQueryParameter("alt", "media").build();
    }

    Request objectRequest(String gcsUri) {
        return new Request.Builder().url(objectUrl(gcsUri)).header("User-Agent", "sora-batch").get().build();
    }

    /**
     * The finished operations under {@code prefixUri} ({@code gs://bucket/prefix/}): one job per folder holding
     * {@code .mp4} objects, its videos in name order, created when its first video was.
     */
    List<VideoJob> outputsUnder(ServiceHttp http, String prefixUri) {
        String[] bucketAndPath = split(prefixUri, Operation.LIST);
        String prefix = bucketAndPath[1];
        Map<String, List<String>> videos = new TreeMap<>();
        Map<String, Long> created = new TreeMap<>();
        String pageToken = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            HttpUrl.Builder url = bucket(bucketAndPath[0]).addQueryParameter("prefix", prefix);
            if (pageToken != null) {
                url.addQueryParameter("pageToken", pageToken);
            }
            ServiceHttp.Answer answer = http.call(Operation.LIST, new Request.Builder().url(url.build())
                    .header("Accept", "application/json").header("User-Agent", "sora-batch").get().build());
            for (JsonNode item : answer.body().path("items")) {
                String name = Json.text(item, "name");
                String rest = name == null ? "" : name.substring(Math.min(prefix.length(), name.length()));
                int slash = rest.indexOf('/');
                if (name == null || !name.startsWith(prefix) || slash <= 0 || !name.endsWith(".mp4")) {
                    continue;
                }
                String folder = "gs://" + bucketAndPath[0] + "/" + prefix + rest.substring(0, slash + 1);
                videos.computeIfAbsent(folder, f -> new ArrayList<>()).add("gs://" + bucketAndPath[0] + "/" + name);
                Long at = seconds(Json.text(item, "timeCreated"));
                if (at != null) {
                    created.merge(folder, at, Math::min);
                }
            }
            pageToken = Json.text(answer.body(), "nextPageToken");
            if (pageToken == null || pageToken.isEmpty()) {
                break;
            }
        }
        List<VideoJob> jobs = new ArrayList<>();
        videos.forEach((folder, files) -> jobs.add(VertexJobs.stored(folder, files.stream().sorted().toList(),
                created.get(folder))));
        return jobs;
    }

    /** An operation adopted from its folder: finished with the videos still there, failed when none are. */
    VideoJob stored(ServiceHttp http, String folderUri) {
        String parent = folderUri.substring(0, folderUri.lastIndexOf('/', folderUri.length() - 2) + 1);
        return outputsUnder(http, parent).stream().filter(job -> job.id().equals(folderUri)).findFirst()
                .orElseGet(() -> VertexJobs.gone(folderUri));
    }

    /** What makes two rows' requests differ, so rows of two inputs filed under one prefix do not meet. */
    static String fingerprint(CreateVideoRequest request) {
        StringBuilder text = new StringBuilder().append(request.prompt()).append('\n').append(request.model())
                .append('\n').append(request.nSeconds()).append('\n').append(request.nVariants()).append('\n')
                .append(request.imageUrl()).append('\n').append(request.inputs().aspectRatio()).append('\n')
                .append(request.inputs().resolution()).append('\n').append(request.inputs().negativePrompt())
                .append('\n').append(request.inputs().seed());
        new TreeMap<>(request.inputs().params()).forEach((k, v) -> text.append('\n').append(k).append('=').append(v));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpUrl.Builder bucket(String bucket) {
        return api.newBuilder().addPathSegments("storage/v1/b").addPathSegment(bucket).addPathSegment("o");
    }

    /** {@code gs://bucket/path} → bucket and path (possibly empty). */
    private static String[] split(String gcsUri, Operation operation) {
        if (gcsUri == null || !gcsUri.startsWith("gs://")) {
            throw notGcs(gcsUri, operation);
        }
        String path = gcsUri.substring("gs://".length());
        int slash = path.indexOf('/');
        if (slash == 0 || path.isEmpty()) {
            throw notGcs(gcsUri, operation);
        }
        return slash < 0 ? new String[] { path, "" } : new String[] { path.substring(0, slash), path.substring(slash + 1) };
    }

    private static ServiceException notGcs(String gcsUri, Operation operation) {
        return new ServiceException(ErrorKind.ROW, operation.label(), 0, "not_a_gcs_uri",
                Messages.get("vertex.bad-gcs-uri", gcsUri), null, null, null, null, null);
    }

    private static Long seconds(String rfc3339) {
        try {
            return rfc3339 == null ? null : Instant.parse(rfc3339).getEpochSecond();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
