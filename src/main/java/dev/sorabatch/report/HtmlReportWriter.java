package dev.sorabatch.report;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;

import dev.sorabatch.csv.InputColumns;
import dev.sorabatch.i18n.Messages;
import dev.sorabatch.files.AtomicFiles;

/**
 * The report people look at: {@code report.html} beside {@code report.csv}, made from the CSV just written (one
 * source of truth), through the Mustache template {@code report/report.html.mustache} (HTML-escaped by default).
 * A summary, then the rows' data as JSON from which the page builds the cards a hundred at a time — thumbnail,
 * video player, prompt, status badge, diagnosis, cost and timings — with a status filter, a search, a sort and a
 * button that downloads the failed rows as a CSV to fix and run again. Self-contained: styles and script are inline
 * and videos and thumbnails are linked by paths relative to the report, so the folder can be copied or served
 * anywhere and nothing is fetched from the internet. Two streaming passes over the CSV (totals, then rows), so
 * writing it does not hold the rows in memory.
 */
public class HtmlReportWriter {

    /**
     * What the CSV does not say: where the run came from, when it started, and what the delivered rows without a
     * known price were priced by (sizes, models), for the summary.
     */
    public record RunFacts(String input, Instant started, java.util.Collection<String> unpriced) {
    }

    /** The failed rows' CSV: the input columns the report has, so it can be fixed and given as {@code --input}. */
    static final List<String> RERUN_COLUMNS = List.of(InputColumns.ID, InputColumns.PROMPT, InputColumns.IMAGE_URL,
            InputColumns.WIDTH, InputColumns.HEIGHT, InputColumns.N_SECONDS, InputColumns.N_VARIANTS);

    private static final Mustache TEMPLATE = new DefaultMustacheFactory("report").compile("report.html.mustache");

    private static final List<String> SORTS = List.of("row", "status", "duration", "cost");

    private static final List<String> FACTS = List.of("size", "seconds", "variants", "cost", "job", "generations",
            "http", "error", "attempts", "submitted", "finished", "took", "request-id");

    /** report.csv → report.html; any other name gets .html added. */
    public static Path besideCsv(Path csvReport) {
        return csvReport.resolveSibling(baseName(csvReport) + ".html");
    }

    private static String baseName(Path csvReport) {
        String name = csvReport.getFileName().toString();
        return name.toLowerCase(Locale.ROOT).endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
    }

    public void write(Path csvReport, Path htmlReport, RunFacts facts) throws IOException {
        ReportTotals totals = new ReportTotals();
        try (ReportRows rows = new ReportRows(csvReport)) {
            rows.forEachRemaining(totals::add);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        ReportCards cards = new ReportCards(htmlReport.toAbsolutePath().getParent());
        AtomicFiles.write(htmlReport, out -> {
            Writer html = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            try (ReportRows rows = new ReportRows(csvReport)) {
                Map<String, Object> model = model(facts, totals, baseName(csvReport));
                model.put("rows", json(rows, cards));
                TEMPLATE.execute(html, model);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            } catch (MustacheException e) {
                for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                    if (cause instanceof UncheckedIOException io) {
                        throw io.getCause();
                    }
                }
                throw e;
            }
            html.flush();
        });
    }

    /** The rows' JSON objects, read as the template writes them: {@code {...}}, then {@code ,{...}} for each next. */
    private static Iterable<String> json(ReportRows rows, ReportCards cards) {
        return () -> new Iterator<>() {
            private boolean first = true;

            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public String next() {
                String json = cards.json(rows.next());
                String item = first ? json : "," + json;
                first = false;
                return item;
            }
        };
    }

    private static Map<String, Object> model(RunFacts facts, ReportTotals totals, String reportName) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("lang", Messages.locale().getLanguage());
        model.put("title", Messages.get("html.title"));
        model.put("input", facts.input());
        model.put("writtenLabel", Messages.get("html.written"));
        model.put("written", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        List<Map<String, String>> summary = new ArrayList<>();
        summary.add(item("name", Messages.get("html.rows"), "value", Long.toString(totals.rows)));
        totals.byStatus.forEach((status, count) -> summary.add(item("name", statusName(status), "value",
                Integer.toString(count))));
        summary.add(item("name", Messages.get("html.seconds-of-video"), "value", Long.toString(totals.secondsOfVideo)));
        summary.add(item("name", Messages.get("html.wall-time"), "value", facts.started() == null ? ""
                : dev.sorabatch.diagnosis.Diagnoses.human(Duration.between(facts.started(), Instant.now()))));
        summary.add(item("name", Messages.get("html.estimated-cost"), "value", totals.cost(facts.unpriced())));
        model.put("summary", summary);
        model.put("filterLabel", Messages.get("html.filter"));
        List<Map<String, String>> filters = new ArrayList<>();
        filters.add(filter("ALL", Messages.get("html.all"), totals.rows, true));
        totals.byStatus.forEach((status, count) -> {
            if (count > 0) {
                filters.add(filter(status, statusName(status), count, false));
            }
        });
        model.put("filters", filters);
        model.put("searchLabel", Messages.get("html.search"));
        model.put("sortLabel", Messages.get("html.sort"));
        model.put("sorts", SORTS.stream().map(key -> item("key", key, "name", Messages.get("html.sort." + key)))
                .toList());
        int failed = totals.byStatus.getOrDefault("FAILED", 0);
        if (failed > 0) {
            Map<String, String> download = item("file", reportName + "-failed.csv", "label",
                    Messages.get("html.download-failed"));
            download.put("count", Integer.toString(failed));
            download.put("columns", String.join(",", RERUN_COLUMNS));
            model.put("failed", download);
        }
        model.put("showingFormat", Messages.get("html.showing", "{0}", "{1}"));
        model.put("noscript", Messages.get("html.noscript"));
        model.put("noMatch", Messages.get("html.no-match"));
        model.put("more", Messages.get("html.more"));
        model.put("rowFormat", Messages.get("html.row", "{0}"));
        model.put("imageFormat", Messages.get("html.image", "{0}"));
        model.put("secondsFormat", Messages.get("html.seconds-value", "{0}"));
        model.put("thumbnailFormat", Messages.get("html.thumbnail", "{0}"));
        model.put("thumbnailVariantFormat", Messages.get("html.thumbnail-variant", "{0}", "{1}"));
        Map<String, String> factNames = new LinkedHashMap<>();
        FACTS.forEach(fact -> factNames.put(fact.equals("request-id") ? "requestId" : fact,
                Messages.get("html.fact." + fact)));
        model.put("fact", factNames);
        return model;
    }

    private static Map<String, String> item(String key, String value, String otherKey, String otherValue) {
        Map<String, String> item = new LinkedHashMap<>();
        item.put(key, value);
        item.put(otherKey, otherValue);
        return item;
    }

    private static Map<String, String> filter(String status, String name, long count, boolean pressed) {
        Map<String, String> filter = item("status", status, "name", name);
        filter.put("count", Long.toString(count));
        filter.put("pressed", Boolean.toString(pressed));
        return filter;
    }

    /** A status as people read it; the badge keeps the report's own value (SUCCEEDED, ...). */
    private static String statusName(String status) {
        String plain = status.toLowerCase(Locale.ROOT);
        return Messages.getOrDefault("html.status." + plain, plain);
    }
}
