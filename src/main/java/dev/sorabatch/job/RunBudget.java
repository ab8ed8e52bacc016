package dev.sorabatch.job;

import java.math.BigDecimal;
import java.util.Map;

import dev.sorabatch.csv.VideoRequest;
import dev.sorabatch.i18n.Messages;

/**
 * Limits on what one run may spend ({@code --max-video-seconds}, {@code --max-cost}): once the next row would
 * take the run past either, submitting stops and the remaining rows are skipped. What earlier attempts of the
 * run submitted counts too.
 */
public class RunBudget {

    private volatile Long maxSeconds;
    private volatile BigDecimal maxCost;
    private volatile Map<String, BigDecimal> pricePerSecond = Map.of();
    private long spentSeconds;
    private BigDecimal spentCost = BigDecimal.ZERO;
    private String reached;

    public void limit(Long maxSeconds, BigDecimal maxCost, Map<String, BigDecimal> pricePerSecond) {
        this.maxSeconds = maxSeconds;
        this.maxCost = maxCost;
        this.pricePerSecond = Map.copyOf(pricePerSecond);
    }

    /** At the start of a run: what its earlier attempts already submitted. */
    public synchronized void alreadySpent(long seconds, BigDecimal cost, boolean reachedBefore) {
        spentSeconds = seconds;
        spentCost = cost;
        reached = reachedBefore ? Messages.get("budget.reached-earlier") : null;
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
            BigDecimal cost = cost(request);
            if (cost == null) {
                return Messages.get("budget.no-price", request.width() + "x" + request.height());
            }
            if (spentCost.add(cost).compareTo(maxCost) > 0) {
                return Messages.get("budget.cost", Messages.decimal(cost), maxCost.toPlainString(),
                        Messages.decimal(spentCost));
            }
        }
        return null;
    }

    public synchronized void spend(VideoRequest request) {
        spentSeconds += request.secondsOfVideo();
        BigDecimal cost = cost(request);
        if (cost != null) {
            spentCost = spentCost.add(cost);
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

    private BigDecimal cost(VideoRequest request) {
        BigDecimal price = pricePerSecond.get(request.width() + "x" + request.height());
        return price == null ? null : price.multiply(BigDecimal.valueOf(request.secondsOfVideo()));
    }
}
