package dev.sorabatch.job;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.ObjectProvider;

import dev.sorabatch.i18n.Messages;

/**
 * The submit and collect steps run side by side in a split. When one of them ends without completing, the other
 * must not go on alone (a submitter waiting for a slot no collector will free, a collector waiting for rows that
 * will never come): it is stopped through {@code JobOperator.stop}, which Spring Batch delivers to the running
 * step (the collect tasklet's {@code stop}, the submit step's chunk boundary). The same path serves SIGTERM, a
 * failing step and a {@code cancel} asked by another process, which the steps see when they record their work.
 */
public final class SplitStops {

    /** Key in the job execution's context: {@code cancel --cancel-jobs} asked for the jobs in flight to be cancelled. */
    public static final String CANCEL_JOBS = "sora.cancel-jobs";

    private static final Logger log = LoggerFactory.getLogger(SplitStops.class);

    private final RunState run;
    private final ObjectProvider<JobOperator> jobOperator;
    private final JobRepository jobRepository;
    private final InFlightCancels cancels;

    SplitStops(RunState run, ObjectProvider<JobOperator> jobOperator, JobRepository jobRepository,
            InFlightCancels cancels) {
        this.run = run;
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.cancels = cancels;
    }

    /** After the collect step: a failure aborts the run with its cause; a stop, from here or elsewhere, stops both. */
    StepExecutionListener collectionEnd() {
        return new StepExecutionListener() {
            @Override
            public ExitStatus afterStep(StepExecution stepExecution) {
                BatchStatus status = stepExecution.getStatus();
                if (status == BatchStatus.FAILED && !run.isAborted()) {
                    run.abort(Messages.get("run.collect-stopped", stepExecution.getExitStatus().getExitDescription()));
                }
                if (status == BatchStatus.STOPPED) {
                    // a stop seen through the job repository (cancel) reaches this process's submitter here
                    run.requestStop();
                    cancelJobsIfAsked(stepExecution);
                }
                if (status != BatchStatus.COMPLETED) {
                    stopSibling(stepExecution.getJobExecution());
                }
                return stepExecution.getExitStatus();
            }
        };
    }

    /** After the submit step: tells the collect step no more rows will come, or stops it with the same cause. */
    StepExecutionListener submissionEnd() {
        return new StepExecutionListener() {
            @Override
            public ExitStatus afterStep(StepExecution stepExecution) {
                if (stepExecution.getStatus() == BatchStatus.FAILED && run.isStopRequested()
                        && interrupted(stepExecution)) {
                    // A stop that came while a row was being sent (its image downloading) ends that write with
                    // JobInterruptedException, which the chunk step wraps twice and would record as FAILED; the
                    // chunk is rolled back and its row read again on resume: it is a stop.
                    stepExecution.setStatus(BatchStatus.STOPPED);
                    stepExecution.setExitStatus(ExitStatus.STOPPED);
                }
                if (stepExecution.getStatus() == BatchStatus.FAILED && !run.isAborted() && !run.isStopRequested()) {
                    run.abort(Messages.get("run.submit-stopped", stepExecution.getExitStatus().getExitDescription()));
                }
                run.submissionFinished();
                if (stepExecution.getStatus() != BatchStatus.COMPLETED) {
                    stopSibling(stepExecution.getJobExecution());
                }
                return stepExecution.getStatus() == BatchStatus.STOPPED ? ExitStatus.STOPPED
                        : stepExecution.getExitStatus();
            }
        };
    }

    private static boolean interrupted(StepExecution stepExecution) {
        for (Throwable failure : stepExecution.getFailureExceptions()) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                if (t instanceof org.springframework.batch.core.job.JobInterruptedException) {
                    return true;
                }
            }
        }
        return false;
    }

    private void stopSibling(JobExecution execution) {
        if (!execution.isRunning()) {
            return;
        }
        try {
            jobOperator.getObject().stop(execution);
        } catch (org.springframework.batch.core.launch.JobExecutionNotRunningException alreadyStopped) {
            // this process's JobOperator.stop has already reached every running step (SIGTERM, the other step)
            log.debug("run already stopping: {}", alreadyStopped.getMessage());
        } catch (Exception e) {
            log.warn(Messages.get("run.could-not-mark-stopping", e.getMessage()));
        }
    }

    private void cancelJobsIfAsked(StepExecution stepExecution) {
        JobExecution stored = jobRepository.getJobExecution(stepExecution.getJobExecutionId());
        if (stored != null && stored.getExecutionContext().containsKey(CANCEL_JOBS)) {
            cancels.cancelAll(run.runId());
        }
    }
}
