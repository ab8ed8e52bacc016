package dev.sorabatch.job;

/**
 * One row of the ledger, as stored. Times are epoch milliseconds; {@code jobCreatedAt} is the service's seconds.
 * {@code note} tells what the report should say about an unusual but successful path (adopted, resubmitted).
 */
public record LedgerEntry(long runId, int rowNum, String rowId, String prompt, String imageUrl, Integer width,
        Integer height, Integer nSeconds, Integer nVariants, String fileStem, RowStatus status, String jobId,
        String jobStatus, boolean adopted, String generationIds, String videoFiles, String thumbnailFiles,
        Integer httpStatus, String errorCode, String errorMessage, String diagnosis, String requestId, String note,
        int attempts,
        int polls, int downloadRounds, Long submittingAt, Long submittedAt, Long finishedAt, Long nextPollAt,
        Long jobCreatedAt, String model, String endpoint) {

    public int secondsOfVideo() {
        return nSeconds == null || nVariants == null ? 0 : nSeconds * nVariants;
    }
}
