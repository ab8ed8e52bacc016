package dev.sorabatch.provider.vertex;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import dev.sorabatch.simulator.SimulatedJob;
import dev.sorabatch.simulator.Wire;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A simulated Veo operation as {@code fetchPredictOperation} answers it (shared/providers-api.md §2.4): while it
 * runs, its name alone ({@code done} left out, as Google's JSON leaves out false); done, {@code response.videos[]}
 * inline ({@code bytesBase64Encoded}) or, when the create named a {@code storageUri}, as {@code gcsUri}s of the
 * objects Veo wrote under it ({@code {storageUri}{folder}/sample_N.mp4}); withheld by the safety filters,
 * {@code raiMediaFilteredCount} and {@code raiMediaFilteredReasons} with a support code; failed, a
 * {@code google.rpc.Status} {@code error} with its gRPC code.
 */
final class VertexOperationAnswers {

    static final String RESPONSE_TYPE = "type.googleapis.com/cloud.ai.large_models.vision.GenerateVideoResponse";
    static final String FILTERED_PROMPT = "The prompt could not be submitted. This prompt contains sensitive words that "
            + "violate Google's Responsible AI practices. Try rephrasing the prompt. If you think this was an error, "
            + "send feedback. Support codes: 29310472";
    static final String FILTERED_IMAGE = "Veo could not generate videos because the input image violates Vertex AI's "
            + "usage guidelines. If you think this was an error, send feedback. Support codes: 17301594";
    static final String PERSON_APPROVAL = "Your project is not allowed to use personGeneration allow_all: it needs "
            + "to be approved for person or child generation. Use allow_adult, or ask Google for approval.";

    /** One object Veo wrote to Cloud Storage. */
    record StoredVideo(String bucket, String name, long createdAtMillis, SimulatedJob job) {
    }

    private final String inlineVideo;
    private final int videoBytes;

    VertexOperationAnswers(byte[] video) {
        this.inlineVideo = Base64.getEncoder().encodeToString(video);
        this.videoBytes = video.length;
    }

    static String name(SimulatedJob job) {
        JsonNode r = job.request;
        return "projects/" + r.path("project").asString() + "/locations/" + r.path("location").asString()
                + "/publishers/google/models/" + job.model + "/operations/" + job.id;
    }

    ObjectNode answer(SimulatedJob job, long now) {
        ObjectNode op = Wire.JSON.createObjectNode();
        op.put("name", name(job));
        String status = job.status(now);
        if (!status.equals("succeeded") && !status.equals("failed")) {
            return op;
        }
        op.put("done", true);
        switch (job.outcome) {
            case FAIL_MODERATION -> {
                ObjectNode response = op.putObject("response").put("@type", RESPONSE_TYPE);
                response.put("raiMediaFilteredCount", job.nVariants);
                response.putArray("raiMediaFilteredReasons")
                        .add(job.request.path("filtered").asString("").equals("image") ? FILTERED_IMAGE : FILTERED_PROMPT);
            }
            case FAIL_INVALID -> op.putObject("error").put("code", 3).put("message", PERSON_APPROVAL);
            case FAIL_INTERNAL -> op.putObject("error").put("code", 13).put("message", "Internal error encountered.");
            default -> {
                ObjectNode response = op.putObject("response").put("@type", RESPONSE_TYPE);
                response.put("raiMediaFilteredCount", 0);
                ArrayNode videos = response.putArray("videos");
                String storage = storageUri(job);
                for (int i = 0; i < job.nVariants; i++) {
                    ObjectNode video = videos.addObject();
                    if (storage != null) {
                        video.put("gcsUri", storage + job.request.path("folder").asString() + "/sample_" + i + ".mp4");
                    } else {
                        video.put("bytesBase64Encoded", inlineVideo);
                    }
                    video.put("mimeType", "video/mp4");
                }
            }
        }
        return op;
    }

    /** The objects a finished operation wrote under its {@code storageUri}; none for inline or unfinished ones. */
    List<StoredVideo> stored(SimulatedJob job, long now) {
        String storage = storageUri(job);
        if (storage == null || job.outcome != SimulatedJob.Outcome.SUCCEED || !job.status(now).equals("succeeded")) {
            return List.of();
        }
        String path = storage.substring("gs://".length());
        int slash = path.indexOf('/');
        String bucket = slash < 0 ? path : path.substring(0, slash);
        String prefix = slash < 0 ? "" : path.substring(slash + 1);
        List<StoredVideo> objects = new ArrayList<>();
        for (int i = 0; i < job.nVariants; i++) {
            objects.add(new StoredVideo(bucket, prefix + job.request.path("folder").asString() + "/sample_" + i
                    + ".mp4", job.finishedAtMillis(), job));
        }
        return objects;
    }

    /** An object's metadata, as the JSON API lists it. */
    ObjectNode metadata(StoredVideo video) {
        ObjectNode item = Wire.JSON.createObjectNode();
        item.put("kind", "storage#object");
        item.put("id", video.bucket() + "/" + video.name() + "/" + video.createdAtMillis());
        item.put("name", video.name());
        item.put("bucket", video.bucket());
        item.put("contentType", "video/mp4");
        item.put("size", String.valueOf(videoBytes));
        item.put("timeCreated", Instant.ofEpochMilli(video.createdAtMillis()).toString());
        item.put("updated", Instant.ofEpochMilli(video.createdAtMillis()).toString());
        return item;
    }

    /** The create's {@code storageUri}, ending in a slash, or null for inline videos. */
    private static String storageUri(SimulatedJob job) {
        String uri = job.request.path("storageUri").asString(null);
        return uri == null ? null : uri.endsWith("/") ? uri : uri + "/";
    }
}
