package dev.sorabatch.report;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.RFC4180ParserBuilder;
import com.opencsv.exceptions.CsvValidationException;

import dev.sorabatch.files.AtomicFiles;
import dev.sorabatch.i18n.Messages;

/**
 * The report people look at: {@code report.html} beside {@code report.csv}, made from the CSV just written (one
 * source of truth). A summary, then one card per row with its thumbnail, a video player, the prompt, a status
 * badge, the diagnosis and the timings; buttons filter the cards by status. Self-contained: styles and script are
 * inline and videos and thumbnails are linked by paths relative to the report, so the folder can be copied or
 * served anywhere and nothing is fetched from the internet. Two streaming passes over the CSV (totals, then
 * cards), so its size does not depend on memory.
 */
public class HtmlReportWriter {

    /** What the CSV does not say: where the run came from, when it started, what a second of video costs. */
    public record RunFacts(String input, Instant started, Map<String, BigDecimal> pricesPerSecond) {
    }

    static final List<String> STATUSES = List.of("SUCCEEDED", "FAILED", "SKIPPED", ReportWriter.PENDING);

    /** report.csv → report.html; any other name gets .html added. */
    public static Path besideCsv(Path csvReport) {
        String name = csvReport.getFileName().toString();
        String base = name.toLowerCase(Locale.ROOT).endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
        return csvReport.resolveSibling(base + ".html");
    }

