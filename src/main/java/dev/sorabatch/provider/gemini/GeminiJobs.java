package dev.sorabatch.provider.gemini;

import java.util.ArrayList;
import java.util.List;

import dev.sorabatch.provider.google.GoogleStatus;
import dev.sorabatch.service.VideoJob;

/**
 * A Gemini API Veo operation as the neutral {@link VideoJob}: its id is the operation's name
 * ({@code models/{model}/operations/{id}}); each video is a generation named by its file URI or, when its bytes came
 * inline, by {@code <operation name>#<index>}. A done operation that carries an {@code error} failed with its gRPC
 * code; one without any video was withheld by the safety filters (their reasons are the failure reason).
 */
final class GeminiJobs {

    /** The statuses a job is reported in (the operation itself has only {@code done}). */
    enum State {
        RUNNING, SUCCEEDED, FAILED, FILTERED;

        String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What the failure reason of a video withheld by the safety filters starts with. */
    static final String RAI_PREFIX = "raiMediaFiltered";
    /** Between the operation's name and a sample's index, in the generation id of an inline video. */
    static final char INLINE = '#';
    /** The failure reason of a done operation that names neither a video, nor an error, nor a filter. */
    static final String NO_VIDEO = "no_video";

    private GeminiJobs() {
    }

    static VideoJob created(String name, String model, int variants, String requestId) {
        long now = System.currentTimeMillis() / 1000;
        return new VideoJob(name, State.RUNNING.word(), now, null, null, List.of(), null, null, model, null, null, null, variants,
                requestId, null, false, false, null);
    }

    static VideoJob of(String id, GeminiOperation op, String requestId) {
        if (!op.done()) {
            return job(id, State.RUNNING, List.of(), null, requestId, false);
        }
        if (op.errorCode() != null || op.errorMessage() != null) {
            String name = op.errorStatus() != null ? op.errorStatus() : GoogleStatus.codeName(op.errorCode());
            String reason = "error " + op.errorCode() + (name == null ? "" : " " + name) + ": "
                    + (op.errorMessage() == null ? "" : op.errorMessage());
            return job(id, State.FAILED, List.of(), reason, requestId, true);
        }
        List<String> generations = new ArrayList<>();
        for (int i = 0; i < op.samples().size(); i++) {
            GeminiOperation.Sample sample = op.samples().get(i);
            if (sample.uri() != null) {
                generations.add(sample.uri());
            } else if (sample.inline()) {
                generations.add(id + INLINE + i);
            }
        }
        if (generations.isEmpty() && op.filteredCount() > 0) {
            // Google's reasons hold line breaks ("…a public figure.\nPlease use another image."): one line each
            String reason = RAI_PREFIX + " " + op.filteredCount() + ": "
                    + String.join(" | ", op.filteredReasons()).replaceAll("\\s*\\R\\s*", " ");
            return job(id, State.FILTERED, List.of(), reason, requestId, true);
        }
        if (generations.isEmpty()) {
            return job(id, State.FAILED, List.of(), NO_VIDEO, requestId, true);
        }
        return job(id, State.SUCCEEDED, generations, null, requestId, true);
    }

    private static VideoJob job(String id, State state, List<String> generations, String reason, String requestId,
            boolean done) {
        Long finished = done ? System.currentTimeMillis() / 1000 : null;
        return new VideoJob(id, state.word(), null, finished, null, List.copyOf(generations), reason, null, null, null, null,
                null, done && !generations.isEmpty() ? generations.size() : null, requestId, null, done,
                done && !generations.isEmpty(), null);
    }
}
