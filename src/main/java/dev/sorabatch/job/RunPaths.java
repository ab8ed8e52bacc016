package dev.sorabatch.job;

import java.nio.file.Path;

/**
 * Where a run reads and writes: a job-scoped bean made from the run's job parameters ({@code input.path},
 * {@code output.path}, {@code report.path}), so every step of an attempt, and every attempt of a run, agrees.
 * Not final: Spring Batch's job scope hands the steps a proxy of it.
 */
public class RunPaths {

    private final Path input;
    private final Path output;
    private final Path report;

    public RunPaths(Path input, Path output, Path report) {
        this.input = input;
        this.output = output;
        this.report = report;
    }

    public Path input() { return input; }
    public Path output() { return output; }
    public Path report() { return report; }
}
