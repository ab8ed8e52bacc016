package dev.sorabatch.job;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;

import dev.sorabatch.csv.RowSelection;
import dev.sorabatch.i18n.Messages;

/**
 * Decides what running the command means for this input, then does it:
 * <ul>
 * <li>no earlier run, or the last one completed → a new run (the next run number);</li>
 * <li>the last run failed or was stopped → restart it (finished rows are kept, submitted jobs are collected);</li>
 * <li>the last run is marked running but its process is gone (killed) → recover it, then restart it;</li>
 * <li>the last run is running in a live process → refuse (one run at a time per input).</li>
 * </ul>
 * A run is identified by the input's path and content fingerprint plus a run number, with no incrementer, so that
 * Spring Batch's own restart semantics apply.
 */
public class RunLauncher {

    private static final Logger log = LoggerFactory.getLogger(RunLauncher.class);

    /** What was launched and how it ended. */
    public record Launch(JobExecution execution, long runNumber, boolean resumed) {

        /** Where this attempt wrote its report: the first attempt's folder when it resumed a run. */
        public Path report() {
            String report = execution.getJobParameters().getString(SoraBatchJobConfiguration.REPORT_PATH);
            return report == null ? null : Path.of(report);
        }
    }

    /**
     * What a run is asked beyond its identity, kept as non-identifying job parameters: where it writes (a resumed
     * run goes on writing in its first attempt's folders, whatever is given now, so that one run never ends up
     * split over two), and what it may spend (the limit given now applies to what is left: raising
     * {@code --max-cost} to finish a run that reached it is a reason to resume it).
     */
    public record RunSettings(Path output, Path report, Long maxVideoSeconds, java.math.BigDecimal maxCost,
            boolean resendUnanswered) {

        static final RunSettings NONE = new RunSettings(null, null, null, null, false);
    }

    private final JobOperator jobOperator;
    private final JobRepository jobRepository;
    private final Job job;
    private final RunLock runLock;

    public RunLauncher(JobOperator jobOperator, JobRepository jobRepository, Job job, RunLock runLock) {
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.job = job;
        this.runLock = runLock;
    }

    public Launch launch(Path input) throws Exception {
        return launch(input, null);
    }

    /**
     * @param runLabel a scheduled run's identity (its date), so that each tick of a schedule is a run of its own
     *            even when the CSV has not changed; null for a run from the command line
     */
    public Launch launch(Path input, String runLabel) throws Exception {
        return launch(input, runLabel, null, RunSettings.NONE);
    }

    /**
     * @param rows the rows the run is limited to ({@code --rows}), part of its identity: another selection is
     *            another run, the same one again resumes it; null for every row
     * @param settings where it writes, what it may spend, and {@code --resend-unanswered}: the rows whose create
     *            went unanswered are sent again deliberately, in the run resumed or, when the last run completed,
     *            in the next one, which takes over the rest of that run's rows as they ended (not identifying)
     */
    public Launch launch(Path input, String runLabel, RowSelection rows, RunSettings settings) throws Exception {
        Path absolute = input.toAbsolutePath().normalize();
        String fingerprint = sha256(absolute);
        try (RunLock.Held lock = runLock.acquire(sha256Of(absolute.toString()), absolute.toString())) {
            long runNumber = 1;
            Long completed = null;
            while (true) {
                JobParametersBuilder builder = parameters(absolute, fingerprint, runLabel, rows, runNumber, settings);
                JobInstance instance = jobRepository.getJobInstance(SoraBatchJobConfiguration.JOB_NAME,
                        builder.toJobParameters());
                // only a new run takes over the completed run's rows; a resumed one has its own
                UnansweredResends.addTo(builder, settings.resendUnanswered(), instance == null ? completed : null);
                JobParameters parameters = builder.toJobParameters();
                if (instance == null) {
                    if (runNumber > 1) {
                        log.info(Messages.get("run.starting-again", runNumber, input));
                    }
                    return new Launch(jobOperator.start(job, parameters), runNumber, false);
                }
                JobExecution last = jobRepository.getLastJobExecution(instance);
                BatchStatus status = last == null ? BatchStatus.FAILED : last.getStatus();
                if (status == BatchStatus.COMPLETED || status == BatchStatus.ABANDONED) {
                    completed = status == BatchStatus.COMPLETED ? instance.getInstanceId() : null;
                    runNumber++;
                    continue;
                }
                if (last != null && (status.isRunning() || status == BatchStatus.UNKNOWN)) {
                    // We hold the lock, so the process that was running it is gone.
                    log.info(Messages.get("run.recovering", runNumber, input));
                    jobOperator.recover(last);
                }
                log.info(Messages.get("run.resuming", runNumber, input));
                JobParametersBuilder resumed = parameters(absolute, fingerprint, runLabel, rows, runNumber,
                        inFirstFolders(settings, last));
                UnansweredResends.addTo(resumed, settings.resendUnanswered(), null);
                return new Launch(jobOperator.start(job, resumed.toJobParameters()), runNumber, true);
            }
        }
    }

