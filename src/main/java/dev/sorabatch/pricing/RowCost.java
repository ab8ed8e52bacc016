package dev.sorabatch.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a row costs, or that its price is unknown, and what the price was looked up by.
 *
 * @param amount the row's price (every video), or null when unknown
 * @param key what the price is for, as people are told: a size ({@code 1280x720}) for the providers priced by size,
 *        else the model with what its price depended on ({@code fal-ai/veo3.1 720p audio=on})
 * @param model the model the row is sent to, for the fix ({@code sora.pricing.models[<model>].per-second})
 * @param rate how the price was made, or null when unknown
 */
public record RowCost(BigDecimal amount, String key, String model, Rate rate) {

    /** Every amount is in this currency: the table's, and the one {@code sora.pricing.*} properties are read in. */
    public static final String CURRENCY = "USD";
    /** The report's word for a row sent without a known price. */
    public static final String UNKNOWN = "unknown";

    private static final Pattern SIZE = Pattern.compile("\\d+x\\d+");
    private static final Pattern AMOUNT = Pattern.compile("^\\s*(-?\\d+(?:\\.\\d+)?)");

    public boolean known() {
        return amount != null;
    }

    /** Whether the key is a size: the fix is {@code sora.pricing.per-second.<WxH>}. */
    public boolean bySize() {
        return isSize(key);
    }

    public static boolean isSize(String key) {
        return key != null && SIZE.matcher(key).matches();
    }

    /** As the report writes it: {@code 0.80 USD}, or {@code unknown}. */
    public String text() {
        return known() ? text(amount) : UNKNOWN;
    }

    /** {@code 0.8} → {@code 0.80 USD}; the digits a price has beyond cents are kept ({@code 0.004 USD}). */
    public static String text(BigDecimal amount) {
        return plain(amount) + " " + CURRENCY;
    }

    /** At least two decimals, never rounded: an estimate a script adds up must not lose the fractions of cents. */
    public static String plain(BigDecimal amount) {
        return withCents(amount).toPlainString();
    }

    /** {@code 0.5} and {@code 0.500000} (the ledger's) as {@code 0.50}; {@code 0.056} stays. */
    public static BigDecimal withCents(BigDecimal amount) {
        return amount.setScale(Math.max(2, amount.stripTrailingZeros().scale()), RoundingMode.UNNECESSARY);
    }

    /** The amount of a text {@link #text()} wrote, or null ({@code unknown}, empty). */
    public static BigDecimal amountOf(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = AMOUNT.matcher(text);
        return m.find() ? new BigDecimal(m.group(1)) : null;
    }
}
