package dev.sorabatch.ledger;

/**
 * One row of the ledger, as stored. Times are epoch milliseconds; {@code jobCreatedAt} is the service's seconds.
 * {@code lastRunningAt} is when a poll last saw the job running, {@code serviceMillis} the service's time for it
 * as learned when it ended. {@code jobHandle} is what the service needs besides the id to find the job (fal: its URLs);
 * {@code modelInputs} the row's further model inputs, so that a create sent again asks for the same video. {@code note} tells what the report should say about an unusual but successful path (adopted, resubmitted).
 * {@code cost} is the row's price when it was first sent (null: unknown, or a ledger of an earlier version) and
 * {@code priceKey} what it was priced by (a size, or a model and its options; null: an earlier version's row).
 * {@code reusedFrom} names the earlier run's row whose video this row reused instead of sending it (the report's
 * {@code reused_from}); null for a row this run sent or skipped.
 */
public record LedgerEntry(long runId, int rowNum, String rowId, String prompt, String imageUrl, Integer width,
        Integer height, Integer nSeconds, Integer nVariants, String fileStem, RowStatus status, String jobId,
        String jobStatus, boolean adopted, String generationIds, String videoFiles, String thumbnailFiles,
        Integer httpStatus, String errorCode, String errorMessage, String diagnosis, String requestId, String note,
        int attempts,
        int polls, int downloadRounds, Long submittingAt, Long submittedAt, Long finishedAt, Long nextPollAt,
        Long jobCreatedAt, String model, String endpoint, Long lastRunningAt, Long serviceMillis,
        String jobHandle, dev.sorabatch.service.ModelInputs modelInputs, java.math.BigDecimal cost,
        String priceKey, String reusedFrom) {

    /** A create that went unanswered, waiting for its orphan check ({@code nextPollAt} is when). */
    /** The row as it was sent, to send it again or to look for the job it made. */
    public dev.sorabatch.csv.VideoRequest request() {
        return new dev.sorabatch.csv.VideoRequest(rowNum, rowId, prompt, imageUrl, width, height, nSeconds, nVariants,
                model, modelInputs);
    }

    public boolean parked() {
        return status == RowStatus.SUBMITTING && nextPollAt != null;
    }

    /** Whether a create was sent (or about to be) for this row: it may cost something. */
    public boolean sent() {
        return submittingAt != null || jobId != null;
    }

    /** An earlier run's video stands for this row: nothing was sent for it, and it cost this run nothing. */
    public boolean reused() {
        return reusedFrom != null;
    }

    public int secondsOfVideo() {
        return nSeconds == null || nVariants == null ? 0 : nSeconds * nVariants;
    }
}
