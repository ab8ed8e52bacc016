package dev.sorabatch.ledger;

/**
 * One row of the ledger, as stored. Times are epoch milliseconds; {@code jobCreatedAt} is the service's seconds.
 * {@code lastRunningAt} is when a poll last saw the job running, {@code serviceMillis} the service's time for it
 * as learned when it ended. {@code jobHandle} is what the service needs besides the id to find the job (fal: its URLs);
 * {@code modelInputs} the row's further model inputs, so that a create sent again asks for the same video. {@code note} tells what the report should say about an unusual but successful path (adopted, resubmitted).
 */
public record LedgerEntry(long runId, int rowNum, String rowId, String prompt, String imageUrl, Integer width,
        Integer height, Integer nSeconds, Integer nVariants, String fileStem, RowStatus status, String jobId,
        String jobStatus, boolean adopted, String generationIds, String videoFiles, String thumbnailFiles,
        Integer httpStatus, String errorCode, String errorMessage, String diagnosis, String requestId, String note,
        int attempts,
        int polls, int downloadRounds, Long submittingAt, Long submittedAt, Long finishedAt, Long nextPollAt,
        Long jobCreatedAt, String model, String endpoint, Long lastRunningAt, Long serviceMillis,
        String jobHandle, dev.sorabatch.service.ModelInputs modelInputs) {

    /** A create that went unanswered, waiting for its orphan check ({@code nextPollAt} is when). */
    public boolean parked() {
        return status == RowStatus.SUBMITTING && nextPollAt != null;
    }

    public int secondsOfVideo() {
        return nSeconds == null || nVariants == null ? 0 : nSeconds * nVariants;
    }
}
