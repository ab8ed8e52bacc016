package dev.sorabatch.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The simulator's jobs on disk, one JSON line per event (a job created, started, cancelled, deleted), so that a
 * {@code --simulate} run that was killed finds its jobs still at the "service" when it resumes.
 */
final class JobStateFile {

    /** What the file holds of a job's later life, replayed onto the jobs it created. */
    interface Events {
        void created(SimulatedJob job);

        void started(String id, long atMillis);

        void cancelled(String id, long atMillis);

        void deleted(String id);
    }

    private final Path file;

    /** @param file null keeps the jobs in memory only */
    JobStateFile(Path file) {
        this.file = file;
    }

    void load(Events events) {
        if (file == null || !Files.isRegularFile(file)) {
            return;
        }
        try (var lines = Files.lines(file)) {
            lines.map(Wire::parseOrNull).filter(n -> n != null && n.isObject()).forEach(n -> replay(n, events));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the simulator's state file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void replay(JsonNode n, Events events) {
        if (n.has("deleted")) {
            events.deleted(n.get("deleted").asString());
        } else if (n.has("started")) {
            events.started(n.get("started").asString(), n.get("at").asLong());
        } else if (n.has("cancelled")) {
            events.cancelled(n.get("cancelled").asString(), n.get("at").asLong());
        } else {
            events.created(job(n));
        }
    }

    private static SimulatedJob job(JsonNode n) {
        List<String> gens = new ArrayList<>();
        n.path("generations").forEach(g -> gens.add(g.asString()));
        // files written before dialects had names only said whether the Videos API made the job
        String dialect = n.has("dialect") ? n.get("dialect").asString()
                : n.path("videos").asBoolean(false) ? "videos" : "azure-jobs";
        JsonNode request = n.path("request").isObject() ? n.get("request") : null;
        SimulatedJob job = new SimulatedJob(n.get("id").asString(), n.get("prompt").asString(),
                n.get("model").asString(), n.get("width").asInt(), n.get("height").asInt(),
                n.get("n_seconds").asInt(), n.get("n_variants").asInt(), n.path("image_file_name").asString(null),
                n.get("created_at_ms").asLong(), n.get("duration_ms").asLong(),
                SimulatedJob.Outcome.valueOf(n.get("outcome").asString()), List.copyOf(gens), dialect, request);
        job.startedAtMillis = n.path("started_at_ms").asLong(job.createdAtMillis);
        return job;
    }

    void created(SimulatedJob job) {
        ObjectNode line = Wire.JSON.createObjectNode();
        line.put("id", job.id);
        line.put("prompt", job.prompt);
        line.put("model", job.model);
        line.put("width", job.width);
        line.put("height", job.height);
        line.put("n_seconds", job.nSeconds);
        line.put("n_variants", job.nVariants);
        line.put("image_file_name", job.imageFileName);
        line.put("created_at_ms", job.createdAtMillis);
        line.put("started_at_ms", job.startedAtMillis);
        line.put("duration_ms", job.durationMillis);
        line.put("outcome", job.outcome.name());
        line.put("dialect", job.dialect);
        line.put("videos", job.dialect.equals("videos"));
        ArrayNode gens = line.putArray("generations");
        job.generationIds.forEach(gens::add);
        if (job.request != null) {
            line.set("request", job.request);
        }
        append(line);
    }

    void started(SimulatedJob job) {
        append(Wire.JSON.createObjectNode().put("started", job.id).put("at", job.startedAtMillis));
    }

    void cancelled(SimulatedJob job, long atMillis) {
        append(Wire.JSON.createObjectNode().put("cancelled", job.id).put("at", atMillis));
    }

    void deleted(SimulatedJob job) {
        append(Wire.JSON.createObjectNode().put("deleted", job.id));
    }

    private synchronized void append(ObjectNode line) {
        if (file == null) {
            return;
        }
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.writeString(file, Wire.JSON.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
