package dev.sorabatch.job;

import java.nio.file.Path;

/** Where a run reads and writes, as the command line resolved them (set before the job starts). */
public class RunPaths {

    private volatile Path input;
    private volatile Path output;
    private volatile Path report;

    public void set(Path input, Path output, Path report) {
        this.input = input;
        this.output = output;
        this.report = report;
    }

    public Path input() { return input; }
    public Path output() { return output; }
    public Path report() { return report; }
}
