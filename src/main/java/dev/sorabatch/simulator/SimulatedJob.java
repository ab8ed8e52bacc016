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
    final boolean withImage;
    final long createdAtMillis;
    final long durationMillis;
    final Outcome outcome;
    final List<String> generationIds;
    volatile boolean deleted;

    SimulatedJob(String id, String prompt, String model, int width, int height, int nSeconds, int nVariants,
            boolean withImage, long createdAtMillis, long durationMillis, Outcome outcome, List<String> generationIds) {
        this.id = id;
        this.prompt = prompt;
        this.model = model;
        this.width = width;
        this.height = height;
        this.nSeconds = nSeconds;
        this.nVariants = nVariants;
        this.withImage = withImage;
        this.createdAtMillis = createdAtMillis;
        this.durationMillis = durationMillis;
        this.outcome = outcome;
        this.generationIds = generationIds;
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
