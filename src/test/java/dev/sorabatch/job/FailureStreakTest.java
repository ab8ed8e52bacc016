package dev.sorabatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.sorabatch.service.ErrorKind;
import dev.sorabatch.service.Operation;
import dev.sorabatch.service.ServiceException;

class FailureStreakTest {

    private static ServiceException refused(int status, String code) {
        return new ServiceException(ErrorKind.ROW, Operation.CREATE.label(), status, code, "refused", null, null, null,
                null, null);
    }

    @Test
    void threeCreatesRefusedTheSameWayInARowStopTheRunNamingTheAnswer() {
        FailureStreak streak = new FailureStreak(3);

        assertThat(streak.failed(refused(400, "invalid_request"), "fix it")).isNull();
        assertThat(streak.failed(refused(400, "invalid_request"), "fix it")).isNull();
        String stop = streak.failed(refused(400, "invalid_request"), "fix it");

        assertThat(stop).contains("3 rows in a row were refused the same way").contains("fix it");
    }

    @Test
    void aSuccessAnotherAnswerOrThrottlingBreaksTheStreak() {
        FailureStreak streak = new FailureStreak(2);

        assertThat(streak.failed(refused(400, "a"), "d")).isNull();
        streak.broken();
        assertThat(streak.failed(refused(400, "a"), "d")).as("after a success").isNull();
        assertThat(streak.failed(refused(400, "b"), "d")).as("another code").isNull();
        assertThat(streak.failed(refused(429, "b"), "d")).as("throttling is not the rows' fault").isNull();
        assertThat(streak.failed(refused(429, "b"), "d")).isNull();
        assertThat(new FailureStreak(0).failed(refused(400, "a"), "d")).as("0 turns it off").isNull();
    }
}
