package dev.sorabatch.service;

import java.nio.file.Path;
import java.util.List;

/**
 * One video service, whatever it speaks: what the batch job needs from it. Each provider maps requests, statuses,
 * errors and downloads of its protocol onto {@link VideoJob} and {@link ServiceException}, and declares what it can
 * do in {@link ServiceTraits}; the job, the ledger, the retry and skip policy and the report do not know which one
 * they talk to. One method per call, one attempt per method: retrying is the caller's decision, because only the
 * caller knows whether a second create could pay twice.
 */
public interface VideoService {

    Provider provider();

    /** What this service declares about itself: recovery by listing, inputs, limits. */
    ServiceTraits traits();

    /** Its error → cause-and-fix table (kept out of the HTTP client). */
    ServiceDiagnoses diagnoses();

    /** The model or deployment sent when a row names none. */
    String deployment();

    /** Where it sends its calls, for messages (never with a key). */
    String describe();

    VideoJob create(CreateVideoRequest request);

    /**
     * @param handle what the create answered besides the id ({@link VideoJob#handle()}, kept in the ledger), or
     *     null for a service that finds a job by its id alone
     */
    VideoJob get(String jobId, String handle);

    /**
     * The most recent jobs, newest first.
     *
     * @throws UnsupportedOperationException when {@link ServiceTraits#listsJobs()} is false
     */
    List<VideoJob> list(int limit);

    /**
     * Jobs that could be {@code request}'s, for finding a create whose answer was lost (sent at
     * {@code sinceEpochSecond} or later). A service that lists by model and time (fal) looks there, every page
     * within its own bounds; the others list their {@code limit} most recent jobs.
     */
    default List<VideoJob> recentJobsLike(CreateVideoRequest request, long sinceEpochSecond, int limit) {
        return list(limit);
    }

    /**
     * For a service that cannot list its jobs ({@link ServiceTraits#listsJobs()} false): what a lost create of
     * {@code request} (sent at {@code sinceEpochSecond} or later) made, found another way (Vertex with a storage
     * prefix: the videos filed under the row's own sub-prefix), as finished jobs; empty when the service has no way
     * to look, and an empty list when it looked and found nothing (yet).
     */
    default java.util.Optional<List<VideoJob>> outputsOfLostCreate(CreateVideoRequest request, long sinceEpochSecond) {
        return java.util.Optional.empty();
    }

    /** Whether {@code job}, as a listing describes it, is what {@code request} asks for. */
    default boolean isJobFor(CreateVideoRequest request, VideoJob job, String defaultModel) {
        return request.sameVideoAs(job, defaultModel);
    }

    /**
     * Whether the listing says what {@code job} was asked for. When it does not (fal with payload storage off),
     * the job may be any lost create's: it cannot be adopted, nor can the create be sent again without risking
     * paying twice.
     */
    default boolean echoesInput(VideoJob job) {
        return true;
    }

    /** Ends a job (a time-out); a job the service no longer knows counts as ended. */
    void cancel(String jobId, String handle);

    /** Whether {@link #cancel} really ends a job; false for a service that has no cancel (the job runs on, billed). */
    default boolean cancels() {
        return true;
    }

    /** Streams one generation's video or thumbnail to {@code target}, atomically, checking its length. */
    long download(String generationId, ContentKind kind, Path target);

    /** The file extension {@code kind} is saved under ({@code mp4}; {@code jpg} or {@code webp} thumbnails). */
    String extension(ContentKind kind);
}
