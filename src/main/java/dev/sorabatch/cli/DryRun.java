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

/**
 * {@code --dry-run}: reads and validates the whole CSV exactly as a run would, prints every problem (row, column,
 * fix), the totals and an estimated cost, and makes no network call at all.
 */
final class DryRun {

    private final RowValidator validator;
    private final Map<String, BigDecimal> pricePerSecond;
    private final PrintStream out;
    private final java.util.Set<String> unpricedSizes = new java.util.TreeSet<>();

    DryRun(RowValidator validator, Map<String, BigDecimal> pricePerSecond, PrintStream out) {
        this.validator = validator;
        this.pricePerSecond = pricePerSecond;
        this.out = out;
    }

    /** @return 0 when every row would be sent, 3 when some would be skipped */
    int check(Path input) throws Exception {
        PromptCsvReader reader = new PromptCsvReader(input);
        reader.open(new ExecutionContext());
        int rows = 0;
        int valid = 0;
        int problems = 0;
        long seconds = 0;
        long videos = 0;
        BigDecimal cost = BigDecimal.ZERO;
        Map<String, Long> secondsBySize = new TreeMap<>();
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
                    String size = request.width() + "x" + request.height();
                    secondsBySize.merge(size, (long) request.secondsOfVideo(), Long::sum);
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
        if (!problemsByColumn.isEmpty()) {
            // with thousands of problems listed above, the totals say where to start
            out.println(Messages.get("dry.problems-by-column", problemsByColumn.entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                    .map(e -> e.getKey() + " " + e.getValue()).collect(java.util.stream.Collectors.joining(", "))));
        }
        StringBuilder unpriced = new StringBuilder();
        for (Map.Entry<String, Long> e : secondsBySize.entrySet()) {
            BigDecimal price = pricePerSecond.get(e.getKey());
            String priced = price == null ? "" : Messages.get("dry.size-price", Messages.decimal(price),
                    money(price.multiply(BigDecimal.valueOf(e.getValue()))));
            out.println(Messages.get("dry.size", e.getKey(), e.getValue(), priced));
            if (price == null) {
                unpricedSizes.add(e.getKey());
                unpriced.append(unpriced.isEmpty() ? "" : ", ").append(e.getKey());
            } else {
                cost = cost.add(price.multiply(BigDecimal.valueOf(e.getValue())));
            }
        }
        if (unpriced.isEmpty()) {
            out.println(Messages.get("dry.cost", money(cost)));
        } else {
            out.println(Messages.get("dry.cost-partial", money(cost), unpriced));
        }
        out.println(Messages.get("dry.nothing-sent"));
        return problems == 0 ? ExitCodes.ALL_SUCCEEDED : ExitCodes.SOME_ROWS_NOT_SUCCEEDED;
    }

    /** After {@link #check}: the sizes of rows that would be sent and have no price. */
    java.util.Set<String> unpricedSizes() {
        return unpricedSizes;
    }

    private static String money(BigDecimal amount) {
        return Messages.decimal(amount.setScale(2, RoundingMode.HALF_UP));
    }
}
