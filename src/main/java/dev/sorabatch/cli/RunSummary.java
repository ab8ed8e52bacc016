package dev.sorabatch.cli;

import java.io.PrintStream;
import java.time.Duration;

import org.springframework.batch.core.BatchStatus;

import dev.sorabatch.diagnosis.Diagnoses;
import dev.sorabatch.i18n.Messages;
import dev.sorabatch.job.RunBudget;
import dev.sorabatch.job.RunLauncher;
import dev.sorabatch.job.RunState;
import dev.sorabatch.ledger.Ledger;
import dev.sorabatch.ledger.RunCounts;
import dev.sorabatch.pricing.RowPrices;
import dev.sorabatch.report.ReportWriter;

/** What a run ends with on the console: rows by status, seconds, wall time, requests, cost, and its exit code. */
final class RunSummary {

    private final Ledger ledger;
    private final RunState runState;
    private final RunBudget runBudget;
    private final RowPrices prices;
    private final PrintStream out;

    RunSummary(Ledger ledger, RunState runState, RunBudget runBudget, RowPrices prices, PrintStream out) {
        this.ledger = ledger;
        this.runState = runState;
        this.runBudget = runBudget;
        this.prices = prices;
        this.out = out;
    }

    /** Prints the run's one-line summary (and, for a run that did not complete, why) and gives its exit code. */
    int of(RunLauncher.Launch launch, CliOptions options, Duration wall) {
        BatchStatus status = launch.execution().getStatus();
        RunCounts counts = ledger.counts(launch.execution().getJobInstanceId());
        int pending = runState.reported("PENDING");
        int reused = runState.reported(ReportWriter.REUSED);
        boolean completed = status == BatchStatus.COMPLETED;
        String line = Messages.get("run.summary", counts.succeeded(), counts.failed(), counts.skipped(),
                (reused > 0 ? Messages.get("run.summary.reused", reused) : "")
                        + (pending > 0 ? Messages.get("run.summary.pending", pending) : ""), counts.secondsOfVideo(),
                Diagnoses.human(wall), counts.requests(),
                Messages.decimal(counts.requestsPerVideo(), 1),
                Messages.get(completed ? "run.summary.report" : "run.summary.partial-report",
                        launch.report() == null ? options.report() : launch.report()));
        line += CostSummary.of(ledger, launch.execution().getJobInstanceId(), runBudget, prices.perSecondBySize());
        if (completed) {
            out.println(line);
            return counts.failed() + counts.skipped() + pending == 0 ? ExitCodes.ALL_SUCCEEDED
                    : ExitCodes.SOME_ROWS_NOT_SUCCEEDED;
        }
        String cause = runState.isAborted() ? runState.abortDiagnosis()
                : runState.isStopRequested() ? Messages.get("run.stopped-on-request")
                : launch.execution().getExitStatus().getExitDescription();
        err().println(Messages.get("run.stopped", status, firstLine(cause)));
        err().println(line);
        err().println(Messages.get("run.resume-hint"));
        return ExitCodes.RUN_FAILED;
    }

    /** The cause without the stack: the first line and every "Caused by" line of a recorded trace. */
    private static String firstLine(String text) {
        if (text == null || text.isBlank()) {
            return "no cause was recorded; run with --logging.level.org.springframework.batch=DEBUG for details";
        }
        String[] lines = text.split("\\R");
        if (lines.length == 1 || !lines[1].strip().startsWith("at ")) {
            return text.strip();
        }
        StringBuilder cause = new StringBuilder(lines[0]);
        for (String line : lines) {
            if (line.startsWith("Caused by: ")) {
                cause.append(System.lineSeparator()).append("  ").append(line);
            }
        }
        return cause.toString();
    }

    /** Looked up at each print: while the progress bar is shown, System.err is the stream that keeps it clean. */
    private static PrintStream err() {
        return System.err;
    }
}
