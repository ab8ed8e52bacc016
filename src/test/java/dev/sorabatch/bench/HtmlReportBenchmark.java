package dev.sorabatch.bench;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeDriver;

import dev.sorabatch.it.HeadlessChromium;
import dev.sorabatch.report.HtmlReportWriter;
import dev.sorabatch.report.ReportCsvFixture;

/**
 * How long the HTML report of a large run takes to be ready in headless Chromium. A synthesised report CSV (no job
 * run: {@code bench.html-rows} rows, default 10,000; 90 % succeeded with a video and a thumbnail each, real files,
 * the rest failed or skipped) goes through {@link HtmlReportWriter}, and the page is opened from disk: it prints
 * the page's size, the time {@code driver.get} took (until the load event), and from the browser's navigation
 * start: first contentful paint, DOMContentLoaded, load, and the report's own "first cards rendered" marker
 * ({@code window.soraReportReady}, when the page sets one). Measures and prints; asserts nothing about speed.
 *
 * <p>Run: {@code mvn -Pbench verify -Dtest=HtmlReportBenchmark} (see docs/benchmarks.md).
 */
@Tag("bench")
class HtmlReportBenchmark {

    private final int rows = Integer.getInteger("bench.html-rows", 10_000);
    private final int runs = Integer.getInteger("bench.html-runs", 3);

