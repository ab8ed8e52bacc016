package dev.sorabatch.job;

import java.math.BigDecimal;

import dev.sorabatch.csv.VideoRequest;
import dev.sorabatch.i18n.Messages;
import dev.sorabatch.pricing.RowCost;
import dev.sorabatch.pricing.RowPrices;

/**
 * Limits on what one run may spend ({@code --max-video-seconds}, {@code --max-cost}): once the next row would
 * take the run past either, submitting stops and the remaining rows are skipped. What earlier attempts of the
 * run submitted counts too. A row's cost is its price ({@link RowPrices}: the table, or a {@code sora.pricing}
 * property).
 */
public class RunBudget {

    private volatile Long maxSeconds;
    private volatile BigDecimal maxCost;
    private final RowPrices prices;
    private long spentSeconds;
    private BigDecimal spentCost = BigDecimal.ZERO;
    private String reached;

    public RunBudget(RowPrices prices) {
        this.prices = prices;
    }

    public void limit(Long maxSeconds, BigDecimal maxCost) {
        this.maxSeconds = maxSeconds;
        this.maxCost = maxCost;
    }

    /** At the start of a run: what its earlier attempts already submitted. */
    public synchronized void alreadySpent(long seconds, BigDecimal cost, boolean reachedBefore) {
        spentSeconds = seconds;
        spentCost = cost;
        reached = reachedBefore ? Messages.get("budget.reached-earlier") : null;
    }

    /**
     * Takes the row's seconds and cost from the budget when they fit (the row is about to be sent).
     *
     * @return null when the row fits, else why it does not; once one row is refused, every later one is
     */
    public synchronized String admit(VideoRequest request) {
        String refusal = refusal(request);
        if (refusal == null) {
            spend(request, cost(request));
        }
        return refusal;
    }

    /** @return null when the row fits, else why it does not; once one row is refused, submitting stops */
    public synchronized String refusal(VideoRequest request) {
        if (reached != null) {
            return reached;
        }
        String refusal = check(request);
        if (refusal != null) {
            reached = Messages.get("budget.reached-at", request.rowNumber());
        }
        return refusal;
    }

    private String check(VideoRequest request) {
        long seconds = request.secondsOfVideo();
        if (maxSeconds != null && spentSeconds + seconds > maxSeconds) {
            return Messages.get("budget.seconds", seconds, maxSeconds, spentSeconds);
        }
        if (maxCost != null) {
            RowCost cost = cost(request);
            if (!cost.known()) {
                return cost.bySize() ? Messages.get("budget.no-price", cost.key())
                        : Messages.get("budget.no-price-model", cost.key(), cost.model());
            }
            if (spentCost.add(cost.amount()).compareTo(maxCost) > 0) {
                return Messages.get("budget.cost", amount(cost.amount()), maxCost.toPlainString(),
                        amount(spentCost));
            }
        }
        return null;
    }

    /** @param cost the row's {@link #cost}, as the ledger records it */
    public synchronized void spend(VideoRequest request, RowCost cost) {
        spentSeconds += request.secondsOfVideo();
        if (cost.known()) {
            spentCost = spentCost.add(cost.amount());
        }
    }

    public synchronized long spentSeconds() {
        return spentSeconds;
    }

    public synchronized BigDecimal spentCost() {
        return spentCost;
    }

    public boolean isLimited() {
        return maxSeconds != null || maxCost != null;
    }

    /** {@code 0.50}, not the ledger's {@code 0.500000}, with the language's decimal mark. */
    private static String amount(BigDecimal amount) {
        return Messages.decimal(RowCost.withCents(amount));
    }

    public RowCost cost(VideoRequest request) {
        return prices.cost(request);
    }
}
