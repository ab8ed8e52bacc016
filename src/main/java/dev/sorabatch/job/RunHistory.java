package dev.sorabatch.job;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;

import dev.sorabatch.ledger.Ledger;
import dev.sorabatch.ledger.RunCounts;

/**
 * The runs the job repository holds, for {@code status}: Spring Batch's own record of each run (its identifying
 * parameters and executions) beside the ledger's counts, which another process writes row by row, so a run in
 * progress elsewhere shows live figures. Reads only: no lock is taken, nothing is written.
 */
public class RunHistory {

    /** What a run that is marked running but whose process is gone is called: running the command resumes it. */
    public static final String INTERRUPTED = "INTERRUPTED";

    /**
     * One run. {@code state} is Spring Batch's status of its last attempt ({@code COMPLETED}, {@code FAILED},
     * {@code STOPPED}, {@code STARTED} while a live process runs it) or {@link #INTERRUPTED}; {@code runningIn} names
     * that process ({@code pid@host}) while it runs.
     */
    public record Run(long id, String input, long runNumber, String runDate, String rows, LocalDateTime started,
            LocalDateTime ended, String state, int attempts, String runningIn, RunCounts counts, BigDecimal cost,
            String report) {
    }

    private static final int PAGE = 200;

    private final JobRepository jobRepository;
    private final Ledger ledger;
    private final RunLock runLock;
    private final Map<String, BigDecimal> pricesPerSecond;

    public RunHistory(JobRepository jobRepository, Ledger ledger, RunLock runLock,
            Map<String, BigDecimal> pricesPerSecond) {
        this.jobRepository = jobRepository;
        this.ledger = ledger;
        this.runLock = runLock;
        this.pricesPerSecond = pricesPerSecond;
    }

    /** @param input only the runs of this CSV, or null for every run; oldest first */
    public List<Run> runs(Path input) {
        String only = input == null ? null : input.toAbsolutePath().normalize().toString();
        List<Run> runs = new ArrayList<>();
        for (int start = 0;; start += PAGE) {
            List<JobInstance> page = jobRepository.getJobInstances(SoraBatchJobConfiguration.JOB_NAME, start, PAGE);
            for (JobInstance instance : page) {
                List<JobExecution> executions = jobRepository.getJobExecutions(instance);
                if (executions.isEmpty()) {
                    continue;
                }
                JobExecution last = Collections.max(executions,
                        java.util.Comparator.comparingLong(JobExecution::getId));
                String path = last.getJobParameters().getString(SoraBatchJobConfiguration.INPUT_PATH);
                if (only == null || only.equals(path)) {
                    runs.add(run(instance, executions, last, path));
                }
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        Collections.reverse(runs);
        return runs;
    }

    /**
     * The attempt of a run of {@code input} that a live process is running now (its lock held and proved alive),
     * for {@code cancel}; empty when none is (finished, or its process gone).
     */
    public Optional<JobExecution> runningExecution(Path input) {
        String path = input.toAbsolutePath().normalize().toString();
        if (runLock.liveHolder(RunLauncher.sha256Of(path)).isEmpty()) {
            return Optional.empty();
        }
        for (JobInstance instance : jobRepository.getJobInstances(SoraBatchJobConfiguration.JOB_NAME, 0, PAGE)) {
            JobExecution last = jobRepository.getLastJobExecution(instance);
            if (last != null && last.getStatus().isRunning()
                    && path.equals(last.getJobParameters().getString(SoraBatchJobConfiguration.INPUT_PATH))) {
                return Optional.of(last);
            }
        }
        return Optional.empty();
    }

    /** The run this attempt belongs to, as {@code status} shows it, with its live counts (for the run's status file). */
    public Run current(JobExecution execution) {
        JobInstance instance = execution.getJobInstance();
        List<JobExecution> executions = jobRepository.getJobExecutions(instance);
        return run(instance, executions.isEmpty() ? List.of(execution) : executions, execution,
                execution.getJobParameters().getString(SoraBatchJobConfiguration.INPUT_PATH));
    }

    /** The status the repository holds now for this attempt (re-read: another process is writing it). */
    public BatchStatus statusOf(long executionId) {
        JobExecution execution = jobRepository.getJobExecution(executionId);
        return execution == null ? BatchStatus.UNKNOWN : execution.getStatus();
    }

    private Run run(JobInstance instance, List<JobExecution> executions, JobExecution last, String input) {
        JobParameters parameters = last.getJobParameters();
        Long runNumber = parameters.getLong(SoraBatchJobConfiguration.RUN_NUMBER);
        LocalDateTime started = started(executions);
        String state = last.getStatus().name();
        String runningIn = null;
        if (last.getStatus().isRunning() || last.getStatus() == BatchStatus.UNKNOWN) {
            Optional<RunLock.Holder> holder = input == null ? Optional.empty()
                    : runLock.liveHolder(RunLauncher.sha256Of(input));
            if (holder.isPresent()) {
                runningIn = holder.get().pid() + "@" + holder.get().host();
            } else {
                state = INTERRUPTED;
            }
        }
        long id = instance.getInstanceId();
        return new Run(id, input, runNumber == null ? 1 : runNumber,
                parameters.getString(SoraBatchJobConfiguration.RUN_DATE),
                parameters.getString(SoraBatchJobConfiguration.ROWS), started,
                last.getStatus().isRunning() ? null : last.getEndTime(), state, executions.size(), runningIn,
                ledger.counts(id), ledger.costs().delivered(id, pricesPerSecond),
                parameters.getString(SoraBatchJobConfiguration.REPORT_PATH));
    }

    /** When the first attempt of a run started (or was created, if it never started), or null. */
    static LocalDateTime started(List<JobExecution> executions) {
        return executions.stream().map(e -> e.getStartTime() != null ? e.getStartTime() : e.getCreateTime())
                .filter(java.util.Objects::nonNull).min(LocalDateTime::compareTo).orElse(null);
    }

    /** A time of the repository (local, as Spring Batch records it) as an instant's text, or null. */
    public static String instant(LocalDateTime time) {
        return time == null ? null : time.atZone(ZoneId.systemDefault()).toInstant().toString();
    }
}
