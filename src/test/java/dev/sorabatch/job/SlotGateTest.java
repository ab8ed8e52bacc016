package dev.sorabatch.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.test.MetaDataInstanceFactory;

/**
 * The submit step's chunk boundary: the next row is read only once a slot is free, and a stop there ends the step
 * with the row unread (the step execution marked terminate-only, which Spring Batch records as STOPPED).
 */
class SlotGateTest {

    private final Endpoints endpoints = new Endpoints();
    private final RunState run = new RunState();
    private final SlotGate gate = new SlotGate(endpoints, run);
    private final StepExecution submit = MetaDataInstanceFactory.createStepExecution("submit", 7L);

    SlotGateTest() {
        endpoints.use(List.of(new Endpoints.Endpoint("only", null, 1)));
    }

    @Test
    void withASlotFreeAndNoStopTheNextRowIsRead() throws Exception {
        gate.checkInterrupted(submit);

        assertThat(submit.isTerminateOnly()).isFalse();
    }

    @Test
    void aStopWhileEverySlotIsTakenEndsTheStepBeforeTheNextRowIsRead() throws Exception {
        assertThat(endpoints.tryAcquire(Duration.ZERO)).isNotNull();
        run.requestStop();

        assertThatThrownBy(() -> gate.checkInterrupted(submit)).isInstanceOf(JobInterruptedException.class)
                .hasMessageContaining("waiting for a free slot");
        assertThat(submit.isTerminateOnly()).isTrue();
    }

    @Test
    void aStopWithASlotFreeStillLeavesTheNextRowUnread() {
        run.requestStop();

        assertThatThrownBy(() -> gate.checkInterrupted(submit)).isInstanceOf(JobInterruptedException.class)
                .hasMessageContaining("before the next row was read");
        assertThat(submit.isTerminateOnly()).isTrue();
    }

    @Test
    void aStopDeliveredByTheJobOperatorIsSeenBeforeAnyWait() {
        submit.setTerminateOnly();

        assertThatThrownBy(() -> gate.checkInterrupted(submit)).isInstanceOf(JobInterruptedException.class);
    }

    @Test
    void aSystemicFaultIsLeftToTheWriterWhichFailsTheStepWithItsDiagnosis() throws Exception {
        assertThat(endpoints.tryAcquire(Duration.ZERO)).isNotNull();
        run.abort("the service refused the key");

        gate.checkInterrupted(submit);

        assertThat(submit.isTerminateOnly()).isFalse();
    }
}
