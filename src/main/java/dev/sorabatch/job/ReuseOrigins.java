package dev.sorabatch.job;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;

/**
 * How the report's {@code reused_from} names the row that paid for a reused video, from the job repository's record
 * of its run, in the same words in every language (for scripts): {@code run 3 row 7 (started 2026-12-01 14:11:38)}.
 * The run is named as {@code status} names it: its number, or a scheduled run's date ({@code run 2026-11-25 row 7
 * (started …)}), with {@code (rows 1-3)} after it when it was limited with {@code --rows}, and {@code of <input>}
 * after the row when its input is not this run's. The start tells apart two runs of one number (a CSV edited
 * between them starts again at run 1).
 */
final class ReuseOrigins {

    private static final DateTimeFormatter STARTED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** A run as {@code reused_from} names it: {@code 3}, {@code 2026-11-25} or {@code 1 (rows 1-3)}. */
    private record RunName(String name, String input, String started) {
    }

    private final JobRepository jobRepository;
    /** Per job instance (a run's name, input and start never change). */
    private final Map<Long, RunName> runs = new ConcurrentHashMap<>();

    ReuseOrigins(JobRepository jobRepository) {
        this.jobRepository = jobRepository;
    }

    String describe(long runId, int row, Path thisInput) {
        RunName run = runs.computeIfAbsent(runId, this::name);
        String input = thisInput == null ? null : thisInput.toAbsolutePath().normalize().toString();
        return "run " + run.name() + " row " + row
                + (run.input() == null || run.input().equals(input) ? "" : " of " + run.input())
                + " (started " + run.started() + ")";
    }

    private RunName name(long instanceId) {
        JobInstance instance = jobRepository.getJobInstance(instanceId);
        JobExecution last = instance == null ? null : jobRepository.getLastJobExecution(instance);
        if (last == null) {
            return new RunName("#" + instanceId, null, "-");
        }
        JobParameters parameters = last.getJobParameters();
        String date = parameters.getString(SoraBatchJobConfiguration.RUN_DATE);
        Long number = parameters.getLong(SoraBatchJobConfiguration.RUN_NUMBER);
        String rows = parameters.getString(SoraBatchJobConfiguration.ROWS);
        LocalDateTime started = RunHistory.started(jobRepository.getJobExecutions(instance));
        return new RunName((date != null ? date : String.valueOf(number == null ? 1 : number))
                + (rows == null ? "" : " (rows " + rows + ")"), parameters.getString(SoraBatchJobConfiguration.INPUT_PATH),
                started == null ? "-" : STARTED.format(started));
    }
}
