package dev.sorabatch.ledger;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.sorabatch.pricing.RowPrices;

/**
 * What a run's rows cost, from the price each was given when it was first sent ({@code COST}, {@code PRICE_KEY}).
 * Rows an earlier version sent carry no price: they are priced by their size, as that version did.
 */
public final class LedgerCosts {

    /** A create was sent for the row (or may have been): the budget counts it. */
    private static final String SUBMITTED = "(JOB_ID IS NOT NULL OR STATUS = 'SUBMITTING')";

    private final JdbcTemplate jdbc;

    LedgerCosts(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The price of every row the run has sent, whatever became of it: spent budget. Unknown prices count nothing. */
    public BigDecimal submitted(long runId, Map<String, BigDecimal> perSecondBySize) {
        BigDecimal sum = sum(runId, SUBMITTED, perSecondBySize);
        return sum == null ? BigDecimal.ZERO : sum;
    }

    /** The price of the videos the run delivered, or null when none of them has a known price. */
    public BigDecimal delivered(long runId, Map<String, BigDecimal> perSecondBySize) {
        return sum(runId, "STATUS = 'SUCCEEDED'", perSecondBySize);
    }

    /** What the rows sent without a known price were looked up by (sizes, models), in order. */
    public List<String> unpriced(long runId) {
        return jdbc.queryForList("SELECT DISTINCT PRICE_KEY FROM SORA_LEDGER WHERE RUN_ID = ? AND (SUBMITTING_AT IS "
                + "NOT NULL OR JOB_ID IS NOT NULL) AND PRICE_KEY IS NOT NULL AND COST IS NULL ORDER BY PRICE_KEY",
                String.class, runId);
    }

    /** The sum of the known prices of the rows {@code which} selects, or null when none has one. */
    private BigDecimal sum(long runId, String which, Map<String, BigDecimal> perSecondBySize) {
        BigDecimal[] total = { jdbc.queryForObject("SELECT SUM(COST) FROM SORA_LEDGER WHERE RUN_ID = ? AND " + which
                + " AND PRICE_KEY IS NOT NULL", BigDecimal.class, runId) };
        jdbc.query("SELECT WIDTH, HEIGHT, SUM(N_SECONDS * N_VARIANTS) FROM SORA_LEDGER WHERE RUN_ID = ? AND " + which
                + " AND PRICE_KEY IS NULL GROUP BY WIDTH, HEIGHT", rs -> {
                    BigDecimal cost = RowPrices.bySizeOnly(perSecondBySize, rs.getInt(1), rs.getInt(2),
                            rs.getInt(3)).amount();
                    if (cost != null) {
                        total[0] = total[0] == null ? cost : total[0].add(cost);
                    }
                }, runId);
        return total[0];
    }

    /** Seconds of video this run has sent to the service (whatever became of them): spent budget. */
    public long submittedSeconds(long runId) {
        Long n = jdbc.queryForObject("SELECT COALESCE(SUM(N_SECONDS * N_VARIANTS), 0) FROM SORA_LEDGER WHERE RUN_ID = ? "
                + "AND (JOB_ID IS NOT NULL OR STATUS = 'SUBMITTING')", Long.class, runId);
        return n == null ? 0 : n;
    }

    /** Whether a row of this run was refused for the budget: every later one is too. */
    public boolean budgetReached(long runId) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM SORA_LEDGER WHERE RUN_ID = ? AND ERROR_CODE = "
                + "'budget_reached'", Integer.class, runId);
        return n != null && n > 0;
    }
}
