package dev.sorabatch.config;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Prices for the dry run's cost estimate: {@code sora.pricing.per-second.1280x720=0.15} is the price of one
 * second of 1280x720 video. None are built in: prices change and differ by contract.
 */
@ConfigurationProperties("sora.pricing")
public class PricingProperties {

    private Map<String, BigDecimal> perSecond = new TreeMap<>();

    public Map<String, BigDecimal> getPerSecond() {
        return perSecond;
    }

    public void setPerSecond(Map<String, BigDecimal> perSecond) {
        this.perSecond = perSecond;
    }
}
