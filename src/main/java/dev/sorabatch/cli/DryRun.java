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

/**
 * {@code --dry-run}: reads and validates the whole CSV exactly as a run would, prints every problem (row, column,
 * fix), the totals and an estimated cost, and makes no network call at all.
 */
final class DryRun {

    private final RowValidator validator;
    private final Map<String, BigDecimal> pricePerSecond;
    private final PrintStream out;

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
        try {
            while (true) {
                CsvRow row;
                try {
                    row = reader.read();
                } catch (MalformedRowException e) {
                    rows++;
                    problems++;
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
                    out.println("  " + e.getMessage());
                }
            }
        } finally {
            reader.close();
        }
        out.printf("sora-batch dry run of %s: %d rows, %d would be sent, %d would be skipped · %d videos · %d s of "
                + "video%n", input, rows, valid, problems, videos, seconds);
        StringBuilder unpriced = new StringBuilder();
        for (Map.Entry<String, Long> e : secondsBySize.entrySet()) {
            BigDecimal price = pricePerSecond.get(e.getKey());
            String priced = price == null ? "" : " × " + price.toPlainString() + " = "
                    + money(price.multiply(BigDecimal.valueOf(e.getValue())));
            out.printf("  %s: %d s of video%s%n", e.getKey(), e.getValue(), priced);
            if (price == null) {
                unpriced.append(unpriced.isEmpty() ? "" : ", ").append(e.getKey());
            } else {
                cost = cost.add(price.multiply(BigDecimal.valueOf(e.getValue())));
            }
        }
        if (unpriced.isEmpty()) {
            out.printf("  estimated cost: %s%n", money(cost));
        } else {
            out.printf("  estimated cost: %s for the priced sizes; no price for %s (set "
                    + "sora.pricing.per-second.<WxH>=<price per second of video>)%n",
                    money(cost), unpriced);
        }
        out.println("  nothing was sent (dry run)");
        return problems == 0 ? ExitCodes.ALL_SUCCEEDED : ExitCodes.SOME_ROWS_NOT_SUCCEEDED;
    }

    private static String money(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }
}
