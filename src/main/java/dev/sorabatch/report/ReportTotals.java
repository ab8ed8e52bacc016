package dev.sorabatch.report;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.sorabatch.i18n.Messages;
import dev.sorabatch.pricing.RowCost;

/** The report's summary: counts per status, seconds of video delivered and their estimated cost. */
final class ReportTotals {

    static final List<String> STATUSES = List.of("SUCCEEDED", "FAILED", "SKIPPED", ReportWriter.PENDING);

    final Map<String, Integer> byStatus = new LinkedHashMap<>();
    long rows;
    long secondsOfVideo;
    private BigDecimal cost = BigDecimal.ZERO;
    private long delivered;
    private long deliveredUnpriced;

    ReportTotals() {
        STATUSES.forEach(s -> byStatus.put(s, 0));
    }

    void add(Map<String, String> row) {
        rows++;
        byStatus.merge(row.getOrDefault("status", ""), 1, Integer::sum);
        long seconds = secondsDelivered(row);
        if (seconds > 0) {
            secondsOfVideo += seconds;
            delivered++;
            BigDecimal rowCost = RowCost.amountOf(row.get("cost"));
            if (rowCost == null) {
                deliveredUnpriced++;
            } else {
                cost = cost.add(rowCost);
            }
        }
    }

    /**
     * The cost of the videos delivered, from the report's {@code cost} column.
     *
     * @param unpriced what the delivered rows without a price were priced by, to name them
     */
    String cost(Collection<String> unpriced) {
        if (delivered == 0) {
            return RowCost.text(BigDecimal.ZERO);
        }
        if (deliveredUnpriced == delivered) {
            return Messages.get("html.not-priced");
        }
        return RowCost.text(cost) + (deliveredUnpriced == 0 || unpriced.isEmpty() ? ""
                : Messages.get("html.unpriced", String.join(", ", unpriced)));
    }

    /** Seconds of video a row delivered: its length times its variants, when it succeeded. */
    private static long secondsDelivered(Map<String, String> row) {
        if (!"SUCCEEDED".equals(row.get("status"))) {
            return 0;
        }
        return number(row.get("n_seconds")) * Math.max(1, number(row.get("n_variants")));
    }

    private static long number(String s) {
        try {
            return s == null || s.isBlank() ? 0 : Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
