package dev.sorabatch.ledger;

/**
 * Totals of a run, from the ledger. {@code requests} counts every call to the service: creates (with retries),
 * polls and downloads; {@code videos} the videos delivered (variants count one each).
 */
public record RunCounts(int succeeded, int failed, int skipped, int inFlight, long secondsOfVideo, long requests,
        long videos, Integer inFlightProgress) {

    public RunCounts(int succeeded, int failed, int skipped, int inFlight, long secondsOfVideo, long requests,
            long videos) {
        this(succeeded, failed, skipped, inFlight, secondsOfVideo, requests, videos, null);
    }

    /** The same totals with the average completion the service reports for the jobs in flight (Videos API). */
    public RunCounts withInFlightProgress(Integer percent) {
        return new RunCounts(succeeded, failed, skipped, inFlight, secondsOfVideo, requests, videos, percent);
    }

    public double requestsPerVideo() {
        return videos == 0 ? 0 : (double) requests / videos;
    }
}
