package dev.sorabatch.provider.vertex;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import dev.sorabatch.simulator.LoopbackHttpServer;
import dev.sorabatch.simulator.SimulatedJob;
import dev.sorabatch.simulator.SimulatorDialect;
import dev.sorabatch.simulator.Wire;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The simulated Cloud Storage JSON API ({@code storage.googleapis.com}) on its own listener, serving the videos
 * Veo wrote under a create's {@code storageUri}: {@code GET /storage/v1/b/{bucket}/o/{object}?alt=media} (the
 * bytes; without {@code alt=media}, the metadata) and {@code GET /storage/v1/b/{bucket}/o?prefix=…} (the listing,
 * by name, {@code maxResults} a page and {@code nextPageToken} for the next), with the same bearer tokens as
 * Vertex: none or a bad one is 401, as Cloud Storage words it.
 */
final class VertexStorageDialect implements SimulatorDialect {

    private static final String OBJECTS = "/storage/v1/b/";

    private final VertexSimulator simulator;
    private final VertexOperationAnswers operations;

    VertexStorageDialect(VertexSimulator simulator, VertexOperationAnswers operations) {
        this.simulator = simulator;
        this.operations = operations;
    }

    @Override
    public boolean serves(LoopbackHttpServer.Request request) {
        return true;
    }

    @Override
    public boolean needsKey() {
        return false;
    }

    @Override
    public String presentedKey(LoopbackHttpServer.Request request) {
        return request.header("Authorization");
    }

    @Override
    public LoopbackHttpServer.Reply unauthorized(LoopbackHttpServer.Request request) {
        return VertexReplies.storageError(401, "required", "Anonymous caller does not have storage.objects.get "
                + "access to the Google Cloud Storage object.");
    }

    @Override
    public LoopbackHttpServer.Reply misdirected(LoopbackHttpServer.Request request, Map<String, String> query) {
        String[] parts = parts(request);
        if (parts == null || !(request.method().equals("GET") || request.method().equals("HEAD"))) {
            simulator.count("not-found");
            return VertexReplies.storageError(404, "notFound", "Not Found");
        }
        VertexTokenEndpoint.Check token = simulator.tokens().check(request.header("Authorization"));
        if (token == VertexTokenEndpoint.Check.MISSING) {
            simulator.count("unauthorized");
            return unauthorized(request);
        }
        if (token != VertexTokenEndpoint.Check.VALID) {
            simulator.count("unauthorized");
            return token == VertexTokenEndpoint.Check.NO_SCOPE
                    ? VertexReplies.storageError(403, "insufficientPermissions", "Insufficient Permission")
                    : VertexReplies.storageError(401, "authError", "Invalid Credentials");
        }
        return null;
    }

    @Override
    public LoopbackHttpServer.Reply fault(Fault fault, Integer retryAfterSeconds) {
        return VertexReplies.storageFault(fault);
    }

    @Override
    public LoopbackHttpServer.Reply answer(LoopbackHttpServer.Request request, Map<String, String> query) {
        String[] parts = parts(request);
        List<VertexOperationAnswers.StoredVideo> objects = objects(parts[0]);
        if (parts[1] == null) {
            return list(parts[0], objects, query);
        }
        VertexOperationAnswers.StoredVideo video = objects.stream().filter(o -> o.name().equals(parts[1]))
                .findFirst().orElse(null);
        if (video == null) {
            simulator.count("not-found");
            return VertexReplies.storageError(404, "notFound", "No such object: " + parts[0] + "/" + parts[1]);
        }
        if ("media".equals(query.get("alt"))) {
            return simulator.file(simulator.video(), "video/mp4");
        }
        return VertexReplies.json(200, operations.metadata(video));
    }

    private LoopbackHttpServer.Reply list(String bucket, List<VertexOperationAnswers.StoredVideo> objects,
            Map<String, String> query) {
        simulator.count("storage-list");
        String prefix = query.getOrDefault("prefix", "");
        Integer max = Wire.integer(query.getOrDefault("maxResults", "1000"));
        Integer from = Wire.integer(query.getOrDefault("pageToken", "0"));
        List<VertexOperationAnswers.StoredVideo> matching = objects.stream().filter(o -> o.name().startsWith(prefix))
                .sorted(Comparator.comparing(VertexOperationAnswers.StoredVideo::name)).toList();
        int start = from == null ? 0 : Math.min(from, matching.size());
        int end = Math.min(matching.size(), start + (max == null || max < 1 ? 1000 : max));
        ObjectNode body = Wire.JSON.createObjectNode().put("kind", "storage#objects");
        if (end > start) {
            ArrayNode items = body.putArray("items");
            matching.subList(start, end).forEach(o -> items.add(operations.metadata(o)));
        }
        if (end < matching.size()) {
            body.put("nextPageToken", String.valueOf(end));
        }
        return VertexReplies.json(200, body);
    }

    /** The objects of one bucket: what the finished operations that named it wrote. */
    private List<VertexOperationAnswers.StoredVideo> objects(String bucket) {
        long now = System.currentTimeMillis();
        simulator.jobs().startWaitingJobs(now);
        List<VertexOperationAnswers.StoredVideo> objects = new ArrayList<>();
        for (SimulatedJob job : simulator.jobs().of(VertexApiDialect.DIALECT)) {
            operations.stored(job, now).stream().filter(o -> o.bucket().equals(bucket)).forEach(objects::add);
        }
        return objects;
    }

    /** {@code /storage/v1/b/{bucket}/o[/{object}]} → bucket and object (null for the listing); null for another path. */
    private static String[] parts(LoopbackHttpServer.Request request) {
        String path = request.path();
        if (!path.startsWith(OBJECTS)) {
            return null;
        }
        String rest = path.substring(OBJECTS.length());
        int o = rest.indexOf("/o");
        if (o <= 0) {
            return null;
        }
        String bucket = rest.substring(0, o);
        String after = rest.substring(o + 2);
        if (after.isEmpty()) {
            return new String[] { bucket, null };
        }
        if (!after.startsWith("/") || after.length() == 1) {
            return null;
        }
        return new String[] { bucket, URLDecoder.decode(after.substring(1), StandardCharsets.UTF_8) };
    }
}
