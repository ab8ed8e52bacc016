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
        planner.firstPoll(HD, t0.minusSeconds(1), "1:1"); // the shape's scout, below
        assertThat(planner.firstPoll(HD, t0, "1:2")).isEqualTo(t0.plusSeconds(5));
        assertThat(planner.nextPoll(HD, t0, t0.plusSeconds(5), 1, null)).isEqualTo(t0.plusMillis(12_500));
        assertThat(planner.nextPoll(HD, t0, t0.plusSeconds(60), 9, null)).isEqualTo(t0.plusSeconds(80));
    }

    @Test
    void theFirstJobOfAShapeScoutsEarlyWhileNothingIsLearnedThenPollsLikeTheOthers() {
        assertThat(planner.firstPoll(HD, t0, "1:1")).isEqualTo(t0.plusSeconds(1));
        assertThat(planner.firstPoll(SMALL, t0, "1:2")).isEqualTo(t0.plusSeconds(1)); // one scout per shape
        assertThat(planner.firstPoll(HD, t0.plusMillis(10), "1:3")).isEqualTo(t0.plusMillis(5_010));

        assertThat(planner.nextPoll(HD, t0, t0.plusSeconds(1), 1, null, "1:1")).isEqualTo(t0.plusMillis(2_200));
        assertThat(planner.nextPoll(HD, t0, t0.plusMillis(2_200), 2, null, "1:1")).isEqualTo(t0.plusSeconds(4));
        // past its early polls: the interval, backing off as if those had not been made
        assertThat(planner.nextPoll(HD, t0, t0.plusSeconds(4), 3, null, "1:1")).isEqualTo(t0.plusSeconds(9));
        assertThat(planner.nextPoll(HD, t0, t0.plusSeconds(9), 4, null, "1:1")).isEqualTo(t0.plusMillis(16_500));
        // the other jobs of the shape are not scouts
        assertThat(planner.nextPoll(HD, t0.plusMillis(10), t0.plusMillis(5_010), 1, null, "1:3"))
                .isEqualTo(t0.plusMillis(12_510));

        // once a job of the shape is learned, no scout: the first poll follows the estimate
        planner.observe(HD, Duration.ofSeconds(2));
        assertThat(planner.firstPoll(HD, t0.plusSeconds(20), "1:4")).isEqualTo(t0.plusMillis(22_050));
        assertThat(planner.firstPollDelay(HD)).isEqualTo(Duration.ofMillis(2_050));
    }

    @Test
    void withoutAdaptivePollingThereIsNoScout() {
        PollPlanner fixed = new PollPlanner(Duration.ofSeconds(5), Duration.ofMillis(200), false);

        assertThat(fixed.firstPoll(HD, t0, "1:1")).isEqualTo(t0.plusSeconds(5));
        assertThat(fixed.firstPollDelay(HD)).isNull();
    }

    @Test
    void afterLearningTheFirstPollComesJustAfterAJobOfThatShapeIsExpectedToBeDone() {
        planner.observe(HD, Duration.ofSeconds(60));
        planner.observe(SMALL, Duration.ofSeconds(20));

        // 2 % after the estimate
        assertThat(planner.firstPoll(HD, t0)).isEqualTo(t0.plusMillis(61_200));
        assertThat(planner.firstPoll(SMALL, t0)).isEqualTo(t0.plusMillis(20_400));
        // an unknown shape borrows from every job of the run
        assertThat(planner.firstPoll(new PollPlanner.Shape(1920, 1080, 20, 1), t0)).isBefore(t0.plusSeconds(61));
    }

    @Test
    void aPlannerWhoseFirstPollIsLateStillLearnsTheTrueShortDurationFromTheServiceTimestamps() {
        // the first poll came 5 s after the create (nothing learned yet) and found the job done; the service says
        // it ran from created_at to finished_at in 2 s
        planner.observe(HD, new PollPlanner.Observation(0, 5_000, 2_000L, true));

        assertThat(planner.typicalMillis(HD)).isEqualTo(2_000);
        assertThat(planner.firstPoll(HD, t0)).isEqualTo(t0.plusMillis(2_050));
    }

    @Test
    void withoutTimestampsItLearnsFromTheBracketBetweenTheLastPollThatSawItRunningAndTheFirstThatSawItDone() {
        planner.observe(HD, new PollPlanner.Observation(1_800, 2_200, null, true));

        assertThat(planner.typicalMillis(HD)).isEqualTo(2_000);
    }

    @Test
    void timeTheProcessWasNotRunningIsNotLearned() {
        // seen running 1.5 s after its create, then the process lay dead; the restarted one saw it done at 31 s
        PollPlanner.Observation acrossARestart = new PollPlanner.Observation(1_500, 31_000, null, false);

        planner.observe(HD, acrossARestart);
        assertThat(planner.typicalMillis(HD)).isNull();
        assertThat(planner.firstPollDelay(HD)).isNull();

        planner.observe(HD, new PollPlanner.Observation(1_800, 2_200, null, true));
        planner.observe(HD, acrossARestart);
        assertThat(planner.typicalMillis(HD)).isEqualTo(2_000);
    }

    @Test
    void aBracketThatHoldsARetryPauseOnlyBoundsTheEstimate() {
        planner.observe(HD, Duration.ofSeconds(10));

        planner.observe(HD, new PollPlanner.Observation(9_000, 16_000, null, false)); // a 6 s retry pause inside
        assertThat(planner.typicalMillis(HD)).isEqualTo(10_000);
        planner.observe(HD, new PollPlanner.Observation(12_000, 19_000, null, false)); // ran at least 12 s
        assertThat(planner.typicalMillis(HD)).isGreaterThan(10_000).isLessThanOrEqualTo(12_000);
    }

    @Test
    void itAdaptsQuicklyToShorterJobs() {
        planner.observe(HD, Duration.ofSeconds(60));

        for (int i = 0; i < 3; i++) {
            planner.observe(HD, new PollPlanner.Observation(0, 61_000, 20_000L, true));
        }

        assertThat(planner.typicalMillis(HD)).isLessThanOrEqualTo(25_000);
    }

    @Test
    void followUpPollsSpendTheSpareQuotaAndFewerWhenTheQuotaBinds() {
        PollPlanner roomy = new PollPlanner(Duration.ofSeconds(5), Duration.ofMillis(200), true, quota(600, 4));
        PollPlanner bound = new PollPlanner(Duration.ofSeconds(5), Duration.ofMillis(200), true, quota(60, 50));
        roomy.observe(HD, Duration.ofSeconds(10));
        bound.observe(HD, Duration.ofSeconds(10));

        // 600 rpm, 4 slots of 10 s jobs: 1.6 requests/s are the jobs' own; half the quota (5/s) is left for polls,
        // 1.25/s per slot
        assertThat(roomy.stepMillis(10_000)).isEqualTo(800);
        assertThat(roomy.nextPoll(HD, t0, t0.plusMillis(10_200), 1, null)).isEqualTo(t0.plusMillis(11_000));
        // 60 rpm shared by 50 slots: the jobs' own requests already use it all
        assertThat(bound.stepMillis(10_000)).isEqualTo(1_000);
        // never more than the share of the quota, however short the jobs
        assertThat(roomy.stepMillis(2_000)).isGreaterThanOrEqualTo(200);
    }

    private static PollPlanner.Quota quota(int rpm, int cap) {
        return new PollPlanner.Quota() {
            public double requestsPerSecond() {
                return rpm / 60.0;
            }

            public int inFlightCap() {
                return cap;
            }
        };
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
