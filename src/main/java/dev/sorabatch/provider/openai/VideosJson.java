package dev.sorabatch.provider.openai;

import dev.sorabatch.simulator.SimulatedJob;
import dev.sorabatch.simulator.Wire;
import tools.jackson.databind.node.ObjectNode;

/** A simulated job as the Videos API shows it. */
final class VideosJson {

    private VideosJson() {
    }

    /** The spec's {@code VideoResource}: every required field, nullable ones as null. */
    static ObjectNode of(SimulatedJob job) {
        long now = System.currentTimeMillis();
        String status = job.videosStatus(now);
        boolean done = status.equals("completed") || status.equals("failed");
        ObjectNode node = Wire.JSON.createObjectNode();
        node.put("id", job.id);
        node.put("object", "video");
        node.put("model", job.model);
        node.put("status", status);
        node.put("progress", job.progress(now));
        node.put("created_at", job.createdAtMillis / 1000);
        if (done) {
            node.put("completed_at", job.finishedAtMillis() / 1000);
            node.put("expires_at", job.finishedAtMillis() / 1000 + 86_400);
        } else {
            node.putNull("completed_at");
            node.putNull("expires_at");
        }
        node.put("prompt", job.prompt);
        node.put("size", job.width + "x" + job.height);
        node.put("seconds", Integer.toString(job.nSeconds));
        node.putNull("remixed_from_video_id");
        if (status.equals("failed")) {
            ObjectNode error = node.putObject("error");
            boolean moderation = job.outcome == SimulatedJob.Outcome.FAIL_MODERATION;
            error.put("code", moderation ? "moderation_blocked" : "internal_error");
            error.put("message", moderation ? "Your request was blocked by our moderation system."
                    : "Video generation failed due to an internal error.");
        } else {
            node.putNull("error");
        }
        return node;
    }
}