    @Test
    void timeToTheFirstScreenOfALargeReport() throws Exception {
        Path dir = Files.createTempDirectory("sora-bench-html");
        Path csv = dir.resolve("out/report.csv");
        synthesise(csv, dir.resolve("out"));
        Path html = HtmlReportWriter.besideCsv(csv);
        long written = System.nanoTime();
        new HtmlReportWriter().write(csv, html, new HtmlReportWriter.RunFacts("nightly.csv",
                Instant.now().minusSeconds(3600), List.of()));
        double writeSeconds = (System.nanoTime() - written) / 1e9;
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%d rows, report.html %.1f MB, written in %.1f s", rows,
                Files.size(html) / 1e6, writeSeconds));
        for (int run = 1; run <= runs; run++) {
            ChromeDriver browser = HeadlessChromium.start(dir.resolve("profile-" + run), dir.resolve("downloads"));
            try {
                browser.manage().timeouts().pageLoadTimeout(Duration.ofMinutes(10));
                long start = System.nanoTime();
                browser.get(html.toUri().toString());
                double get = (System.nanoTime() - start) / 1e9;
                @SuppressWarnings("unchecked")
                Map<String, Object> t = (Map<String, Object>) browser.executeScript("""
                        var nav = performance.getEntriesByType('navigation')[0];
                        var fcp = performance.getEntriesByName('first-contentful-paint')[0];
                        return {fcp: fcp ? fcp.startTime : -1, dcl: nav.domContentLoadedEventEnd,
                          load: nav.loadEventEnd, ready: window.soraReportReady || -1,
                          cards: document.querySelectorAll('article.card').length};""");
                lines.add(String.format(Locale.ROOT, "run %d: driver.get %.2f s | first contentful paint %.2f s | "
                        + "DOMContentLoaded %.2f s | load %.2f s | first cards rendered %s | cards in the DOM %s",
                        run, get, ms(t.get("fcp")), ms(t.get("dcl")), ms(t.get("load")),
                        ms(t.get("ready")) < 0 ? "(no marker)" : String.format(Locale.ROOT, "%.2f s", ms(t.get("ready"))),
                        t.get("cards")));
                if (browser.executeScript("return document.getElementById('sort')") != null) {
                    lines.add("  " + browser.executeScript(INTERACTIONS));
                }
            } finally {
                browser.quit();
            }
        }
        lines.forEach(System.out::println);
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target/benchmark-html-report.txt"), lines);
    }

    /** Search, sort and filter as the page's own handlers run them (the time until the new cards are in the DOM). */
    private static final String INTERACTIONS = """
            function timed(action) { var t = performance.now(); action(); return (performance.now() - t).toFixed(0); }
            var search = document.getElementById('search'), sort = document.getElementById('sort');
            var s = timed(function () { search.value = 'shot 99'; search.dispatchEvent(new Event('input')); });
            var found = document.getElementById('showing').textContent;
            search.value = ''; search.dispatchEvent(new Event('input'));
            var o = timed(function () { sort.value = 'duration'; sort.dispatchEvent(new Event('change')); });
            var f = timed(function () { document.querySelector('button[data-filter=FAILED]').click(); });
            return 'search: ' + found + ', ' + s + ' ms | sort by duration ' + o + ' ms | filter failed '
                + f + ' ms';""";

    private static double ms(Object value) {
        return ((Number) value).doubleValue() / 1000;
    }

    /** A report CSV as a 10,000-row run writes it, with a real video and thumbnail file per succeeded row. */
    private void synthesise(Path csv, Path out) throws Exception {
        Files.createDirectories(out);
        Path video = out.resolve("sample.mp4");
        Path thumbnail = out.resolve("sample.jpg");
        copy("simulator/sample.mp4", video);
        copy("simulator/thumbnail.jpg", thumbnail);
        Instant t0 = Instant.parse("2026-12-02T01:00:00Z");
        List<Map<String, String>> lines = new ArrayList<>();
        for (int i = 1; i <= rows; i++) {
            String id = String.format(Locale.ROOT, "clip-%05d", i);
            String status = i % 10 == 3 ? "FAILED" : i % 33 == 0 ? "SKIPPED" : "SUCCEEDED";
            Map<String, String> row = new HashMap<>(Map.of("row", Integer.toString(i), "id", id, "status", status,
                    "prompt", "A slow dolly shot along a rainy Tokyo street at night, neon signs reflecting in "
                            + "puddles, umbrellas drifting past, shot " + i + " of the nightly batch",
                    "width", "480", "height", "480", "n_variants", "1", "n_seconds", "5", "attempts", "1", "cost", "0.50 USD"));
            Instant submitted = t0.plusSeconds(i * 3L);
            switch (status) {
                case "SUCCEEDED" -> {
                    // distinct file names (as a real run has), one inode
                    Files.createLink(out.resolve(id + ".mp4"), video);
                    Files.createLink(out.resolve(id + ".jpg"), thumbnail);
                    row.putAll(Map.of("video_files", out.resolve(id + ".mp4").toString(),
                            "thumbnail_files", out.resolve(id + ".jpg").toString(),
                            "generation_ids", "gen_01jq" + Integer.toString(i * 104729, 36),
                            "finished_at", submitted.plusSeconds(70 + i % 50).toString(),
                            "duration_s", (70 + i % 50) + ".0"));
                }
                case "FAILED" -> row.putAll(Map.of("http_status", "400", "error_code", "content_filter",
                        "error_message", "The prompt was flagged by the content filter", "diagnosis",
                        "Content refused (content_filter): The prompt was flagged by the content filter. Rephrase: "
                                + "no real people, brands, copyrighted characters, violence or sexual content."));
                default -> row.putAll(Map.of("n_seconds", "25", "attempts", "0",
                        "diagnosis", "row " + i + ", column n_seconds: '25' is not allowed. Use 1 to 20"));
            }
            if (!status.equals("SKIPPED")) {
                row.putAll(Map.of("job_id", "task_01jq" + Integer.toString(i * 7919, 36) + "xk2v9q",
                        "submitted_at", submitted.toString(), "apim_request_id",
                        "7d1c0e6a-" + String.format(Locale.ROOT, "%04x", i) + "-4b2e-9f3a-5c8d2e1f0a9b"));
            }
            lines.add(row);
        }
        ReportCsvFixture.write(csv, lines);
    }

    private static void copy(String resource, Path target) throws Exception {
        try (InputStream in = HtmlReportBenchmark.class.getClassLoader().getResourceAsStream(resource)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
