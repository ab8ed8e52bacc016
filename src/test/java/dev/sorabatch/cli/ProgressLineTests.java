package dev.sorabatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.sorabatch.i18n.Messages;
import dev.sorabatch.ledger.RunCounts;

/** The bar's text at every width. */
class ProgressLineTests {

    private static final RunCounts MIDWAY = new RunCounts(10, 1, 1, 2, 0, 0, 0);
    private static final Duration ELAPSED = Duration.ofSeconds(24);

    @Test
    void onANarrowTerminalTheCountsReplaceTheBracketBar() {
        assertThat(ProgressLine.render(MIDWAY, 40, 0, ELAPSED, 100))
                .isEqualTo("12/40 rows · 2 in flight · 1 failed · 1 skipped · elapsed 0:00:24 · left ~0:00:56");
        assertThat(ProgressLine.render(MIDWAY, 40, 0, ELAPSED, 115)).startsWith("sora-batch  30% [=")
                .doesNotContain("rows/min").endsWith("] 12/40 rows · 2 in flight · 1 failed · 1 skipped · "
                        + "elapsed 0:00:24 · left ~0:00:56");
        assertThat(ProgressLine.render(MIDWAY, 40, 0, ELAPSED, 130)).contains("30.0 rows/min");
    }

    @Test
    void belowFiftyColumnsAShorterFormKeepsDoneFailedAndTimeLeft() {
        assertThat(ProgressLine.render(MIDWAY, 40, 0, ELAPSED, 55))
                .isEqualTo("12/40 · 2 in flight · 1 failed · 1 skipped · ~0:00:56");
        assertThat(ProgressLine.render(MIDWAY, 40, 0, ELAPSED, 40)).isEqualTo("12/40 · 1 failed · 1 skipped · ~0:00:56");
        assertThat(ProgressLine.render(MIDWAY, 40, 0, ELAPSED, 20)).isEqualTo("12/40 · 1 failed");
    }

    @Test
    void noWidthGetsALineAsWideAsTheTerminalOrWider() {
        RunCounts big = new RunCounts(51_234, 1_234, 321, 12, 0, 0, 0, 45);
        for (int width = 1; width <= 220; width++) {
            String line = ProgressLine.render(big, 100_000, 20_000, Duration.ofHours(12), width);
            assertThat(line.length()).as("at %d columns: %s", width, line).isLessThan(width);
        }
        assertThat(ProgressLine.render(big, 100_000, 20_000, Duration.ofHours(12), 80))
                .contains("52789/100000 rows", "12 in flight", "1234 failed", "321 skipped", "left ~");
    }

    @Test
    void jobsWaitingInTheServicesQueueShowBesideTheJobsInFlight() {
        RunCounts queued = MIDWAY.withQueue(2, 0);
        assertThat(ProgressLine.render(queued, 40, 0, ELAPSED, 150)).contains("2 in flight (2 queued)");
        assertThat(ProgressLine.render(MIDWAY, 40, 0, ELAPSED, 150)).doesNotContain("queued");
    }

    @Test
    void theTimeLeftCountsOnlyThisAttemptsRowsAndIsGoneAtTheEnd() {
        // 6 rows were done by an earlier attempt; this one did 6 more in 60 s: 28 left take 280 s
        assertThat(ProgressLine.render(MIDWAY, 40, 6, Duration.ofSeconds(60), 150)).contains("left ~0:04:40");
        assertThat(ProgressLine.render(MIDWAY, 40, 12, Duration.ofSeconds(60), 150)).doesNotContain("left");
        assertThat(ProgressLine.render(MIDWAY, 12, 0, Duration.ofSeconds(60), 150))
                .startsWith("sora-batch 100% [==========").doesNotContain("left").contains("elapsed 0:01:00");
    }

    @Test
    void withLangFrTheBarSpeaksFrench() {
        try {
            Messages.use("fr");
            assertThat(ProgressLine.render(MIDWAY, 40, 0, ELAPSED, 150)).contains("12/40 lignes · 2 en cours · "
                    + "1 en échec · 1 ignorée · 30,0 lignes/min · écoulé 0:00:24 · reste ~0:00:56");
        } finally {
            Messages.use("en");
        }
    }
}
