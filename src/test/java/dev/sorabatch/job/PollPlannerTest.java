package dev.sorabatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class PollPlannerTest {

    private static final PollPlanner.Shape HD = new PollPlanner.Shape(1280, 720, 10, 1);
    private static final PollPlanner.Shape SMALL = new PollPlanner.Shape(480, 480, 5, 1);
    private final Instant t0 = Instant.parse("2026-11-24T10:00:00Z");
    private final PollPlanner planner = new PollPlanner(Duration.ofSeconds(5), Duration.ofMillis(200), true);

    @Test
    void beforeAnythingIsLearnedItPollsAtTheIntervalBackingOff() {
        assertThat(planner.firstPoll(HD, t0)).isEqualTo(t0.plusSeconds(5));
        assertThat(planner.nextPoll(HD, t0, t0.plusSeconds(5), 1, null)).isEqualTo(t0.plusMillis(12_500));
        assertThat(planner.nextPoll(HD, t0, t0.plusSeconds(60), 9, null)).isEqualTo(t0.plusSeconds(80));
    }

    @Test
    void afterLearningTheFirstPollComesJustBeforeAJobOfThatShapeIsTypicallyDone() {
        planner.observe(HD, Duration.ofSeconds(60));
        planner.observe(HD, Duration.ofSeconds(80));
        planner.observe(HD, Duration.ofSeconds(70));
        planner.observe(SMALL, Duration.ofSeconds(20));

        assertThat(planner.firstPoll(HD, t0)).isEqualTo(t0.plusSeconds(63));
        assertThat(planner.firstPoll(SMALL, t0)).isEqualTo(t0.plusSeconds(18));
        // close polls (4 % of 70 s) around the expected finish, then the interval again
        assertThat(planner.nextPoll(HD, t0, t0.plusSeconds(63), 1, null)).isEqualTo(t0.plusMillis(65_800));
        assertThat(planner.nextPoll(HD, t0, t0.plusSeconds(200), 5, null)).isEqualTo(t0.plusSeconds(205));
        // an unknown shape borrows from every job of the run
        assertThat(planner.firstPoll(new PollPlanner.Shape(1920, 1080, 20, 1), t0)).isEqualTo(t0.plusSeconds(63));
    }

    @Test
    void aHintFromTheServiceWins() {
        planner.observe(HD, Duration.ofSeconds(60));

        assertThat(planner.nextPoll(HD, t0, t0.plusSeconds(55), 1, Duration.ofSeconds(9))).isEqualTo(t0.plusSeconds(64));
    }

    @Test
    void withoutAdaptivePollingItIsTheFixedIntervalOfTheOriginalApp() {
        PollPlanner fixed = new PollPlanner(Duration.ofSeconds(5), Duration.ofMillis(200), false);
        fixed.observe(HD, Duration.ofSeconds(60));

        assertThat(fixed.firstPoll(HD, t0)).isEqualTo(t0.plusSeconds(5));
        assertThat(fixed.nextPoll(HD, t0, t0.plusSeconds(30), 6, null)).isEqualTo(t0.plusSeconds(35));
    }
}
