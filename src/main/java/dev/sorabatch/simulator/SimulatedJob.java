package dev.sorabatch.simulator;

import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * A job held by the simulator, whatever dialect created it. Its status is a function of time since it started,
 * following the sequence the Azure docs show: queued → preprocessing → running → processing → succeeded (or
 * failed); each dialect shows that life in its own words. A job admitted at once starts when it is created; one
 * that waited in a queue (fal) starts when a slot freed.
 */
public final class SimulatedJob {

    public enum Outcome {
        SUCCEED, FAIL_INTERNAL, FAIL_MODERATION, STUCK,
        /** The model refused the input (fal: a 422 replayed by the result). */
        FAIL_INVALID
    }

    public final String id;
    public final String prompt;
    public final String model;
    public final int width;
    public final int height;
    public final int nSeconds;
    public final int nVariants;
    /** The uploaded reference image's file name, or null for a text-only job. */
    public final String imageFileName;
    public final long createdAtMillis;
    public final long durationMillis;
    public final Outcome outcome;
    public final List<String> generationIds;
    /** Which dialect created it: each lists, polls and serves only its own. */
    public final String dialect;
    /** What the dialect keeps of the request beyond the common fields (fal: endpoint and input), or null. */
    public final JsonNode request;
    /** When it started running; -1 while it waits in a queue. */
    volatile long startedAtMillis;
    private volatile boolean deleted;
    private volatile long cancelledAtMillis = -1;

    public SimulatedJob(String id, String prompt, String model, int width, int height, int nSeconds, int nVariants,
            String imageFileName, long createdAtMillis, long durationMillis, Outcome outcome, List<String> generationIds,
            String dialect, JsonNode request) {
        this.id = id;
        this.prompt = prompt;
        this.model = model;
        this.width = width;
        this.height = height;
        this.nSeconds = nSeconds;
        this.nVariants = nVariants;
        this.imageFileName = imageFileName;
        this.createdAtMillis = createdAtMillis;
        this.durationMillis = durationMillis;
        this.outcome = outcome;
        this.generationIds = generationIds;
        this.dialect = dialect;
        this.request = request;
        this.startedAtMillis = createdAtMillis;
    }

    public boolean isDeleted() {
        return deleted;
    }

    void markDeleted() {
        deleted = true;
    }

    public boolean hasStarted() {
        return startedAtMillis >= 0;
    }

    public long startedAtMillis() {
        return startedAtMillis;
    }

    public boolean isCancelled() {
        return cancelledAtMillis >= 0;
    }

    /** Called off at that moment; one still waiting in a queue ends there, without having run. */
    void cancelAt(long millis) {
        if (!hasStarted()) {
            startedAtMillis = millis;
        }
        cancelledAtMillis = millis;
    }

    /** The Videos API's view of the same life: {@code queued → in_progress → completed | failed}. */
    public String videosStatus(long nowMillis) {
        String status = status(nowMillis);
        return switch (status) {
            case "queued" -> "queued";
            case "succeeded" -> "completed";
            case "failed" -> "failed";
            default -> "in_progress";
        };
    }

    /** An approximate completion percentage, as the Videos API reports it. */
    public int progress(long nowMillis) {
        if (outcome == Outcome.SUCCEED && !isRunning(nowMillis)) {
            return 100;
        }
        return (int) Math.max(0, Math.min(99, Math.round(elapsed(nowMillis) * 100)));
    }

    public String status(long nowMillis) {
        if (!hasStarted()) {
            return "queued";
        }
        if (isCancelled() && nowMillis >= cancelledAtMillis) {
            return "cancelled";
        }
        double f = elapsed(nowMillis);
        if (outcome == Outcome.STUCK) {
            return f < 0.1 ? "queued" : "running";
        }
        if (failsEarly() && f >= 0.25) {
            return "failed";
        }
        if (f < 0.1) {
            return "queued";
        }
        if (f < 0.25) {
            return "preprocessing";
        }
        if (f < 0.85) {
            return "running";
        }
        if (f < 1) {
            return "processing";
        }
        return outcome == Outcome.SUCCEED ? "succeeded" : "failed";
    }

    /** Running or waiting to: it still holds (or wants) one of the resource's slots. */
    public boolean isRunning(long nowMillis) {
        if (deleted) {
            return false;
        }
        String status = status(nowMillis);
        return !status.equals("succeeded") && !status.equals("failed") && !status.equals("cancelled");
    }

    /** When it ended (or will end): success, failure or cancellation. */
    public long finishedAtMillis() {
        long natural = startedAtMillis + (failsEarly() ? durationMillis / 4 : durationMillis);
        return isCancelled() ? Math.min(natural, Math.max(startedAtMillis, cancelledAtMillis)) : natural;
    }

    /** When its slot frees: a stuck job never gives it back. */
    long slotFreedAtMillis() {
        if (deleted) {
            return Long.MIN_VALUE;
        }
        return outcome == Outcome.STUCK && !isCancelled() ? Long.MAX_VALUE : finishedAtMillis();
    }

    public String failureReason() {
        return switch (outcome) {
            case FAIL_INTERNAL -> "internal_error";
            case FAIL_MODERATION -> "input_moderation";
            case FAIL_INVALID -> "invalid_input";
            default -> null;
        };
    }

    /** Refusals are decided at once, long before a video would be ready. */
    private boolean failsEarly() {
        return outcome == Outcome.FAIL_MODERATION || outcome == Outcome.FAIL_INVALID;
    }

    private double elapsed(long nowMillis) {
        return durationMillis <= 0 ? 1 : (nowMillis - startedAtMillis) / (double) durationMillis;
    }
}
