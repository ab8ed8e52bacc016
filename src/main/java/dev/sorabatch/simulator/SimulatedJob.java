package dev.sorabatch.simulator;

import java.util.List;

/**
 * A job held by the simulator. Its status is a function of time since creation, following the sequence the
 * Azure docs show: queued → preprocessing → running → processing → succeeded (or failed).
 */
final class SimulatedJob {

    enum Outcome { SUCCEED, FAIL_INTERNAL, FAIL_MODERATION, STUCK }

    final String id;
    final String prompt;
    final String model;
    final int width;
    final int height;
    final int nSeconds;
    final int nVariants;
    /** The uploaded reference image's file name, or null for a text-only job. */
    final String imageFileName;
    final long createdAtMillis;
    final long durationMillis;
    final Outcome outcome;
    final List<String> generationIds;
    /** Created through the Videos API ({@code POST /videos}): its own statuses and its id is its only video. */
    final boolean videos;
    volatile boolean deleted;

    SimulatedJob(String id, String prompt, String model, int width, int height, int nSeconds, int nVariants,
            String imageFileName, long createdAtMillis, long durationMillis, Outcome outcome, List<String> generationIds,
            boolean videos) {
        this.videos = videos;
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
    }

    /** The Videos API's view of the same life: {@code queued → in_progress → completed | failed}. */
    String videosStatus(long nowMillis) {
        String status = status(nowMillis);
        return switch (status) {
            case "queued" -> "queued";
            case "succeeded" -> "completed";
            case "failed" -> "failed";
            default -> "in_progress";
        };
    }

    /** An approximate completion percentage, as the Videos API reports it. */
    int progress(long nowMillis) {
        if (outcome == Outcome.SUCCEED && !isRunning(nowMillis)) {
            return 100;
        }
        double f = durationMillis <= 0 ? 1 : (nowMillis - createdAtMillis) / (double) durationMillis;
        return (int) Math.max(0, Math.min(99, Math.round(f * 100)));
    }

    String status(long nowMillis) {
        double f = durationMillis <= 0 ? 1 : (nowMillis - createdAtMillis) / (double) durationMillis;
        if (outcome == Outcome.STUCK) {
            return f < 0.1 ? "queued" : "running";
        }
        if (outcome == Outcome.FAIL_MODERATION && f >= 0.25) {
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

    boolean isRunning(long nowMillis) {
        if (deleted) {
            return false;
        }
        String status = status(nowMillis);
        return !status.equals("succeeded") && !status.equals("failed");
    }

    long finishedAtMillis() {
        return outcome == Outcome.FAIL_MODERATION ? createdAtMillis + durationMillis / 4 : createdAtMillis + durationMillis;
    }

    String failureReason() {
        return switch (outcome) {
            case FAIL_INTERNAL -> "internal_error";
            case FAIL_MODERATION -> "input_moderation";
            default -> null;
        };
    }
}
