package dev.sorabatch.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.sorabatch.i18n.Messages;

/** The report's summary: counts per status, seconds of video delivered and their estimated cost. */
final class ReportTotals {

    static final List<String> STATUSES = List.of("SUCCEEDED", "FAILED", "SKIPPED", ReportWriter.PENDING);

    final Map<String, Integer> byStatus = new LinkedHashMap<>();
    private final Map<String, Long> secondsBySize = new TreeMap<>();
    long rows;
    long secondsOfVideo;

    ReportTotals() {
        STATUSES.forEach(s -> byStatus.put(s, 0));
    }

    void add(Map<String, String> row) {
        rows++;
        byStatus.merge(row.getOrDefault("status", ""), 1, Integer::sum);
        long seconds = secondsDelivered(row);
        if (seconds > 0) {
            secondsOfVideo += seconds;
            secondsBySize.merge(size(row), seconds, Long::sum);
        }
    }

    String cost(Map<String, BigDecimal> prices) {
        BigDecimal cost = BigDecimal.ZERO;
        List<String> unpriced = new ArrayList<>();
        for (Map.Entry<String, Long> size : secondsBySize.entrySet()) {
            BigDecimal price = prices.get(size.getKey());
            if (price == null) {
                unpriced.add(size.getKey());
            } else {
                cost = cost.add(price.multiply(BigDecimal.valueOf(size.getValue())));
            }
        }
        if (secondsBySize.isEmpty()) {
            return "0";
        }
        if (unpriced.size() == secondsBySize.size()) {
            return Messages.get("html.not-priced");
        }
        return cost.toPlainString() + (unpriced.isEmpty() ? ""
                : Messages.get("html.unpriced", String.join(", ", unpriced)));
    }

    /** What this row's videos cost at {@code sora.pricing.per-second.<WxH>}, or null (nothing delivered, no price). */
    static BigDecimal rowCost(Map<String, String> row, Map<String, BigDecimal> prices) {
        long seconds = secondsDelivered(row);
        BigDecimal price = prices.get(size(row));
        return seconds == 0 || price == null ? null : price.multiply(BigDecimal.valueOf(seconds));
    }

    /** Seconds of video a row delivered: its length times its variants, when it succeeded. */
    private static long secondsDelivered(Map<String, String> row) {
        if (!"SUCCEEDED".equals(row.get("status"))) {
            return 0;
        }
        return number(row.get("n_seconds")) * Math.max(1, number(row.get("n_variants")));
    }

    private static String size(Map<String, String> row) {
        return row.get("width") + "x" + row.get("height");
    }

    private static long number(String s) {
        try {
            return s == null || s.isBlank() ? 0 : Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
