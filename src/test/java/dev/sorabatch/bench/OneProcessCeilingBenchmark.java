package dev.sorabatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.sorabatch.SoraBatchApplication;
import dev.sorabatch.cli.SoraSimulator;
import dev.sorabatch.simulator.SimulatorSettings;

/**
 * The one-process ceiling: one sora-batch process (in its own JVM, so that its CPU, threads and memory are its own)
 * against more and more simulated endpoints, until it stops keeping up with what they allow. Each step uses the
 * first k endpoints and enough rows for several waves per endpoint, and prints the limit (the sum over endpoints
 * of {@code min(cap / job, quota / 4 requests)}) against what was achieved between the first create and the last
 * download any simulator saw, with what the process spent meanwhile (CPU, threads, resident memory) and what the
 * simulators, in this JVM, spent. It measures; it asserts only that every run ended 0 and delivered every row.
 *
 * <p>Knobs: {@code bench.ceiling.endpoints} (20), {@code .steps} (1,2,5,10,20), {@code .job-ms} (2000),
 * {@code .cap} (50), {@code .rpm} (1000), {@code .waves} (4), {@code .xmx} (512m), {@code .args} (more options
 * for the client); {@code bench.datasource} (+ {@code bench.datasource.user}) for PostgreSQL, H2 file by default.
 */
@Tag("bench")
class OneProcessCeilingBenchmark {

    /** Requests a single-variant video needs at the very least: create, one poll, video, thumbnail. */
    private static final int MIN_REQUESTS_PER_VIDEO = 4;
    private static final long SAMPLE_MS = 100;

    private final int endpoints = Integer.getInteger("bench.ceiling.endpoints", 20);
    private final long jobMillis = Long.getLong("bench.ceiling.job-ms", 2000);
    private final int cap = Integer.getInteger("bench.ceiling.cap", 50);
    private final int rpm = Integer.getInteger("bench.ceiling.rpm", 1000);
    private final int waves = Integer.getInteger("bench.ceiling.waves", 4);
    private final String xmx = System.getProperty("bench.ceiling.xmx", "512m");
    private final String datasource = System.getProperty("bench.datasource");
    private final String user = System.getProperty("bench.datasource.user", datasource == null ? "sa" : "postgres");
    private final String password = System.getProperty("bench.datasource.password", "");
    private final int cores = Runtime.getRuntime().availableProcessors();

    /** What the sampler saw at one instant: the child's CPU, threads and RSS, and this JVM's CPU. */
    private record Sample(long nanos, long childCpuNanos, int threads, long rssKb, long hwmKb, long selfCpuNanos,
            Map<String, Long> threadTicks) {
    }

    private static final Sample NONE = new Sample(0, 0, 0, 0, 0, 0, Map.of());
    /** The kernel's USER_HZ, in which /proc/<pid>/task/<tid>/stat counts CPU: 100 on every usual Linux. */
    private static final double TICKS_PER_SECOND = 100;

    private record Step(int k, int rows, int exit, int delivered, double limit, double spanSeconds,
            double processSeconds, double childCpuSpan, double childCpuTotal, int threadsPeak, long rssPeakKb,
            double selfCpuSpan, int requests, int throttled, String busiest) {
    }

