package dev.sorabatch.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.sorabatch.files.AtomicFiles;
import dev.sorabatch.job.RunHistory;

/**
 * While a run goes on an H2 job repository, which serves one process at a time, its process keeps a small status
 * file beside the repository ({@code runs/<input hash>.json}, the run as {@code status --json} shows it), so that
 * {@code status} and {@code cancel} from another process can see it and reach it (its pid) without the database.
 * Rewritten atomically every two seconds, deleted when the run ends. A PostgreSQL repository needs none.
 */
final class RunStatusFile implements AutoCloseable {

    static final String FOLDER = "runs";
    private static final Duration EVERY = Duration.ofSeconds(2);
    private static final String H2_FILE = "jdbc:h2:file:";

    private final Path file;
    private final Supplier<RunHistory.Run> run;
    private final ScheduledExecutorService ticker;

    private RunStatusFile(Path file, Supplier<RunHistory.Run> run) {
        this.file = file;
        this.run = run;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "sora-status-file");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleWithFixedDelay(this::write, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The folder of the status files of runs on this H2 repository, or empty for another database. */
    static Optional<Path> folderOf(String jdbcUrl) {
        if (jdbcUrl == null || !jdbcUrl.startsWith(H2_FILE)) {
            return Optional.empty();
        }
        String path = jdbcUrl.substring(H2_FILE.length());
        int options = path.indexOf(';');
        Path database = Path.of(options < 0 ? path : path.substring(0, options)).toAbsolutePath().normalize();
        return Optional.of(database.resolveSibling(FOLDER));
    }

    /** Starts keeping the file of the run of {@code input}; null when the repository is not an H2 file. */
    static RunStatusFile keep(String jdbcUrl, Path input, Supplier<RunHistory.Run> run) {
        Optional<Path> folder = folderOf(jdbcUrl);
        if (folder.isEmpty()) {
            return null;
        }
        String name = dev.sorabatch.job.RunLauncher.inputKey(input) + ".json";
        return new RunStatusFile(folder.get().resolve(name), run);
    }

    /** Whether {@code cancel --cancel-jobs} asked, with the SIGTERM it sent, for the jobs in flight to be cancelled. */
    boolean takeCancelJobsRequest() {
        Path request = file.resolveSibling(file.getFileName().toString().replace(".json",
                BusyH2Commands.CANCEL_JOBS_SUFFIX));
        try {
            return Files.deleteIfExists(request);
        } catch (IOException e) {
            return false;
        }
    }

    private void write() {
        try {
            RunHistory.Run now = run.get();
            if (now == null) {
                return; // the job has not started yet
            }
            byte[] json = StatusCommand.JSON.writeValueAsBytes(StatusCommand.json(now));
            Files.createDirectories(file.getParent());
            AtomicFiles.write(file, out -> out.write(json));
        } catch (IOException | RuntimeException e) {
            // a status file is a courtesy to other processes: the run goes on without it
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(5, TimeUnit.SECONDS);
            Files.deleteIfExists(file);
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The status files in {@code folder}: the runs going on there (or whose process died without deleting it). */
    static java.util.List<tools.jackson.databind.JsonNode> read(Path folder) throws IOException {
        java.util.List<tools.jackson.databind.JsonNode> runs = new java.util.ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return runs;
        }
        try (var files = Files.list(folder)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
                try {
                    runs.add(StatusCommand.JSON.readTree(Files.readString(f, StandardCharsets.UTF_8)));
                } catch (RuntimeException | IOException unreadable) {
                    // being replaced, or not ours: skipped
                }
            }
        }
        return runs;
    }
}
