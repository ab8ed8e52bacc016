package dev.sorabatch.provider.vertex;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.sorabatch.i18n.Messages;
import dev.sorabatch.service.VideoJob;

/**
 * A Veo operation as the neutral {@link VideoJob}: its id is the full operation name; each video is a generation,
 * named by its {@code gs://} URI or, inline, by {@code <operation name>#<index>} (decoded from the operation's answer
 * when downloaded). A done operation without videos failed: its {@code error} (gRPC code, status, message) or its
 * safety filter's reasons are the failure reason.
 */
final class VertexJobs {

    static final String RUNNING = "running";
    static final String SUCCEEDED = "succeeded";
    static final String FAILED = "failed";
    static final String FILTERED = "filtered";
    /** The failure reason's prefix of a video withheld by the safety filters. */
    static final String RAI_PREFIX = "raiMediaFiltered";

    private VertexJobs() {
    }

    static VideoJob created(String name, String model, int variants, String requestId) {
        return job(name, RUNNING, List.of(), null, model, variants, requestId, false, false);
    }

    static VideoJob of(String id, VertexOperation op, String requestId) {
        if (!op.done()) {
            return job(id, RUNNING, List.of(), null, null, null, requestId, false, false);
        }
        List<String> generations = new ArrayList<>();
        for (int i = 0; i < op.videos().size(); i++) {
            VertexOperation.Video video = op.videos().get(i);
            generations.add(video.gcsUri() != null ? video.gcsUri() : id + "#" + i);
        }
        if (op.errorCode() != null || op.errorMessage() != null) {
            String reason = "error " + op.errorCode() + (op.errorStatus() == null ? "" : " " + op.errorStatus())
                    + ": " + (op.errorMessage() == null ? "" : op.errorMessage());
            return job(id, FAILED, List.of(), reason, null, null, requestId, true, false);
        }
        if (generations.isEmpty()) {
            String reason = RAI_PREFIX + " " + op.filteredCount() + ": " + String.join(" | ", op.filteredReasons());
            return job(id, op.filteredCount() > 0 ? FILTERED : FAILED, List.of(), reason, null, null, requestId, true,
                    false);
        }
        return job(id, SUCCEEDED, generations, null, null, generations.size(), requestId, true, true);
    }

    /**
     * An operation found by its folder in Cloud Storage, its create's answer having been lost: done, with the
     * videos filed there; its id is the folder ({@code gs://bucket/prefix/row-…/123/}).
     */
    static VideoJob stored(String folder, List<String> videos, Long createdAt) {
        return new VideoJob(folder, SUCCEEDED, createdAt, createdAt, null, List.copyOf(videos), null, null, null, null,
                null, null, videos.size(), null, (Duration) null, true, true, null);
    }

    /** An adopted folder whose videos are no longer there. */
    static VideoJob gone(String folder) {
        return job(folder, FAILED, List.of(), Messages.get("vertex.folder-empty", folder), null, null, null, true,
                false);
    }

    private static VideoJob job(String id, String status, List<String> generations, String reason, String model,
            Integer variants, String requestId, boolean terminal, boolean success) {
        Long now = terminal || RUNNING.equals(status) && model != null ? System.currentTimeMillis() / 1000 : null;
        return new VideoJob(id, status, model != null ? now : null, terminal ? now : null, null, List.copyOf(generations),
                reason, null, model, null, null, null, variants, requestId, (Duration) null, terminal, success, null);
    }
}
