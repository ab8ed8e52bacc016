package dev.sorabatch.config;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Prices that replace or complete the built-in table ({@code pricing/prices.yml}, README "Prices"):
 * {@code sora.pricing.per-second.1280x720=0.15} is the price of one second of 1280x720 video (the Sora providers,
 * which no source prices), {@code sora.pricing.models[fal-ai/veo3.1].per-second=0.30} the price of one second of
 * any video of that model (brackets keep the dots and slashes of a model's name). In the table's currency (USD).
 */
@ConfigurationProperties("sora.pricing")
public class PricingProperties {

    private Map<String, BigDecimal> perSecond = new TreeMap<>();
    private Map<String, ModelPrice> models = new TreeMap<>();

    public Map<String, BigDecimal> getPerSecond() {
        return perSecond;
    }

    public void setPerSecond(Map<String, BigDecimal> perSecond) {
        this.perSecond = perSecond;
    }

    public Map<String, ModelPrice> getModels() {
        return models;
    }

    public void setModels(Map<String, ModelPrice> models) {
        this.models = models;
    }

    /** The price per second of each model given one (not a bean property: nothing binds to it). */
    public Map<String, BigDecimal> perSecondOfModels() {
        Map<String, BigDecimal> prices = new TreeMap<>();
        models.forEach((model, price) -> {
            if (price.getPerSecond() != null) {
                prices.put(model, price.getPerSecond());
            }
        });
        return prices;
    }

    /** {@code sora.pricing.models.<model>.*}. */
    public static class ModelPrice {

        private BigDecimal perSecond;

        public BigDecimal getPerSecond() {
            return perSecond;
        }

        public void setPerSecond(BigDecimal perSecond) {
            this.perSecond = perSecond;
        }
    }
}
