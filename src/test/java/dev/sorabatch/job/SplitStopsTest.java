package dev.sorabatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.support.ResourcelessJobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.test.MetaDataInstanceFactory;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/**
 * The split's two steps end together: how each step's end is recorded, and when the other step is stopped, on
 * step executions as Spring Batch hands them to the listeners.
 */
class SplitStopsTest {

    private final RunState run = new RunState();
    /** The job executions {@code JobOperator.stop} was asked to stop. */
    private final List<JobExecution> stopped = new ArrayList<>();
    private final SplitStops stops = new SplitStops(run, new StaticListableBeanFactory(Map.of("jobOperator",
            recordingStops())).getBeanProvider(JobOperator.class), new ResourcelessJobRepository(),
            new InFlightCancels(null, null));
    private final JobExecution job = MetaDataInstanceFactory.createJobExecution();
    private final StepExecution submit = MetaDataInstanceFactory.createStepExecution(job, "submit", 1L);
    private final StepExecution collect = MetaDataInstanceFactory.createStepExecution(job, "collect", 2L);

    SplitStopsTest() {
        job.setStatus(BatchStatus.STARTED);
    }

    @Test
    void aWriteInterruptedByAStopIsRecordedAsAStopNotAFailureAndStopsTheCollector() {
        // what the chunk step records when a stop ends a row's write: FAILED, the interruption wrapped inside
        run.requestStop();
        ended(submit, BatchStatus.FAILED, ExitStatus.FAILED);
        submit.addFailureException(new IllegalStateException("Unable to process chunk",
                new RuntimeException(new JobInterruptedException("stop requested before row 3 was submitted"))));

        ExitStatus exit = stops.submissionEnd().afterStep(submit);

        assertThat(submit.getStatus()).isEqualTo(BatchStatus.STOPPED);
        assertThat(exit).isEqualTo(ExitStatus.STOPPED);
        assertThat(run.isAborted()).isFalse();
        assertThat(run.isSubmissionFinished()).isTrue();
        assertThat(stopped).containsExactly(job);
    }

    @Test
    void aSubmitStepThatFailedOnItsOwnAbortsTheRunWithItsCauseAndStopsTheCollector() {
        ended(submit, BatchStatus.FAILED, ExitStatus.FAILED.addExitDescription("HTTP 401 from the service"));

        ExitStatus exit = stops.submissionEnd().afterStep(submit);

        assertThat(submit.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(exit.getExitCode()).isEqualTo("FAILED");
        assertThat(run.abortDiagnosis()).contains("HTTP 401 from the service");
        assertThat(stopped).containsExactly(job);
    }

    @Test
    void aCompletedSubmitStepOnlyTellsTheCollectorNoMoreRowsWillCome() {
        ended(submit, BatchStatus.COMPLETED, ExitStatus.COMPLETED);

        ExitStatus exit = stops.submissionEnd().afterStep(submit);

        assertThat(exit).isEqualTo(ExitStatus.COMPLETED);
        assertThat(run.isSubmissionFinished()).isTrue();
        assertThat(run.isAborted()).isFalse();
        assertThat(stopped).isEmpty();
    }

    @Test
    void aCollectStepStoppedThroughTheJobRepositoryStopsTheSubmitterToo() {
        // a cancel from another process reaches this one as the collect step's STOPPED
        ended(collect, BatchStatus.STOPPED, ExitStatus.STOPPED);

        stops.collectionEnd().afterStep(collect);

        assertThat(run.isStopRequested()).isTrue();
        assertThat(run.isAborted()).isFalse();
        assertThat(stopped).containsExactly(job);
    }

    @Test
    void aFailedCollectStepAbortsTheRunSoTheSubmitterStopsWithTheSameCause() {
        ended(collect, BatchStatus.FAILED, ExitStatus.FAILED.addExitDescription("disk full"));

        stops.collectionEnd().afterStep(collect);

        assertThat(run.abortDiagnosis()).contains("disk full");
        assertThat(stopped).containsExactly(job);
    }

    @Test
    void noStopIsAskedOfAJobThatIsNoLongerRunning() {
        job.setStatus(BatchStatus.STOPPED);
        ended(collect, BatchStatus.STOPPED, ExitStatus.STOPPED);

        stops.collectionEnd().afterStep(collect);

        assertThat(stopped).isEmpty();
    }

    private static void ended(StepExecution step, BatchStatus status, ExitStatus exit) {
        step.setStatus(status);
        step.setExitStatus(exit);
    }

    /** A JobOperator that only records the executions it is asked to stop. */
    private JobOperator recordingStops() {
        return (JobOperator) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { JobOperator.class },
                (proxy, method, args) -> {
                    if (method.getName().equals("stop") && args[0] instanceof JobExecution execution) {
                        stopped.add(execution);
                        return true;
                    }
                    if (method.getDeclaringClass() == Object.class) {
                        return switch (method.getName()) {
                            case "equals" -> proxy == args[0];
                            case "hashCode" -> System.identityHashCode(proxy);
                            default -> "recording JobOperator";
                        };
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
