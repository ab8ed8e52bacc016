package dev.sorabatch.metrics;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import dev.sorabatch.ledger.LedgerEntry;
import dev.sorabatch.ledger.RowStatus;
import dev.sorabatch.pricing.RowPrices;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * What the rows of a run came to, as they end (told by the ledger) and as they wait for a slot (told by the submit
 * writer): {@code sora.rows} by status, {@code sora.job.duration} from submit to finish, {@code sora.video.seconds}
 * and {@code sora.cost} of the videos delivered (at the price each row was given when sent; none for unknown prices),
 * and {@code sora.slot.wait}, the time a row queued behind the in-flight cap.
 */
public class RunMetrics {

    private final MeterRegistry registry;
    private final Map<String, BigDecimal> prices;
    private final Counter videoSeconds;
    private final Timer slotWait;

    public RunMetrics(MeterRegistry registry, Map<String, BigDecimal> pricesPerSecond) {
        this.registry = registry;
        this.prices = pricesPerSecond;
        this.videoSeconds = Counter.builder("sora.video.seconds").baseUnit("seconds")
                .description("Seconds of video delivered (seconds x variants of the rows that succeeded)")
                .register(registry);
        this.slotWait = Timer.builder("sora.slot.wait")
                .description("Time a row waited for a free in-flight slot before it was submitted").register(registry);
        for (RowStatus status : new RowStatus[] { RowStatus.SUCCEEDED, RowStatus.FAILED, RowStatus.SKIPPED }) {
            rows(status); // every status is there from the start, at 0
        }
        if (!prices.isEmpty()) {
            cost();
        }
    }

    public void rowEnded(LedgerEntry row) {
        rows(row.status()).increment();
        if (row.submittedAt() != null && row.finishedAt() != null) {
            Timer.builder("sora.job.duration").description("Time from a row's submission to its end")
                    .tag("status", tag(row.status())).register(registry)
                    .record(Duration.ofMillis(Math.max(0, row.finishedAt() - row.submittedAt())));
        }
        if (row.status() != RowStatus.SUCCEEDED) {
            return;
        }
        videoSeconds.increment(row.secondsOfVideo());
        BigDecimal cost = row.priceKey() != null ? row.cost()
                : RowPrices.bySizeOnly(prices, row.width(), row.height(), row.secondsOfVideo()).amount();
        if (cost != null) {
            cost().increment(cost.doubleValue());
        }
    }

    private Counter cost() {
        return Counter.builder("sora.cost").description("Estimated cost of the videos delivered, in USD")
                .register(registry);
    }

    public void slotWaited(Duration waited) {
        slotWait.record(waited);
    }

    private Counter rows(RowStatus status) {
        return Counter.builder("sora.rows").description("Rows that ended in this process, by status")
                .tag("status", tag(status)).register(registry);
    }

    private static String tag(RowStatus status) {
        return status.name().toLowerCase(Locale.ROOT);
    }
}
