package dev.sorabatch.it;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.opencsv.CSVReaderHeaderAware;

import dev.sorabatch.SoraBatchApplication;
import dev.sorabatch.simulator.SimulatorSettings;
import dev.sorabatch.cli.SoraSimulator;

/**
 * One working directory for a functional test: an input CSV, an output folder, a job repository, and the
 * command run exactly as a user runs it ({@link SoraBatchApplication#run}), with fast polling and back-off.
 */
final class BatchRun {

    final Path dir;
    final Path input;
    final Path output;
    private String repositoryUrl;

    BatchRun(Path dir) {
        this.dir = dir;
        this.input = dir.resolve("prompts.csv");
        this.output = dir.resolve("out");
        this.repositoryUrl = "jdbc:h2:file:" + dir.resolve("repo/jobs").toAbsolutePath() + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
    }

    /** The job repository's JDBC URL, to read what Spring Batch recorded. */
    String repositoryUrl() {
        return repositoryUrl;
    }

    BatchRun repository(String jdbcUrl) {
        this.repositoryUrl = jdbcUrl;
        return this;
    }

    BatchRun csv(String content) throws Exception {
        Files.writeString(input, content, StandardCharsets.UTF_8);
        return this;
    }

    /** Runs against a simulator started by the test, as a user would against the real service. */
    int against(SoraSimulator simulator, String... extra) {
        List<String> args = new ArrayList<>(List.of("--sora.endpoint=" + simulator.baseUrl(),
                "--sora.api-key=" + simulator.apiKey()));
        args.addAll(Arrays.asList(extra));
        return run(args.toArray(String[]::new));
    }

    int run(String... extra) {
        return SoraBatchApplication.run(args(extra).toArray(String[]::new));
    }

    /** {@code status} against this run's job repository, with {@code extra} options. */
    int status(String... extra) {
        List<String> args = new ArrayList<>(List.of("status", "--spring.datasource.url=" + repositoryUrl,
                "--sora.dotenv.dir=" + dir));
        args.addAll(Arrays.asList(extra));
        return SoraBatchApplication.run(args.toArray(String[]::new));
    }

    /** {@code cancel} of this run's input, against its job repository, with {@code extra} options. */
    int cancel(String... extra) {
        List<String> args = new ArrayList<>(List.of("cancel", "--input=" + input,
                "--spring.datasource.url=" + repositoryUrl, "--sora.dotenv.dir=" + dir));
        args.addAll(Arrays.asList(extra));
        return SoraBatchApplication.run(args.toArray(String[]::new));
    }

    /** The command line: test defaults, replaced by any option of the same name in {@code extra}. */
    List<String> args(String... extra) {
        Map<String, String> options = new java.util.LinkedHashMap<>();
        for (String option : List.of(
                "--input=" + input,
                "--output=" + output,
                "--spring.datasource.url=" + repositoryUrl,
                "--sora.dotenv.dir=" + dir,
                "--sora.simulator.state-file=" + dir.resolve("simulator-jobs.jsonl"),
                "--sora.poll.interval=200ms",
                "--sora.poll.tick=50ms",
                "--sora.retry.initial-delay=50ms",
                "--sora.retry.max-delay=300ms",
                "--sora.retry.max-retry-after=300ms",
                "--sora.retry.orphan-settle=300ms",
                "--sora.requests-per-minute=0")) {
            options.put(name(option), option);
        }
        for (String option : extra) {
            options.put(name(option), option);
        }
        return new ArrayList<>(options.values());
    }

    private static String name(String option) {
        int eq = option.indexOf('=');
        return eq < 0 ? option : option.substring(0, eq);
    }

    /** The same command in its own JVM, so that it can really be killed. Output goes to {@code <dir>/<log>}. */
    Process startInOwnJvm(String log, String... extra) throws java.io.IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(SoraBatchApplication.class.getName());
        command.addAll(args(extra));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile()).start();
    }

    List<Map<String, String>> report() throws Exception {
        return report(output.resolve("report.csv"));
    }

    static List<Map<String, String>> report(Path file) throws Exception {
        List<Map<String, String>> rows = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file);
                CSVReaderHeaderAware csv = new CSVReaderHeaderAware(reader)) {
            for (Map<String, String> row = csv.readMap(); row != null; row = csv.readMap()) {
                rows.add(row);
            }
        }
        return rows;
    }

    static SimulatorSettings fastSimulator() {
        SimulatorSettings settings = new SimulatorSettings();
        settings.setJobDuration(java.time.Duration.ofMillis(600));
        return settings;
    }
}