    public void write(Path csvReport, Path htmlReport, RunFacts facts) throws IOException {
        Totals totals = new Totals();
        forEachRow(csvReport, totals::add);
        Path base = htmlReport.toAbsolutePath().getParent();
        AtomicFiles.write(htmlReport, out -> {
            Writer html = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            head(html, facts, totals);
            try {
                forEachRow(csvReport, row -> {
                    try {
                        card(html, row, base);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            }
            html.write(FOOT);
            html.flush();
        });
    }

    private static void forEachRow(Path csv, Consumer<Map<String, String>> action) throws IOException {
        try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
                CSVReader lines = new CSVReaderBuilder(reader).withCSVParser(new RFC4180ParserBuilder().build())
                        .build()) {
            String[] header = lines.readNext();
            String[] line;
            while ((line = lines.readNext()) != null) {
                Map<String, String> row = new HashMap<>();
                for (int i = 0; i < header.length && i < line.length; i++) {
                    row.put(header[i], line[i]);
                }
                action.accept(row);
            }
        } catch (CsvValidationException e) {
            throw new IOException("cannot read the report " + csv + " back: " + e.getMessage(), e);
        }
    }

    /** Counts per status, seconds of video delivered and their estimated cost. */
    private static final class Totals {
        final Map<String, Integer> byStatus = new LinkedHashMap<>();
        final Map<String, Long> secondsBySize = new TreeMap<>();
        long rows;
        long secondsOfVideo;

        Totals() {
            STATUSES.forEach(s -> byStatus.put(s, 0));
        }

        void add(Map<String, String> row) {
            rows++;
            String status = row.getOrDefault("status", "");
            byStatus.merge(status, 1, Integer::sum);
            if ("SUCCEEDED".equals(status)) {
                long seconds = number(row.get("n_seconds")) * Math.max(1, number(row.get("n_variants")));
                secondsOfVideo += seconds;
                secondsBySize.merge(row.get("width") + "x" + row.get("height"), seconds, Long::sum);
            }
        }

        String cost(Map<String, BigDecimal> prices) {
            BigDecimal cost = BigDecimal.ZERO;
            List<String> unpriced = new java.util.ArrayList<>();
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

        private static long number(String s) {
            try {
                return s == null || s.isBlank() ? 0 : Long.parseLong(s.strip());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
    }

    private static void head(Writer html, RunFacts facts, Totals totals) throws IOException {
        String wall = facts.started() == null ? "" : dev.sorabatch.sora.Diagnoses.human(
                Duration.between(facts.started(), Instant.now()));
        html.write("<!DOCTYPE html>\n<html lang=\"" + Messages.locale().getLanguage() + "\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>" + esc(Messages.get("html.title")) + ": " + esc(facts.input()) + "</title>\n<style>" + STYLE + "</style>\n"
                + "</head>\n<body>\n<header>\n<h1>" + esc(Messages.get("html.title")) + "</h1>\n<p class=\"input\">" + esc(facts.input())
                + " · " + esc(Messages.get("html.written")) + " " + esc(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())
                + "</p>\n<dl class=\"summary\">\n");
        summaryItem(html, Messages.get("html.rows"), Long.toString(totals.rows));
        for (Map.Entry<String, Integer> status : totals.byStatus.entrySet()) {
            summaryItem(html, statusName(status.getKey()), Integer.toString(status.getValue()));
        }
        summaryItem(html, Messages.get("html.seconds-of-video"), Long.toString(totals.secondsOfVideo));
        summaryItem(html, Messages.get("html.wall-time"), wall);
        summaryItem(html, Messages.get("html.estimated-cost"), totals.cost(facts.pricesPerSecond()));
        html.write("</dl>\n<nav class=\"filters\" aria-label=\"" + esc(Messages.get("html.filter")) + "\">\n"
                + "<button type=\"button\" data-filter=\"ALL\" aria-pressed=\"true\">" + esc(Messages.get("html.all")) + " (" + totals.rows
                + ")</button>\n");
        for (Map.Entry<String, Integer> status : totals.byStatus.entrySet()) {
            if (status.getValue() > 0) {
                html.write("<button type=\"button\" data-filter=\"" + esc(status.getKey()) + "\" aria-pressed=\"false\">"
                        + esc(statusName(status.getKey())) + " (" + status.getValue() + ")</button>\n");
            }
        }
        html.write("</nav>\n</header>\n<main>\n");
    }

    /** A status as people read it; the badge keeps the report's own value (SUCCEEDED, ...). */
    private static String statusName(String status) {
        String plain = status.toLowerCase(Locale.ROOT);
        return Messages.getOrDefault("html.status." + plain, plain);
    }

    private static void summaryItem(Writer html, String name, String value) throws IOException {
        html.write("<div><dt>" + esc(name) + "</dt><dd>" + esc(value) + "</dd></div>\n");
    }

    private static void card(Writer html, Map<String, String> row, Path base) throws IOException {
        String status = row.getOrDefault("status", "");
        String id = row.getOrDefault("id", "");
        html.write("<article class=\"card\" data-status=\"" + esc(status) + "\" id=\"row-" + esc(row.get("row"))
                + "\">\n<h2><span class=\"row\">" + esc(Messages.get("html.row", row.get("row"))) + "</span>"
                + (id.isEmpty() ? "" : " <span class=\"id\">" + esc(id) + "</span>") + " <span class=\"badge "
                + esc(status.toLowerCase(Locale.ROOT)) + "\">" + esc(status) + "</span></h2>\n");
        html.write("<p class=\"prompt\">" + esc(row.get("prompt")) + "</p>\n");
        String[] videos = files(row.get("video_files"));
        String[] thumbnails = files(row.get("thumbnail_files"));
        for (int i = 0; i < videos.length; i++) {
            String video = href(base, videos[i]);
            String poster = i < thumbnails.length ? href(base, thumbnails[i]) : null;
            html.write("<figure>\n<video controls preload=\"none\" src=\"" + video + "\""
                    + (poster == null ? "" : " poster=\"" + poster + "\"") + "></video>\n<figcaption>");
            if (poster != null) {
                html.write("<img class=\"thumbnail\" src=\"" + poster + "\" alt=\""
                        + esc(videos.length > 1 ? Messages.get("html.thumbnail-variant", row.get("row"), i + 1)
                                : Messages.get("html.thumbnail", row.get("row"))) + "\">");
            }
            html.write("<a href=\"" + video + "\">" + esc(Path.of(videos[i]).getFileName().toString()) + "</a>"
                    + (poster == null ? "" : " · <a href=\"" + poster + "\">"
                            + esc(Path.of(thumbnails[i]).getFileName().toString()) + "</a>")
                    + "</figcaption>\n</figure>\n");
        }
        if (!row.getOrDefault("image_url", "").isEmpty()) {
            html.write("<p class=\"image-url\">" + esc(Messages.get("html.image", row.get("image_url"))) + "</p>\n");
        }
        if (!row.getOrDefault("diagnosis", "").isEmpty()) {
            html.write("<p class=\"diagnosis\">" + esc(row.get("diagnosis")) + "</p>\n");
        }
        html.write("<dl class=\"facts\">\n");
        fact(html, Messages.get("html.fact.size"), join(row.get("width"), "x", row.get("height")));
        fact(html, Messages.get("html.fact.seconds"), row.get("n_seconds"));
        fact(html, Messages.get("html.fact.variants"), row.get("n_variants"));
        fact(html, Messages.get("html.fact.job"), row.get("job_id"));
        fact(html, Messages.get("html.fact.http"), row.get("http_status"));
        fact(html, Messages.get("html.fact.error"), join(row.get("error_code"), ": ", row.get("error_message")));
        fact(html, Messages.get("html.fact.attempts"), row.get("attempts"));
        fact(html, Messages.get("html.fact.submitted"), row.get("submitted_at"));
        fact(html, Messages.get("html.fact.finished"), row.get("finished_at"));
        fact(html, Messages.get("html.fact.took"), row.getOrDefault("duration_s", "").isEmpty() ? "" : Messages.get("html.seconds-value", row.get("duration_s")));
        fact(html, Messages.get("html.fact.request-id"), row.get("apim_request_id"));
        html.write("</dl>\n</article>\n");
    }

    private static void fact(Writer html, String name, String value) throws IOException {
        if (value != null && !value.isEmpty()) {
            html.write("<div><dt>" + esc(name) + "</dt><dd>" + esc(value) + "</dd></div>\n");
        }
    }

    private static String join(String a, String separator, String b) {
        if (a == null || a.isEmpty()) {
            return b == null ? "" : b;
        }
        return b == null || b.isEmpty() ? a : a + separator + b;
    }

    private static String[] files(String list) {
        return list == null || list.isBlank() ? new String[0] : list.split(";");
    }

    /** A file of the report as a link relative to the report, every path segment percent-encoded. */
    static String href(Path base, String file) {
        Path target = Path.of(file).toAbsolutePath().normalize();
        String relative = base.relativize(target).toString().replace('\\', '/');
        try {
            return esc(new URI(null, null, relative, null).getRawPath());
        } catch (URISyntaxException e) {
            return esc(relative);
        }
    }

    /** Text and attribute values: the five characters that could end an element or an attribute. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static final String STYLE = """
            :root{--ok:#1a7f37;--fail:#cf222e;--skip:#9a6700;--pending:#57606a;font-family:system-ui,sans-serif;
            color:#1f2328;background:#f6f8fa}
            body{margin:0;padding:1.5rem}
            header{margin-bottom:1rem}
            h1{margin:0 0 .25rem;font-size:1.5rem}
            .input{margin:0 0 1rem;color:#57606a}
            .summary{display:flex;flex-wrap:wrap;gap:.75rem;margin:0 0 1rem}
            .summary div{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:.5rem .75rem}
            .summary dt{font-size:.75rem;color:#57606a}
            .summary dd{margin:0;font-size:1.25rem;font-weight:600}
            .filters button{font:inherit;padding:.3rem .7rem;border:1px solid #d0d7de;border-radius:2rem;background:#fff;
            cursor:pointer}
            .filters button[aria-pressed=true]{background:#1f2328;color:#fff}
            main{display:grid;align-items:start;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:1rem}
            .card{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:1rem;overflow-wrap:anywhere}
            .card[hidden]{display:none}
            .card h2{font-size:1rem;margin:0 0 .5rem;display:flex;gap:.5rem;align-items:center}
            .id{color:#57606a;font-weight:400}
            .badge{margin-left:auto;font-size:.7rem;padding:.15rem .5rem;border-radius:1rem;color:#fff}
            .succeeded{background:var(--ok)}.failed{background:var(--fail)}.skipped{background:var(--skip)}
            .pending{background:var(--pending)}
            figure{margin:0 0 .5rem}
            .thumbnail{width:48px;height:48px;object-fit:cover;border-radius:3px;vertical-align:middle;margin-right:.5rem}
            video{width:100%;border-radius:4px;background:#000}
            figcaption{font-size:.75rem}
            .prompt{white-space:pre-wrap;margin:.5rem 0}
            .image-url{font-size:.8rem;color:#57606a}
            .diagnosis{background:#fff8c5;border-left:3px solid var(--skip);padding:.5rem;font-size:.9rem}
            [data-status=FAILED] .diagnosis{background:#ffebe9;border-color:var(--fail)}
            .facts{display:grid;grid-template-columns:auto 1fr;gap:.1rem .75rem;font-size:.8rem;margin:0}
            .facts div{display:contents}.facts dt{color:#57606a}.facts dd{margin:0}
            """;

    private static final String FOOT = """
            </main>
            <script>
            // Filter the cards by status; without script every card stays visible.
            document.querySelectorAll('.filters button').forEach(function (button) {
              button.addEventListener('click', function () {
                var wanted = button.dataset.filter;
                document.querySelectorAll('.filters button').forEach(function (b) {
                  b.setAttribute('aria-pressed', String(b === button));
                });
                document.querySelectorAll('.card').forEach(function (card) {
                  card.hidden = wanted !== 'ALL' && card.dataset.status !== wanted;
                });
              });
            });
            </script>
            </body>
            </html>
            """;
}
