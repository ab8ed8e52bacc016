package dev.sorabatch.cli;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.batch.infrastructure.item.ExecutionContext;

import dev.sorabatch.csv.CsvRow;
import dev.sorabatch.csv.InvalidRowException;
import dev.sorabatch.csv.MalformedRowException;
import dev.sorabatch.csv.PromptCsvReader;
import dev.sorabatch.csv.RowValidator;
import dev.sorabatch.csv.VideoRequest;
import dev.sorabatch.i18n.Messages;
import dev.sorabatch.pricing.RowCost;
import dev.sorabatch.pricing.RowPrices;

/**
 * {@code --dry-run}: reads and validates the whole CSV exactly as a run would, prints every problem (row, column,
 * fix), the totals and an estimated cost (each row at its price: {@link RowPrices}), and makes no network call at
 * all.
 */
final class DryRun {

    private final RowValidator validator;
    private final RowPrices prices;
    private final PrintStream out;
    private final java.util.Set<String> unpricedSizes = new java.util.TreeSet<>();
    /** What the rows of a model without a known price were priced by, and that model. */
    private final Map<String, String> unpricedModels = new TreeMap<>();

    /** The rows priced alike: their seconds of video and what they cost. */
    private static final class Priced {
        final RowCost price;
        long seconds;
        BigDecimal cost = BigDecimal.ZERO;

        Priced(RowCost price) {
            this.price = price;
        }
    }

    DryRun(RowValidator validator, RowPrices prices, PrintStream out) {
        this.validator = validator;
        this.prices = prices;
        this.out = out;
    }

    /** @return 0 when every row would be sent, 3 when some would be skipped */
    int check(Path input) throws Exception {
        return check(input, null);
    }

    /** @param rows {@code --rows}: only these rows are checked and counted (null: all) */
    int check(Path input, dev.sorabatch.csv.RowSelection selection) throws Exception {
        PromptCsvReader reader = new PromptCsvReader(input, selection);
        reader.open(new ExecutionContext());
        int rows = 0;
        int valid = 0;
        int problems = 0;
        long seconds = 0;
        long videos = 0;
        Map<String, Priced> byPrice = new TreeMap<>();
        Map<String, Integer> problemsByColumn = new TreeMap<>();
        try {
            while (true) {
                CsvRow row;
                try {
                    row = reader.read();
                } catch (MalformedRowException e) {
                    rows++;
                    problems++;
                    problemsByColumn.merge("(csv)", 1, Integer::sum);
                    out.println("  " + e.getMessage());
                    continue;
                }
                if (row == null) {
                    break;
                }
                rows++;
                try {
                    VideoRequest request = validator.process(row);
                    valid++;
                    videos += request.nVariants();
                    seconds += request.secondsOfVideo();
                    RowCost price = prices.cost(request);
                    Priced priced = byPrice.computeIfAbsent(price.key(), key -> new Priced(price));
                    priced.seconds += request.secondsOfVideo();
                    if (price.known()) {
                        priced.cost = priced.cost.add(price.amount());
                    }
                } catch (InvalidRowException e) {
                    problems++;
                    problemsByColumn.merge(e.column(), 1, Integer::sum);
                    out.println("  " + e.getMessage());
                }
            }
        } finally {
            reader.close();
        }
        out.println(Messages.get("dry.summary", input, rows, valid, problems, videos, seconds));
        if (selection != null) {
            out.println("  " + Messages.get("dry.rows-selected", selection.spec()));
        }
        if (!problemsByColumn.isEmpty()) {
            // with thousands of problems listed above, the totals say where to start
            out.println(Messages.get("dry.problems-by-column", problemsByColumn.entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                    .map(e -> e.getKey() + " " + e.getValue()).collect(java.util.stream.Collectors.joining(", "))));
        }
        BigDecimal cost = BigDecimal.ZERO;
        for (Map.Entry<String, Priced> e : byPrice.entrySet()) {
            Priced priced = e.getValue();
            out.println(Messages.get("dry.size", e.getKey(), priced.seconds, rate(priced)));
            if (priced.price.known()) {
                cost = cost.add(priced.cost);
            } else if (priced.price.bySize()) {
                unpricedSizes.add(e.getKey());
            } else {
                unpricedModels.put(e.getKey(), priced.price.model());
            }
        }
        if (!unpricedSizes.isEmpty()) {
            out.println(Messages.get("dry.cost-partial", money(cost), String.join(", ", unpricedSizes)));
        } else {
            out.println(Messages.get(unpricedModels.isEmpty() ? "dry.cost" : "dry.cost-known", money(cost)));
        }
        if (!unpricedModels.isEmpty()) {
            out.println(Messages.get("dry.unpriced-models", String.join(", ", unpricedModels.keySet())));
        }
        out.println(Messages.get("dry.nothing-sent"));
        return problems == 0 ? ExitCodes.ALL_SUCCEEDED : ExitCodes.SOME_ROWS_NOT_SUCCEEDED;
    }

    /**
     * After {@link #check}: why {@code --max-cost} cannot be kept for these rows (the sizes and models that have no
     * known price, and how to give them one), or null when every row that would be sent has a price.
     */
    /** {@code --max-cost} with rows of a size or model that has no price would skip them all: said before sending. */
    static void refuseUnpricedRows(RowValidator validator, RowPrices prices, CliOptions options) throws Exception {
        if (options.maxCost() != null) {
            // the dry run's count, with the run's own row rules (validator and defaults), printed nowhere
            DryRun rows = new DryRun(validator, prices, new PrintStream(java.io.OutputStream.nullOutputStream()));
            rows.check(options.input(), options.rows());
            String refusal = rows.maxCostRefusal();
            if (refusal != null) {
                throw new UsageException(refusal);
            }
        }
    }

    String maxCostRefusal() {
        java.util.List<String> reasons = new java.util.ArrayList<>();
        if (!unpricedSizes.isEmpty()) {
            reasons.add(Messages.get("run.budget-unpriced", String.join(", ", unpricedSizes),
                    unpricedSizes.iterator().next()));
        }
        if (!unpricedModels.isEmpty()) {
            reasons.add(Messages.get("run.budget-unpriced-models", String.join(", ", unpricedModels.keySet()),
                    unpricedModels.values().iterator().next()));
        }
        return reasons.isEmpty() ? null : String.join(" ", reasons);
    }

    /** {@code  × 0.10 = 2.00 USD}, or the base price and the price per second after it; empty without a price. */
    private static String rate(Priced priced) {
        if (!priced.price.known()) {
            return "";
        }
        dev.sorabatch.pricing.Rate rate = priced.price.rate();
        if (rate.plainPerSecond()) {
            return Messages.get("dry.size-price", price(rate.perSecond()), money(priced.cost));
        }
        return Messages.get("dry.size-price-base", price(rate.basePrice()), rate.baseSeconds(),
                price(rate.perSecond()), money(priced.cost));
    }

    /** A price as the table or the property gives it, with at least cents: {@code 0.40}, {@code 0.056}. */
    private static String price(BigDecimal amount) {
        return Messages.decimal(RowCost.withCents(amount));
    }

    private static String money(BigDecimal amount) {
        return Messages.decimal(amount.setScale(2, RoundingMode.HALF_UP)) + " " + RowCost.CURRENCY;
    }
}
