package dev.sorabatch.pricing;

import java.math.BigDecimal;

/**
 * How one video is priced: {@code perSecond} for each second, or {@code basePrice} for the first
 * {@code baseSeconds} and {@code perSecond} for each second after them (fal's Kling: 0.28 for 5 s + 0.056/s).
 *
 * @param basePrice null for a plain price per second
 */
public record Rate(BigDecimal perSecond, BigDecimal basePrice, int baseSeconds) {

    public static Rate perSecond(BigDecimal perSecond) {
        return new Rate(perSecond, null, 0);
    }

    public boolean plainPerSecond() {
        return basePrice == null;
    }

    /** The price of one video of {@code seconds}. */
    public BigDecimal videoOf(int seconds) {
        if (plainPerSecond()) {
            return perSecond.multiply(BigDecimal.valueOf(seconds));
        }
        return basePrice.add(perSecond.multiply(BigDecimal.valueOf(Math.max(0, seconds - baseSeconds))));
    }
}
