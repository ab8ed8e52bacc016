package dev.sorabatch.sora;

import java.nio.file.Path;
import java.util.List;

/**
 * One Sora wire protocol: what the batch job needs from a video service, whatever it speaks. Each implementation
 * maps requests, statuses, errors and downloads of its protocol onto {@link VideoJob} and {@link SoraApiException};
 * the job, the ledger, the retry and skip policy and the report do not know which one they talk to. One method per
 * call, one attempt per method: retrying is the caller's decision, because only the caller knows whether a second
 * create could pay twice.
 */
public interface SoraClient {

    Provider provider();

    /** The model or deployment sent when a row names none. */
    String deployment();

    /** Where it sends its calls, for messages (never with a key). */
    String describe();

    VideoJob create(CreateVideoRequest request);

    VideoJob get(String jobId);

    /** The most recent jobs, newest first. */
    List<VideoJob> list(int limit);

    /** Deletes a job (a time-out); a job the service no longer knows counts as deleted. */
    void delete(String jobId);

    /** Streams one generation's video or thumbnail to {@code target}, atomically, checking its length. */
    long download(String generationId, ContentKind kind, Path target);

    /** The file extension {@code kind} is saved under ({@code mp4}; {@code jpg} or {@code webp} thumbnails). */
    String extension(ContentKind kind);
}
