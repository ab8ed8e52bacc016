package dev.sorabatch.ledger;

/**
 * Totals of a run, from the ledger. {@code requests} counts every call to the service: creates (with retries),
 * polls and downloads; {@code videos} the videos delivered (variants count one each).
 */
public record RunCounts(int succeeded, int failed, int skipped, int inFlight, long secondsOfVideo, long requests,
        long videos, Integer inFlightProgress, int queued, Integer nextInQueue) {

    public RunCounts(int succeeded, int failed, int skipped, int inFlight, long secondsOfVideo, long requests,
            long videos) {
        this(succeeded, failed, skipped, inFlight, secondsOfVideo, requests, videos, null);
    }

    public RunCounts(int succeeded, int failed, int skipped, int inFlight, long secondsOfVideo, long requests,
            long videos, Integer inFlightProgress) {
        this(succeeded, failed, skipped, inFlight, secondsOfVideo, requests, videos, inFlightProgress, 0, null);
    }

    /** The same totals with the average completion the service reports for the jobs in flight (Videos API). */
    public RunCounts withInFlightProgress(Integer percent) {
        return new RunCounts(succeeded, failed, skipped, inFlight, secondsOfVideo, requests, videos, percent, queued,
                nextInQueue);
    }

    /**
     * The same totals with how many jobs in flight wait in the service's own queue (fal) and the best place one
     * holds there (0: next to start).
     */
    public RunCounts withQueue(int waiting, Integer next) {
        return new RunCounts(succeeded, failed, skipped, inFlight, secondsOfVideo, requests, videos, inFlightProgress,
                waiting, next);
    }

    public double requestsPerVideo() {
        return videos == 0 ? 0 : (double) requests / videos;
    }

    /** The run's rows by status, its seconds of video and requests, as the ledger has them now. */
    static RunCounts of(org.springframework.jdbc.core.JdbcTemplate jdbc, long runId) {
        return jdbc.queryForObject("SELECT "
                + "SUM(CASE WHEN STATUS = 'SUCCEEDED' THEN 1 ELSE 0 END), "
                + "SUM(CASE WHEN STATUS = 'FAILED' THEN 1 ELSE 0 END), "
                + "SUM(CASE WHEN STATUS = 'SKIPPED' THEN 1 ELSE 0 END), "
                + "SUM(CASE WHEN STATUS IN ('SUBMITTING', 'SUBMITTED') THEN 1 ELSE 0 END), "
                + "SUM(CASE WHEN STATUS = 'SUCCEEDED' THEN N_SECONDS * N_VARIANTS ELSE 0 END), "
                + "SUM(ATTEMPTS + POLLS + DOWNLOADS), "
                // a reused video was delivered by an earlier run: not one this run's requests paid for
                + "SUM(CASE WHEN STATUS = 'SUCCEEDED' AND REUSED_FROM IS NULL THEN N_VARIANTS ELSE 0 END) "
                + "FROM SORA_LEDGER WHERE RUN_ID = ?",
                (rs, i) -> new RunCounts(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getLong(5),
                        rs.getLong(6), rs.getLong(7)), runId);
    }
}
