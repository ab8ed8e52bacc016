package dev.sorabatch.cli;

import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.boot.ApplicationArguments;

import dev.sorabatch.i18n.Messages;
import dev.sorabatch.job.RunHistory;
import dev.sorabatch.job.SoraBatchJobConfiguration;
import dev.sorabatch.job.SplitStops;

/**
 * {@code cancel --input=FILE [--cancel-jobs]}: asks the run of FILE that another process is running (on any host
 * sharing the job repository) to stop, the Spring Batch way: {@code JobOperator.stop} marks it STOPPING in the
 * repository, its steps see that when they next record their work, and it ends as after SIGTERM (its jobs in
 * flight recorded, collected by the next run). {@code --cancel-jobs} also has that process cancel its jobs in
 * flight at the service. Waits for the run to end, up to {@code sora.shutdown-grace} and a margin.
 */
final class CancelCommand {

    static final String NAME = "cancel";
    private static final Set<String> OPTIONS = Set.of("input", "cancel-jobs", "lang", "provider");
    /** Beyond the grace the stopping process allows its downloads: the time its steps take to see the stop. */
    private static final Duration MARGIN = Duration.ofSeconds(30);
    private static final Duration CHECK = Duration.ofMillis(250);

    private final RunHistory history;
    private final JobOperator jobOperator;
    private final Duration grace;
    private final PrintStream out;

    CancelCommand(RunHistory history, JobOperator jobOperator, Duration grace, PrintStream out) {
        this.history = history;
        this.jobOperator = jobOperator;
        this.grace = grace;
        this.out = out;
    }

    int run(ApplicationArguments args) throws Exception {
        for (String name : args.getOptionNames()) {
            if (!OPTIONS.contains(name) && !CliOptions.isProperty(name)) {
                throw new UsageException(Messages.get("cancel.unknown-option", name));
            }
        }
        List<String> input = args.getOptionValues("input");
        if (input == null || input.isEmpty() || input.get(0).isBlank()) {
            throw new UsageException(Messages.get("cancel.no-input"));
        }
        Path file = Path.of(input.get(0));
        Optional<JobExecution> running = history.runningExecution(file);
        if (running.isEmpty()) {
            out.println(Messages.get("cancel.nothing-running", file));
            return ExitCodes.ALL_SUCCEEDED;
        }
        JobExecution execution = running.get();
        long run = runNumber(execution);
        if (args.containsOption("cancel-jobs")) {
            // read by the running process when it sees the stop (SplitStops): it holds the jobs' connections
            execution.getExecutionContext().putString(SplitStops.CANCEL_JOBS, ProcessHandle.current().pid() + "@"
                    + InetAddress.getLocalHost().getHostName());
        }
        jobOperator.stop(execution);
        Duration patience = grace.plus(MARGIN);
        out.println(Messages.get("cancel.asked", run, file, patience.toSeconds()));
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            BatchStatus status = history.statusOf(execution.getId());
            if (!status.isRunning()) {
                out.println(Messages.get("cancel.stopped", run, file, status));
                return ExitCodes.ALL_SUCCEEDED;
            }
            Thread.sleep(CHECK.toMillis());
        }
        out.println(Messages.get("cancel.still-stopping", run, file, patience.toSeconds()));
        return ExitCodes.RUN_FAILED;
    }

    private static long runNumber(JobExecution execution) {
        Long number = execution.getJobParameters().getLong(SoraBatchJobConfiguration.RUN_NUMBER);
        return number == null ? 1 : number;
    }
}
