package dev.sorabatch.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.sorabatch.SoraBatchApplication;
import dev.sorabatch.simulator.SimulatorSettings;
import dev.sorabatch.cli.SoraSimulator;

/**
 * The throughput benchmark: runs the real command against the simulator in time-compressed mode (jobs of a few
 * seconds instead of a minute or more, the quota scaled the same way) and prints, for each scenario, videos per
 * minute achieved, the theoretical limit {@code min(cap / latency, rpm / requests per video)}, the ratio, and
 * requests per video — for sora-batch and for the original app's behaviour (one job at a time, fixed polling).
 * It measures and prints; it asserts nothing about speed.
 *
 * <p>Run: {@code mvn -Pbench verify} (see docs/benchmarks.md). Scenario knobs: system properties
 * {@code bench.latency} (seconds, default 3), {@code bench.scale} (compression factor, default 20).
 */
@Tag("bench")
class ThroughputBenchmark {

    /** Requests a single-variant video needs at the very least: create, one poll, video, thumbnail. */
    private static final int MIN_REQUESTS_PER_VIDEO = 4;

    private final double latency = Double.parseDouble(System.getProperty("bench.latency", "3"));
    private final double scale = Double.parseDouble(System.getProperty("bench.scale", "20"));

    @Test
    void throughputAtTheServiceLimit() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "time compression x%.0f: job latency %.1f s (%.0f s real), poll interval "
                + "%.2f s (5 s real), quota scaled by the same factor", scale, latency, latency * scale, 5 / scale));
        lines.add("| scenario | client | rows | videos/min | limit/min | ratio | requests/video |");
        lines.add("|---|---|---|---|---|---|---|");
        int azureRpm = (int) (60 * scale);
        String only = System.getProperty("bench.scenarios", "azure,large,quota");
        if (only.contains("azure")) {
            scenario(lines, "Azure Sora 1: 2 in flight, 60 rpm", 2, azureRpm, rows(60), 20);
        }
        if (only.contains("large")) {
            scenario(lines, "large quota: 50 in flight, 1000 rpm", 50, (int) (1000 * scale), rows(400), 20);
        }
        if (only.contains("quota")) {
            scenario(lines, "quota-bound: 50 in flight, 60 rpm", 50, azureRpm, rows(150), 0);
        }
        lines.forEach(System.out::println);
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target/benchmark-throughput.md"), lines);
    }

    /**
     * Issue 14: only the simulator's clock is set (jobs of 2 s, 10 s, 60 s) and the client runs at its defaults
     * (5 s poll interval, 1 s retry back-off, 10 s orphan settle), told only the service's cap and quota, as a user
     * would. Each scenario also runs with {@code --sora.poll.adaptive=false}. Scenario filter:
     * {@code -Dbench.default-scenarios=2s-2,2s-4,10s-2,10s-4,60s-4,10s-50,faults,killed}.
     */
    @Test
    void throughputAtDefaultSettings() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("client at its defaults (poll interval 5 s, tick 250 ms); limit = min(cap / job, quota / 4 requests)");
        lines.add("| scenario | client | rows | span ratio | whole-process ratio | requests/video | span s | process s |");
        lines.add("|---|---|---|---|---|---|---|---|");
        String only = System.getProperty("bench.default-scenarios", "2s-2,2s-4,10s-2,10s-4,60s-4,10s-50,faults,killed");
        String clients = System.getProperty("bench.clients", "adaptive,fixed");
        // A first run in this JVM loads and compiles everything: not counted in any scenario's whole-process time.
        runAtDefaults(new Scenario("warm-up", "warm-up", 200, 4, 0, 2, false), true);
        for (Scenario s : List.of(
                new Scenario("2s-2", "2 s jobs, cap 2, 60 rpm", 2000, 2, 60, rows(10), false),
                new Scenario("2s-4", "2 s jobs, cap 4, 600 rpm", 2000, 4, 600, rows(40), false),
                new Scenario("10s-2", "10 s jobs, cap 2, 60 rpm", 10_000, 2, 60, rows(6), false),
                new Scenario("10s-4", "10 s jobs, cap 4, 600 rpm", 10_000, 4, 600, rows(12), false),
                new Scenario("60s-4", "60 s jobs, cap 4, 600 rpm", 60_000, 4, 600, rows(8), false),
                new Scenario("10s-50", "10 s jobs, cap 50, 1000 rpm", 10_000, 50, 1000, rows(100), false),
                new Scenario("faults", "2 s jobs, cap 4, 600 rpm, 10 % 5xx, 30 % cut downloads, 5 % lost creates",
                        2000, 4, 600, rows(40), true))) {
            if (!List.of(only.split(",")).contains(s.key())) {
                continue;
            }
            for (String client : clients.split(",")) {
                boolean adaptive = client.equals("adaptive");
                Timed r = runAtDefaults(s, adaptive);
                lines.add(defaultsRow(s, adaptive ? "sora-batch" : "--sora.poll.adaptive=false", r));
                System.out.println(lines.get(lines.size() - 1));
            }
        }
        if (List.of(only.split(",")).contains("killed")) {
            Scenario s = new Scenario("killed", "2 s jobs, cap 4, 600 rpm, kill -9 after 15 creates, resumed 5 s later",
                    2000, 4, 600, rows(40), false);
            for (String client : clients.split(",")) {
                lines.add(killedRow(s, client.equals("adaptive")));
                System.out.println(lines.get(lines.size() - 1));
            }
        }
        lines.forEach(System.out::println);
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target/benchmark-defaults.md"), lines);
    }

    private record Scenario(String key, String name, long jobMillis, int cap, int rpm, int rows, boolean faults) {
        double limitPerMinute() {
            return Math.min(cap * 60_000.0 / jobMillis, (double) rpm / MIN_REQUESTS_PER_VIDEO);
        }

        SimulatorSettings settings() {
            SimulatorSettings settings = new SimulatorSettings();
            settings.setJobDuration(Duration.ofMillis(jobMillis));
            settings.setMaxRunningJobs(cap);
            settings.setRequestsPerMinute(rpm);
            if (faults) {
                settings.setServerErrorRate(0.10);
                settings.setTruncatedDownloadRate(0.30);
                settings.setLostCreateResponseRate(0.05);
            }
            return settings;
        }
    }

    private record Timed(int videos, Duration span, Duration process, int requests) {
    }

    private static Path csv(int rows) throws Exception {
        Path dir = Files.createTempDirectory("sora-bench-defaults");
        StringBuilder csv = new StringBuilder("prompt\n");
        for (int i = 1; i <= rows; i++) {
            csv.append("benchmark video ").append(i).append('\n');
        }
        Files.writeString(dir.resolve("in.csv"), csv);
        return dir;
    }

    private static List<String> defaultArgs(Path dir, SoraSimulator simulator, Scenario s, boolean adaptive) {
        return List.of("--input=" + dir.resolve("in.csv"), "--output=" + dir.resolve("out"),
                "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("repo") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE",
                "--sora.endpoint=" + simulator.baseUrl(), "--sora.api-key=bench-key",
                "--sora.max-in-flight=" + s.cap(), "--sora.requests-per-minute=" + s.rpm(),
                "--sora.poll.adaptive=" + adaptive,
                "--logging.level.dev.sorabatch=" + System.getProperty("bench.log-level", "WARN"));
    }

    private Timed runAtDefaults(Scenario s, boolean adaptive) throws Exception {
        Path dir = csv(s.rows());
        try (SoraSimulator simulator = new SoraSimulator(s.settings(), "bench-key").start()) {
            long start = System.nanoTime();
            int exit = SoraBatchApplication.run(defaultArgs(dir, simulator, s, adaptive).toArray(String[]::new));
            Duration process = Duration.ofNanos(System.nanoTime() - start);
            if (exit != 0 && !s.faults()) {
                throw new IllegalStateException("benchmark run failed with exit " + exit);
            }
            return new Timed(succeeded(dir), simulator.busySpan(), process, simulator.totalRequests());
        }
    }

    private static int succeeded(Path dir) throws Exception {
        try (var lines = Files.lines(dir.resolve("out/report.csv"))) {
            return (int) lines.filter(l -> l.contains("SUCCEEDED")).count();
        }
    }

    private static String defaultsRow(Scenario s, String client, Timed r) {
        double ideal = s.rows() / s.limitPerMinute() * 60;
        return String.format(Locale.ROOT, "| %s | %s | %d/%d | %.0f %% | %.0f %% | %.2f | %.1f | %.1f |", s.name(),
                client, r.videos(), s.rows(), 100 * ideal / (r.span().toMillis() / 1000.0),
                100 * ideal / (r.process().toMillis() / 1000.0), (double) r.requests() / s.rows(),
                r.span().toMillis() / 1000.0, r.process().toMillis() / 1000.0);
    }

    /**
     * A run in its own JVM killed with SIGKILL after 15 creates, resumed 5 s later: the resumed part's pace (rows it
     * finished over its own process time, from start to exit) against the limit, the dead time not counted.
     */
    private String killedRow(Scenario s, boolean adaptive) throws Exception {
        Path dir = csv(s.rows());
        try (SoraSimulator simulator = new SoraSimulator(s.settings(), "bench-key").start()) {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-cp", System.getProperty("java.class.path"), SoraBatchApplication.class.getName()));
            command.addAll(defaultArgs(dir, simulator, s, adaptive));
            long start = System.nanoTime();
            Process child = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("killed.log").toFile()).start();
            while (simulator.requestCount("create") < 15 && child.isAlive()) {
                Thread.sleep(20);
            }
            child.destroyForcibly().waitFor();
            Duration first = Duration.ofNanos(System.nanoTime() - start);
            long done;
            try (var files = Files.list(dir.resolve("out"))) {
                done = files.filter(p -> p.toString().endsWith(".mp4")).count();
            } catch (java.io.IOException e) {
                done = 0;
            }
            Thread.sleep(5000);
            long resumed = System.nanoTime();
            int exit = SoraBatchApplication.run(defaultArgs(dir, simulator, s, adaptive).toArray(String[]::new));
            Duration second = Duration.ofNanos(System.nanoTime() - resumed);
            double ideal = (s.rows() - done) / s.limitPerMinute() * 60;
            return String.format(Locale.ROOT, "| %s | %s | %d/%d (%d before the kill) | resumed part: %.0f %% | "
                    + "%.0f %% (both processes, dead time not counted) | %.2f | – | %.1f + %.1f |", s.name(),
                    adaptive ? "sora-batch" : "--sora.poll.adaptive=false", succeeded(dir), s.rows(), done,
                    100 * ideal / (second.toMillis() / 1000.0),
                    100 * (s.rows() / s.limitPerMinute() * 60) / ((first.toMillis() + second.toMillis()) / 1000.0),
                    (double) simulator.totalRequests() / s.rows(), first.toMillis() / 1000.0,
                    second.toMillis() / 1000.0) + (exit != 0 ? " exit " + exit : "");
        }
    }

    /**
     * Bounded memory: a very large input streamed through with fast jobs, reporting the JVM's peak heap use.
     * Only with {@code -Dbench.large-rows=N} (e.g. 100000): it takes a while.
     */
    @Test
    void peakHeapOfALargeRun() throws Exception {
        int rows = Integer.getInteger("bench.large-rows", 0);
        org.junit.jupiter.api.Assumptions.assumeTrue(rows > 0, "set -Dbench.large-rows=N to run");
        SimulatorSettings settings = new SimulatorSettings();
        settings.setJobDuration(Duration.ofMillis(200));
        settings.setMaxRunningJobs(10_000);
        Path dir = Files.createTempDirectory("sora-bench-large");
        try (var out = Files.newBufferedWriter(dir.resolve("in.csv"))) {
            out.write("id,prompt\n");
            for (int i = 1; i <= rows; i++) {
                out.write("v" + i + ",large run video number " + i + " of a long nightly batch\n");
            }
        }
        // Sampled, not summed per pool (each pool peaks at a different time): the most heap in use at once, and the
        // most left after a collection (what the run really keeps).
        long[] peaks = new long[2];
        java.util.concurrent.ScheduledExecutorService sampler = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> {
            long used = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            long afterGc = 0;
            for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getCollectionUsage() != null) {
                    afterGc += pool.getCollectionUsage().getUsed();
                }
            }
            synchronized (peaks) {
                peaks[0] = Math.max(peaks[0], used);
                peaks[1] = Math.max(peaks[1], afterGc);
            }
        }, 0, 50, java.util.concurrent.TimeUnit.MILLISECONDS);
        long start = System.nanoTime();
        try (SoraSimulator simulator = new SoraSimulator(settings, "bench-key").start()) {
            // -Dbench.datasource=jdbc:postgresql://127.0.0.1:5432/test?currentSchema=... (H2 by default)
            String repository = System.getProperty("bench.datasource",
                    "jdbc:h2:file:" + dir.resolve("repo") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
            List<String> args = new java.util.ArrayList<>(List.of("--input=" + dir.resolve("in.csv"),
                    "--output=" + dir.resolve("out"), "--spring.datasource.url=" + repository,
                    "--spring.datasource.username=" + System.getProperty("bench.datasource.user", "sa"),
                    "--sora.endpoint=" + simulator.baseUrl(), "--sora.api-key=bench-key", "--sora.max-in-flight=100",
                    "--sora.requests-per-minute=0", "--sora.poll.interval=100ms", "--sora.poll.tick=20ms",
                    "--logging.level.dev.sorabatch=WARN", "--sora.progress-every=30s",
                    "--logging.level.dev.sorabatch.progress=INFO"));
            // -Dbench.args="--sora.submit-chunk=50 ..." for settings to compare
            for (String extra : System.getProperty("bench.args", "").split("\\s+")) {
                if (!extra.isBlank()) {
                    args.add(extra);
                }
            }
            int exit = SoraBatchApplication.run(args.toArray(String[]::new));
            sampler.shutdownNow();
            long peak;
            long live;
            synchronized (peaks) {
                peak = peaks[0];
                live = peaks[1];
            }
            long reportLines;
            try (var lines = Files.lines(dir.resolve("out/report.csv"))) {
                reportLines = lines.count() - 1;
            }
            String line = String.format(Locale.ROOT, "large run: %d rows, exit %d, %d report lines, %.0f s, peak heap "
                    + "in use %d MB, peak kept after a collection %d MB (max heap %d MB)", rows, exit, reportLines,
                    (System.nanoTime() - start) / 1e9, peak / (1024 * 1024), live / (1024 * 1024),
                    Runtime.getRuntime().maxMemory() / (1024 * 1024));
            System.out.println(line);
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target/benchmark-large-run.txt"), line + "\n");
        }
    }

    private static int rows(int usual) {
        return (int) (usual * Double.parseDouble(System.getProperty("bench.rows-factor", "1")));
    }

    private void scenario(List<String> lines, String name, int cap, int rpm, int rows, int baselineRows)
            throws Exception {
        double limit = Math.min(cap / latency * 60, (double) rpm / MIN_REQUESTS_PER_VIDEO);
        Result ours = run(cap, rpm, rows, cap, true);
        lines.add(row(name, "sora-batch", rows, ours, limit));
        if (baselineRows > 0 && !Boolean.getBoolean("bench.no-baseline")) {
            Result baseline = run(cap, rpm, baselineRows, 1, false);
            lines.add(row(name, "baseline (1 at a time, fixed 5 s polls)", baselineRows, baseline, limit));
        }
    }

    private Result run(int cap, int rpm, int rows, int inFlight, boolean adaptive) throws Exception {
        SimulatorSettings settings = new SimulatorSettings();
        settings.setJobDuration(Duration.ofMillis((long) (latency * 1000)));
        settings.setMaxRunningJobs(cap);
        settings.setRequestsPerMinute(rpm);
        Path dir = Files.createTempDirectory("sora-bench");
        StringBuilder csv = new StringBuilder("prompt\n");
        for (int i = 1; i <= rows; i++) {
            csv.append("benchmark video ").append(i).append('\n');
        }
        Files.writeString(dir.resolve("in.csv"), csv);
        try (SoraSimulator simulator = new SoraSimulator(settings, "bench-key").start()) {
            long pollMillis = (long) (5000 / scale);
            int exit = SoraBatchApplication.run("--input=" + dir.resolve("in.csv"), "--output=" + dir.resolve("out"),
                    "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("repo") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE",
                    "--sora.endpoint=" + simulator.baseUrl(), "--sora.api-key=bench-key",
                    "--sora.max-in-flight=" + inFlight, "--sora.requests-per-minute=" + rpm,
                    "--sora.poll.interval=" + pollMillis + "ms", "--sora.poll.adaptive=" + adaptive,
                    "--sora.poll.tick=20ms", "--logging.level.dev.sorabatch=WARN");
            if (exit != 0) {
                throw new IllegalStateException("benchmark run failed with exit " + exit);
            }
            return new Result(rows, simulator.busySpan(), simulator.totalRequests(),
                    simulator.requestCount("throttled"));
        }
    }

    private static String row(String scenario, String client, int rows, Result r, double limit) {
        double perMinute = r.videos() / (r.span().toMillis() / 60_000.0);
        return String.format(Locale.ROOT, "| %s | %s | %d | %.1f | %.1f | %.0f %% | %.2f |", scenario, client, rows,
                perMinute, limit, 100 * perMinute / limit, (double) r.requests() / r.videos())
                + (r.throttled() > 0 ? " (" + r.throttled() + " throttled)" : "");
    }

    private record Result(int videos, Duration span, int requests, int throttled) {
    }
}
