package dev.sorabatch.job;

import java.time.Duration;

import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.StepInterruptionPolicy;
import org.springframework.batch.core.step.ThreadStepInterruptionPolicy;

/**
 * The submit step's chunk boundary: the next row is read only once an in-flight slot is free, and the wait for it
 * is where Spring Batch looks for a stop ({@code JobOperator.stop} here, or a {@code cancel} from another process
 * seen through the job repository). A stop during the wait ends the step STOPPED with its row unread, so the
 * resumed run reads it; nothing is rolled back, nothing half-sent. A run stopped by a systemic fault is left to
 * the writer, which fails the step with the fault's diagnosis.
 */
final class SlotGate implements StepInterruptionPolicy {

    private static final Duration CHECK = Duration.ofMillis(200);

    private final ThreadStepInterruptionPolicy spring = new ThreadStepInterruptionPolicy();
    private final Endpoints endpoints;
    private final RunState run;

    SlotGate(Endpoints endpoints, RunState run) {
        this.endpoints = endpoints;
        this.run = run;
    }

    @Override
    public void checkInterrupted(StepExecution stepExecution) throws JobInterruptedException {
        spring.checkInterrupted(stepExecution);
        try {
            while (!endpoints.awaitFree(CHECK)) {
                if (run.isAborted() || !endpoints.anyInRotation()) {
                    return; // the writer fails the step with the fault's diagnosis
                }
                if (run.isStopRequested() || stepExecution.isTerminateOnly()) {
                    stepExecution.setTerminateOnly();
                    throw new JobInterruptedException("stop requested while waiting for a free slot");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stepExecution.setTerminateOnly();
            throw new JobInterruptedException("interrupted while waiting for a free slot");
        }
        if (run.isStopRequested()) {
            stepExecution.setTerminateOnly();
            throw new JobInterruptedException("stop requested before the next row was read");
        }
    }
}
