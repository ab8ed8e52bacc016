package dev.sorabatch.job;

/** Totals of a run, from the ledger. {@code requests} counts creates (with retries) and polls. */
public record RunCounts(int succeeded, int failed, int skipped, int inFlight, long secondsOfVideo, long requests) {

    public int total() {
        return succeeded + failed + skipped + inFlight;
    }
}
