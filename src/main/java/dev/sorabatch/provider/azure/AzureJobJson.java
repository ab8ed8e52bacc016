package dev.sorabatch.provider.azure;

import dev.sorabatch.simulator.SimulatedJob;
import dev.sorabatch.simulator.Wire;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** A simulated job as the Azure jobs API shows it: {@code video.generation.job}, generations once it succeeded. */
final class AzureJobJson {

    private AzureJobJson() {
    }

    static ObjectNode of(SimulatedJob job) {
        long now = System.currentTimeMillis();
        String status = job.status(now);
        boolean done = status.equals("succeeded") || status.equals("failed");
        ObjectNode node = Wire.JSON.createObjectNode();
        node.put("object", "video.generation.job");
        node.put("id", job.id);
        node.put("status", status);
        node.put("created_at", job.createdAtMillis / 1000);
        if (done) {
            node.put("finished_at", job.finishedAtMillis() / 1000);
            node.put("expires_at", job.createdAtMillis / 1000 + 86_400);
        } else {
            node.putNull("finished_at");
            node.putNull("expires_at");
        }
        ArrayNode generationsNode = node.putArray("generations");
        if (status.equals("succeeded")) {
            for (String generationId : job.generationIds) {
                ObjectNode g = generationsNode.addObject();
                g.put("object", "video.generation");
                g.put("id", generationId);
                g.put("job_id", job.id);
                g.put("created_at", job.finishedAtMillis() / 1000);
                g.put("width", job.width);
                g.put("height", job.height);
                g.put("n_seconds", job.nSeconds);
                g.put("prompt", job.prompt);
            }
        }
        node.put("prompt", job.prompt);
        node.put("model", job.model);
        node.put("n_variants", job.nVariants);
        node.put("n_seconds", job.nSeconds);
        node.put("height", job.height);
        node.put("width", job.width);
        if (job.imageFileName != null) {
            ArrayNode items = node.putArray("inpaint_items");
            ObjectNode item = items.addObject();
            item.put("frame_index", 0);
            item.put("type", "image");
            item.put("file_name", job.imageFileName);
        } else {
            node.putNull("inpaint_items");
        }
        if (status.equals("failed")) {
            node.put("failure_reason", job.failureReason());
        } else {
            node.putNull("failure_reason");
        }
        return node;
    }
}