    private static JobParametersBuilder parameters(Path input, String fingerprint, String runLabel, RowSelection rows,
            long runNumber, RunSettings settings) {
        JobParametersBuilder parameters = new JobParametersBuilder()
                .addString(SoraBatchJobConfiguration.INPUT_PATH, input.toString())
                .addString(SoraBatchJobConfiguration.INPUT_SHA256, fingerprint);
        if (runLabel != null) {
            parameters.addString(SoraBatchJobConfiguration.RUN_DATE, runLabel);
        }
        if (rows != null) {
            parameters.addString(SoraBatchJobConfiguration.ROWS, rows.spec());
        }
        if (settings.output() != null) {
            parameters.addString(SoraBatchJobConfiguration.OUTPUT_PATH, absolute(settings.output()), false);
        }
        if (settings.report() != null) {
            parameters.addString(SoraBatchJobConfiguration.REPORT_PATH, absolute(settings.report()), false);
        }
        if (settings.maxVideoSeconds() != null) {
            parameters.addLong(SoraBatchJobConfiguration.MAX_VIDEO_SECONDS, settings.maxVideoSeconds(), false);
        }
        if (settings.maxCost() != null) {
            parameters.addString(SoraBatchJobConfiguration.MAX_COST, settings.maxCost().toPlainString(), false);
        }
        return parameters.addLong(SoraBatchJobConfiguration.RUN_NUMBER, runNumber);
    }

    /** The settings of a resumed run: its first attempt's folders (said when they differ from today's), today's limits. */
    private static RunSettings inFirstFolders(RunSettings given, JobExecution last) {
        if (last == null) {
            return given;
        }
        String output = last.getJobParameters().getString(SoraBatchJobConfiguration.OUTPUT_PATH);
        String report = last.getJobParameters().getString(SoraBatchJobConfiguration.REPORT_PATH);
        Path firstOutput = output == null ? given.output() : Path.of(output);
        Path firstReport = report == null ? given.report() : Path.of(report);
        if (differs(given.output(), firstOutput) || differs(given.report(), firstReport)) {
            log.warn(Messages.get("run.resuming-in-first-folders", firstOutput, firstReport));
        }
        return new RunSettings(firstOutput, firstReport, given.maxVideoSeconds(), given.maxCost(),
                given.resendUnanswered());
    }

    private static boolean differs(Path given, Path first) {
        return given != null && first != null && !absolute(given).equals(absolute(first));
    }

    private static String absolute(Path path) {
        return path.toAbsolutePath().normalize().toString();
    }

    /**
     * The label of the latest scheduled run of this input if it did not finish (failed, stopped or killed) and the
     * input has not changed since, so that a restarted scheduler resumes it (collecting what it paid for) before
     * waiting for the next tick; empty otherwise.
     */
    public java.util.Optional<String> unfinishedScheduledRun(Path input) throws IOException {
        Path absolute = input.toAbsolutePath().normalize();
        for (JobInstance instance : jobRepository.getJobInstances(SoraBatchJobConfiguration.JOB_NAME, 0, 50)) {
            JobExecution last = jobRepository.getLastJobExecution(instance);
            if (last == null) {
                continue;
            }
            JobParameters parameters = last.getJobParameters();
            String label = parameters.getString(SoraBatchJobConfiguration.RUN_DATE);
            if (label == null || !absolute.toString().equals(parameters.getString(SoraBatchJobConfiguration.INPUT_PATH))) {
                continue;
            }
            BatchStatus status = last.getStatus();
            boolean finished = status == BatchStatus.COMPLETED || status == BatchStatus.ABANDONED;
            if (finished || !Files.exists(absolute)
                    || !sha256(absolute).equals(parameters.getString(SoraBatchJobConfiguration.INPUT_SHA256))) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(label);
        }
        return java.util.Optional.empty();
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The key of an input file in the run lock and in the runs' status files: its absolute path's hash. */
    public static String inputKey(Path input) {
        return sha256Of(input.toAbsolutePath().normalize().toString());
    }

    static String sha256Of(String text) {
        return HexFormat.of().formatHex(digest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
