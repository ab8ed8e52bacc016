package dev.sorabatch.cli;

import org.springframework.batch.core.job.JobExecution;

import dev.sorabatch.job.RunHistory;
import dev.sorabatch.job.RunState;
import dev.sorabatch.ledger.Ledger;
import dev.sorabatch.ledger.RunCounts;

/** The run under way in this process, as the progress display and the run's status file show it. */
final class LiveRun {

    private final RunState runState;
    private final Ledger ledger;
    private final RunHistory history;

    LiveRun(RunState runState, Ledger ledger, RunHistory history) {
        this.runState = runState;
        this.ledger = ledger;
        this.history = history;
    }

    /** Rows by status from the ledger, with what the polls said of the jobs in flight; null before the job starts. */
    RunCounts counts() {
        JobExecution execution = runState.execution();
        return execution == null ? null
                : ledger.counts(execution.getJobInstanceId()).withInFlightProgress(runState.averageJobProgress())
                        .withQueue(runState.queuedJobs(), runState.nextInQueue());
    }

    /** The run as {@code status} shows it; null before the job starts or once it has ended. */
    RunHistory.Run run() {
        JobExecution execution = runState.execution();
        return execution == null || !execution.isRunning() ? null : history.current(execution);
    }
}