    @Test
    void oneProcessAgainstMoreAndMoreEndpoints() throws Exception {
        List<Integer> steps = Arrays.stream(System.getProperty("bench.ceiling.steps", "1,2,5,10,20").split(","))
                .map(String::strip).map(Integer::parseInt).filter(k -> k <= endpoints).toList();
        if (datasource != null) {
            createSchema();
        }
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "one process (-Xmx%s, %d cores) against k of %d simulated endpoints "
                + "(each: %d in flight, %d rpm, %.1f s jobs); repository: %s", xmx, cores, endpoints, cap, rpm,
                jobMillis / 1000.0, datasource == null ? "H2 file" : "PostgreSQL"));
        lines.add("| endpoints | rows | limit videos/s | achieved videos/s | ratio | span s | process s | child CPU "
                + "% of one core (span) | % of " + cores + " cores | child CPU s (process) | threads peak | RSS peak MB "
                + "| busiest threads, % of one core (span) | simulators' CPU % of one core | requests/video |");
        lines.add("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        List<Step> results = new ArrayList<>();
        for (int k : steps) {
            Step s = step(k);
            results.add(s);
            lines.add(row(s));
            System.out.println(lines.get(lines.size() - 1));
        }
        lines.forEach(System.out::println);
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target/benchmark-ceiling.md"), lines);
        assertThat(results).allSatisfy(s -> {
            assertThat(s.exit()).as("exit of the run over %d endpoints", s.k()).isZero();
            assertThat(s.delivered()).as("rows delivered over %d endpoints", s.k()).isEqualTo(s.rows());
        });
    }

    private Step step(int k) throws Exception {
        int rows = cap * waves * k;
        Path dir = Files.createTempDirectory("sora-bench-ceiling-" + k + "-");
        // Prompts of their own per step, so that a shared PostgreSQL repository never reuses an earlier step's videos.
        String nonce = Long.toString(System.nanoTime(), 36);
        try (var out = Files.newBufferedWriter(dir.resolve("in.csv"))) {
            out.write("prompt\n");
            for (int i = 1; i <= rows; i++) {
                out.write("ceiling " + nonce + " step " + k + " video " + i + "\n");
            }
        }
        List<SoraSimulator> simulators = new ArrayList<>();
        try {
            SimulatorSettings settings = new SimulatorSettings();
            settings.setJobDuration(Duration.ofMillis(jobMillis));
            settings.setMaxRunningJobs(cap);
            settings.setRequestsPerMinute(rpm);
            for (int i = 0; i < k; i++) {
                simulators.add(new SoraSimulator(settings, "bench-key-" + i).start());
            }
            return measure(k, rows, dir, simulators);
        } finally {
            simulators.forEach(SoraSimulator::close);
        }
    }

    private Step measure(int k, int rows, Path dir, List<SoraSimulator> simulators) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx" + xmx, "-cp", System.getProperty("java.class.path"),
                SoraBatchApplication.class.getName()));
        command.addAll(arguments(dir, simulators));
        com.sun.management.OperatingSystemMXBean self = (com.sun.management.OperatingSystemMXBean)
                ManagementFactory.getOperatingSystemMXBean();
        long started = System.nanoTime();
        Process child = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile()).start();
        List<Sample> samples = new CopyOnWriteArrayList<>();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> sample(child, self, samples), 0, SAMPLE_MS, TimeUnit.MILLISECONDS);
        double limit = k * Math.min(cap * 1000.0 / jobMillis, rpm / 60.0 / MIN_REQUESTS_PER_VIDEO);
        long deadline = (long) (rows / limit * 4) + 180;
        boolean ended = child.waitFor(deadline, TimeUnit.SECONDS);
        double processSeconds = (System.nanoTime() - started) / 1e9;
        sampler.shutdown();
        sampler.awaitTermination(5, TimeUnit.SECONDS);
        if (!ended) {
            child.destroyForcibly().waitFor();
        }
        int exit = ended ? child.exitValue() : -1;
        if (exit != 0) {
            System.out.println("run over " + k + " endpoints ended " + exit + "; its log: " + dir.resolve("child.log"));
        }
        long first = simulators.stream().mapToLong(SoraSimulator::firstCreateNanos).filter(n -> n != 0).min()
                .orElse(0);
        long last = simulators.stream().mapToLong(SoraSimulator::lastDownloadNanos).max().orElse(0);
        Sample atFirst = at(samples, first);
        Sample atLast = at(samples, last);
        Sample end = samples.isEmpty() ? NONE : samples.get(samples.size() - 1);
        double span = Math.max(0, last - first) / 1e9;
        double window = Math.max(1, atLast.nanos() - atFirst.nanos()) / 1e9;
        return new Step(k, rows, exit, delivered(dir), limit, span, processSeconds,
                (atLast.childCpuNanos() - atFirst.childCpuNanos()) / 1e9 / window, end.childCpuNanos() / 1e9,
                samples.stream().mapToInt(Sample::threads).max().orElse(0),
                samples.stream().mapToLong(s -> Math.max(s.rssKb(), s.hwmKb())).max().orElse(0),
                (atLast.selfCpuNanos() - atFirst.selfCpuNanos()) / 1e9 / window,
                simulators.stream().mapToInt(SoraSimulator::totalRequests).sum(),
                simulators.stream().mapToInt(s -> s.requestCount("throttled")).sum(), busiest(atFirst, atLast, window));
    }

    private List<String> arguments(Path dir, List<SoraSimulator> simulators) {
        String repository = datasource != null ? datasource
                : "jdbc:h2:file:" + dir.resolve("repo") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
        List<String> args = new ArrayList<>(List.of("--input=" + dir.resolve("in.csv"),
                "--output=" + dir.resolve("out"), "--spring.datasource.url=" + repository,
                "--spring.datasource.username=" + user, "--sora.dotenv.dir=" + dir, "--sora.endpoint=",
                "--sora.api-key=", "--sora.progress=log", "--sora.progress-every=0",
                "--logging.level.dev.sorabatch=WARN"));
        if (!password.isEmpty()) {
            args.add("--spring.datasource.password=" + password);
        }
        for (int i = 0; i < simulators.size(); i++) {
            String e = "--sora.endpoints[" + i + "].";
            args.addAll(List.of(e + "name=e" + i, e + "endpoint=" + simulators.get(i).baseUrl(),
                    e + "api-key=" + simulators.get(i).apiKey(), e + "max-in-flight=" + cap,
                    e + "requests-per-minute=" + rpm));
        }
        for (String extra : System.getProperty("bench.ceiling.args", "").split("\\s+")) {
            if (!extra.isBlank()) {
                args.add(extra);
            }
        }
        return args;
    }

    /**
     * The child's CPU (ProcessHandle reads /proc/<pid>/stat in the kernel's own clock ticks), threads and memory
     * (/proc/<pid>/status), and this JVM's CPU. The child ends by itself, so the last sample taken while it was
     * alive stands for its total.
     */
    private static void sample(Process child, com.sun.management.OperatingSystemMXBean self, List<Sample> samples) {
        long now = System.nanoTime();
        long cpu = child.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
        int threads = 0;
        long rss = 0;
        long hwm = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(child.pid()), "status"))) {
                if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.substring(8).strip());
                } else if (line.startsWith("VmRSS:")) {
                    rss = kilobytes(line);
                } else if (line.startsWith("VmHWM:")) {
                    hwm = kilobytes(line);
                }
            }
        } catch (Exception gone) {
            return; // the child has ended (or this is not Linux): its last sample stands
        }
        if (cpu >= 0) {
            samples.add(new Sample(now, cpu, threads, rss, hwm, self.getProcessCpuTime(), threadTicks(child.pid())));
        }
    }

    /** Each thread's utime + stime ("tid name" to ticks), to see whether one thread (the collector's) is the limit. */
    private static Map<String, Long> threadTicks(long pid) {
        Map<String, Long> ticks = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    int close = stat.lastIndexOf(')');
                    String[] fields = stat.substring(close + 2).split(" ");
                    // after the name: state is field 3, utime 14, stime 15
                    ticks.put(task.getFileName() + " " + stat.substring(stat.indexOf('(') + 1, close),
                            Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
                } catch (Exception ended) {
                    // a thread that ended between the listing and the read
                }
            }
        } catch (Exception gone) {
            // the child has ended
        }
        return ticks;
    }

    /** The five threads that spent the most CPU over the span, each as a share of one core. */
    private static String busiest(Sample first, Sample last, double window) {
        return last.threadTicks().entrySet().stream()
                .map(e -> Map.entry(e.getKey().substring(e.getKey().indexOf(' ') + 1),
                        (e.getValue() - first.threadTicks().getOrDefault(e.getKey(), 0L)) / TICKS_PER_SECOND / window))
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(5)
                .map(e -> String.format(Locale.ROOT, "%s %.0f %%", e.getKey(), 100 * e.getValue()))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private static long kilobytes(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    /** The last sample taken at or before {@code nanos} (the first one when none was). */
    private static Sample at(List<Sample> samples, long nanos) {
        Sample found = samples.isEmpty() ? NONE : samples.get(0);
        for (Sample s : samples) {
            if (s.nanos() <= nanos) {
                found = s;
            }
        }
        return found;
    }

    private static int delivered(Path dir) throws Exception {
        Path report = dir.resolve("out/report.csv");
        if (!Files.exists(report)) {
            return 0;
        }
        try (var lines = Files.lines(report)) {
            return (int) lines.filter(l -> l.contains("SUCCEEDED")).count();
        }
    }

    private String row(Step s) {
        double achieved = s.spanSeconds() > 0 ? s.delivered() / s.spanSeconds() : 0;
        return String.format(Locale.ROOT, "| %d | %d/%d | %.1f | %.1f | %.0f %% | %.1f | %.1f | %.0f %% | %.0f %% | "
                + "%.1f | %d | %d | %s | %.0f %% | %.2f |", s.k(), s.delivered(), s.rows(), s.limit(), achieved,
                100 * achieved / s.limit(), s.spanSeconds(), s.processSeconds(), 100 * s.childCpuSpan(),
                100 * s.childCpuSpan() / cores, s.childCpuTotal(), s.threadsPeak(), s.rssPeakKb() / 1024, s.busiest(),
                100 * s.selfCpuSpan(), (double) s.requests() / s.rows())
                + (s.throttled() > 0 ? " (" + s.throttled() + " throttled)" : "")
                + (s.exit() != 0 ? " exit " + s.exit() : "");
    }

    /** The schema named in {@code currentSchema}, made if it is not there yet (the migrations fill it). */
    private void createSchema() throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("[?&]currentSchema=([A-Za-z_][A-Za-z0-9_]*)")
                .matcher(datasource);
        if (!m.find()) {
            return;
        }
        // PostgreSQL connects with a current schema that does not exist yet; only its tables would be missing.
        try (Connection c = DriverManager.getConnection(datasource, user, password);
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + m.group(1));
        }
    }
}
