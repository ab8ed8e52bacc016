package dev.sorabatch.cli;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import dev.sorabatch.i18n.Messages;
import dev.sorabatch.job.RunBudget;
import dev.sorabatch.ledger.Ledger;
import dev.sorabatch.pricing.RowCost;

/**
 * The run summary's money: what a budgeted run spent (every row sent), else the estimated cost of the videos
 * delivered, and the sizes and models that had no known price, whose rows are counted as nothing (unless no row
 * had a price at all: a Sora run without {@code sora.pricing} prices).
 */
final class CostSummary {

    private CostSummary() {
    }

    static String of(Ledger ledger, long runId, RunBudget budget, Map<String, BigDecimal> perSecondBySize) {
        StringBuilder note = new StringBuilder();
        BigDecimal delivered = ledger.costs().delivered(runId, perSecondBySize);
        if (budget.isLimited()) {
            note.append(Messages.get("run.summary.spent", budget.spentSeconds(), budget.spentCost().signum() > 0
                    ? Messages.get("run.summary.cost", money(budget.spentCost())) : ""));
        } else if (delivered != null) {
            note.append(Messages.get("run.summary.estimated", money(delivered)));
        }
        List<String> unpriced = ledger.costs().unpriced(runId);
        // a Sora run that was given no price at all says nothing of prices, as before the table existed
        boolean noPriceAsked = delivered == null && unpriced.stream().allMatch(RowCost::isSize);
        if (!unpriced.isEmpty() && !noPriceAsked) {
            note.append(Messages.get("run.summary.unpriced", String.join(", ", unpriced)));
        }
        return note.toString();
    }

    /** {@code 1.60 USD}, with the language's decimal mark. */
    static String money(BigDecimal amount) {
        return Messages.decimal(RowCost.withCents(amount)) + " " + RowCost.CURRENCY;
    }
}
