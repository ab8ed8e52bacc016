package dev.sorabatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.sorabatch.cli.SoraSimulator;

/**
 * The HTML report as a person sees it: a real run's {@code report.html} opened from disk in headless Chromium
 * (Debian's {@code chromium} and {@code chromium-driver}; {@code .ci/run} installs them). Every row has its card,
 * every thumbnail loads, the video plays its metadata, the status filter works, and hostile text stays text. A
 * screenshot is saved as {@code target/report-screenshot.png}.
 */
class HtmlReportBrowserTests {

    @TempDir
    Path dir;

    @TempDir
    Path downloads;

    private SoraSimulator simulator;
    private ChromeDriver browser;

    @AfterEach
    void tearDown() {
        if (browser != null) {
            browser.quit();
        }
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void everyRowHasACardWithItsThumbnailAndTheFilterShowsOneStatus() throws Exception {
        browser = HeadlessChromium.start(dir.resolve("chromium-profile"), downloads);
        simulator = new SoraSimulator(BatchRun.fastSimulator(), "browser-test-key").start();
        BatchRun run = new BatchRun(dir).csv("""
                id,prompt,n_variants
                fox,"A fox in <b>snow</b> & ""quotes"" <script>document.title='owned'</script>",
                cats,Two cats on a piano,2
                refused,A scene [moderation],
                bad,A bad size,
                my clip #1,A file name that needs encoding,
                """.replace("A bad size,", "A bad size,9"));

        // the report in its own folder, the videos in a folder whose name needs percent-encoding in a link
        Path reports = dir.resolve("reports");
        int exit = run.against(simulator, "--sora.pricing.per-second.480x480=0.10",
                "--output=" + dir.resolve("videos #1 & co"), "--report=" + reports.resolve("nightly.csv"));

        assertThat(exit).isEqualTo(3);
        Path html = reports.resolve("nightly.html");
        assertThat(html).exists();
        List<Map<String, String>> report = BatchRun.report(reports.resolve("nightly.csv"));

        browser.get(html.toUri().toString());
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> "complete".equals(
                ((JavascriptExecutor) d).executeScript("return document.readyState")));

        assertThat(browser.getTitle()).startsWith("sora-batch report").doesNotContain("owned");
        List<WebElement> cards = browser.findElements(By.cssSelector("article.card"));
        assertThat(cards).hasSize(report.size());
        for (int i = 0; i < report.size(); i++) {
            assertThat(cards.get(i).getAttribute("data-status")).isEqualTo(report.get(i).get("status"));
        }
        assertThat(browser.findElement(By.cssSelector("#row-1 .prompt")).getText())
                .isEqualTo(report.get(0).get("prompt"));

        // every thumbnail the report lists is shown, decoded by the browser (one per video)
        long videos = report.stream().filter(r -> !r.get("video_files").isEmpty())
                .mapToLong(r -> r.get("video_files").split(";").length).sum();
        assertThat(videos).isEqualTo(4);
        List<WebElement> thumbnails = browser.findElements(By.cssSelector("img.thumbnail"));
        assertThat(thumbnails).hasSize((int) videos);
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> thumbnails.stream().allMatch(img -> Boolean.TRUE
                .equals(((JavascriptExecutor) d).executeScript("return arguments[0].complete", img))));
        for (WebElement img : thumbnails) {
            Number width = (Number) browser.executeScript("return arguments[0].naturalWidth", img);
            assertThat(width.intValue()).as("thumbnail %s decoded", img.getAttribute("src")).isPositive();
        }
        // links are relative to the report, percent-encoded, and reach the real file
        WebElement encodedVideo = browser.findElement(By.cssSelector("#row-5 video"));
        assertThat(browser.findElement(By.cssSelector("#row-5 figcaption a")).getDomAttribute("href"))
                .isEqualTo("../videos%20%231%20&%20co/my_clip_1.mp4");
        Object metadata = browser.executeAsyncScript("""
                var video = arguments[0], done = arguments[arguments.length - 1];
                video.onloadedmetadata = function () { done(video.duration); };
                video.onerror = function () { done('error ' + (video.error && video.error.code)); };
                video.preload = 'metadata'; video.load();""", encodedVideo);
        assertThat(metadata).as("the video's metadata loads (duration in s)").isInstanceOf(Number.class);

        // summary: counts and the cost of the videos delivered at the configured price
        String summary = browser.findElement(By.cssSelector(".summary")).getText();
        assertThat(summary).contains("succeeded\n3").contains("failed\n1").contains("skipped\n1")
                .contains("seconds of video\n20").contains("estimated cost\n2.00 USD");

        browser.findElement(By.cssSelector("button[data-filter=FAILED]")).click();
        List<WebElement> visible = browser.findElements(By.cssSelector("article.card")).stream()
                .filter(WebElement::isDisplayed).toList();
        assertThat(visible).hasSize(1);
        assertThat(visible.get(0).getText()).contains("refused").contains("moderation").contains("Rephrase");
        browser.findElement(By.cssSelector("button[data-filter=ALL]")).click();
        assertThat(browser.findElements(By.cssSelector("article.card")).stream().filter(WebElement::isDisplayed))
                .hasSize(report.size());

        Path screenshot = Path.of("target", "report-screenshot.png");
        Files.createDirectories(screenshot.getParent());
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), screenshot, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(screenshot)).isPositive();
    }

    // A made-up report of 250 rows (no job run): 25 failed (every row ending in 3), 10 skipped (every 25th),
    // durations 0 to 49 s, row 7 the longest video (the highest cost), row 2 hostile text, row 3 a prompt with a
    // comma, quotes and a line break.
    private static final String HOSTILE = "</script><script>window.pwned=1</script>\"><img src=x onerror=\"window.pwned=2\">";
    private static final String JOB_ID = "task_01jq8m3x4v2k9r7t_retry-2026-12-02-nightly_batch-0003-variant-1";

    private static List<Map<String, String>> madeUpReport(Path videos) {
        List<Map<String, String>> rows = new java.util.ArrayList<>();
        for (int i = 1; i <= 250; i++) {
            String status = i % 10 == 3 ? "FAILED" : i % 25 == 0 ? "SKIPPED" : "SUCCEEDED";
            Map<String, String> row = new java.util.HashMap<>(Map.of("row", Integer.toString(i),
                    "id", String.format("clip-%03d", i), "prompt", "a calm lake at dawn, shot " + i, "status", status,
                    "width", "480", "height", "480", "n_seconds", i == 7 ? "20" : "5", "n_variants", "1",
                    "duration_s", (i % 50) + ".0", "job_id", i == 3 ? JOB_ID : "task_01jq" + i));
            row.put("finished_at", "2026-12-02T01:00:00Z");
            if (status.equals("SUCCEEDED")) {
                row.put("video_files", videos.resolve("clip-" + i + ".mp4").toString());
                row.put("cost", i == 7 ? "2.00 USD" : "0.50 USD");
            }
            if (status.equals("FAILED")) {
                row.putAll(Map.of("error_code", "content_filter", "error_message", "The prompt was flagged",
                        "diagnosis", "Content refused (content_filter): The prompt was flagged. Rephrase it."));
            }
            rows.add(row);
        }
        rows.get(1).putAll(Map.of("prompt", HOSTILE, "id", "x\"><b>id</b>"));
        rows.get(2).putAll(Map.of("prompt", "A fox, \"quoted\"\nsecond line", "image_url", "https://example.com/fox.png",
                "width", "854", "n_variants", "2"));
        return rows;
    }

    private List<Map<String, String>> openMadeUpReport() throws Exception {
        List<Map<String, String>> rows = madeUpReport(dir.resolve("out"));
        Path csv = dir.resolve("out/nightly.csv");
        dev.sorabatch.report.ReportCsvFixture.write(csv, rows);
        new dev.sorabatch.report.HtmlReportWriter().write(csv, dir.resolve("out/nightly.html"),
                new dev.sorabatch.report.HtmlReportWriter.RunFacts("nightly.csv", null, List.of()));
        browser = HeadlessChromium.start(dir.resolve("chromium-profile"), downloads);
        // the viewer is in Tokyo (UTC+9): times are shown there
        browser.executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", "Asia/Tokyo"));
        browser.get(dir.resolve("out/nightly.html").toUri().toString());
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> browser.executeScript(
                "return window.soraReportReady") != null);
        return rows;
    }

    private List<String> shownRows() {
        return browser.findElements(By.cssSelector("article.card")).stream().map(c -> c.getAttribute("id")).toList();
    }

    private void search(String text) {
        WebElement box = browser.findElement(By.id("search"));
        // as a person does it (clear() sends no input event)
        box.sendKeys(org.openqa.selenium.Keys.chord(org.openqa.selenium.Keys.CONTROL, "a"),
                org.openqa.selenium.Keys.BACK_SPACE);
        box.sendKeys(text);
    }

    private void sortBy(String key) {
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("sort"))).selectByValue(key);
    }

    @Test
    void aLargeReportShowsItsFirstHundredCardsAndTheRestOnDemand() throws Exception {
        openMadeUpReport();

        assertThat(shownRows()).hasSize(100).startsWith("row-1", "row-2").endsWith("row-100");
        assertThat(browser.findElement(By.id("showing")).getText()).isEqualTo("showing 100 of 250 rows");
        // no video loads anything before it is played, no poster before it is near the screen
        assertThat(browser.findElements(By.cssSelector("video:not([preload=none])"))).isEmpty();
        // scrolling near the end shows the next hundred; the button shows the rest
        WebElement more = browser.findElement(By.id("more"));
        browser.executeScript("arguments[0].scrollIntoView()", more);
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> shownRows().size() == 200);
        assertThat(shownRows()).endsWith("row-200");
        browser.executeScript("arguments[0].click()", more);
        assertThat(shownRows()).hasSize(250).endsWith("row-250");
        assertThat(more.isDisplayed()).isFalse();
    }

    @Test
    void hostileTextInTheRowsStaysText() throws Exception {
        openMadeUpReport();

        assertThat(browser.executeScript("return window.pwned")).isNull();
        assertThat(browser.findElements(By.cssSelector("main img[src=x], main b, main script"))).isEmpty();
        assertThat(browser.findElement(By.cssSelector("#row-2 .prompt")).getText()).isEqualTo(HOSTILE);
        assertThat(browser.findElement(By.cssSelector("#row-2 .id")).getText()).isEqualTo("x\"><b>id</b>");
    }

    @Test
    void theSearchFindsPromptsAndIdsBeyondTheFirstPageAndCombinesWithTheFilter() throws Exception {
        List<Map<String, String>> rows = openMadeUpReport();

        search("shot 237");
        assertThat(shownRows()).containsExactly("row-237");
        search("CLIP-12");
        assertThat(shownRows()).as("ids are clip-001...").containsExactly("row-120", "row-121", "row-122", "row-123", "row-124",
                "row-125", "row-126", "row-127", "row-128", "row-129");
        search("retry-2026");
        assertThat(shownRows()).as("a job id").containsExactly("row-3");
        search("no such prompt");
        assertThat(shownRows()).isEmpty();
        assertThat(browser.findElement(By.id("no-match")).isDisplayed()).isTrue();

        search("shot 1");
        browser.findElement(By.cssSelector("button[data-filter=FAILED]")).click();
        assertThat(shownRows()).isEqualTo(rows.stream().filter(r -> r.get("status").equals("FAILED")
                && r.get("prompt").contains("shot 1")).map(r -> "row-" + r.get("row")).toList()).hasSize(11);
        search("");
        assertThat(shownRows()).hasSize(25);
        assertThat(browser.findElements(By.cssSelector("article.card:not([data-status=FAILED])"))).isEmpty();
    }

    @Test
    void theSortOrdersByStatusDurationAndCostAndBackByRow() throws Exception {
        openMadeUpReport();

        sortBy("duration");
        List<Double> durations = browser.findElements(By.cssSelector("article.card")).stream().map(c -> Double
                .valueOf(c.findElement(By.cssSelector("[data-fact=took] dd")).getText().replace(" s", ""))).toList();
        assertThat(durations).hasSize(100).startsWith(49.0).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        sortBy("cost");
        assertThat(shownRows()).startsWith("row-7", "row-1", "row-2", "row-4");
        assertThat(browser.findElement(By.cssSelector("#row-7 [data-fact=cost] dd")).getText()).isEqualTo("2.00 USD");
        assertThat(browser.findElement(By.cssSelector("#row-1 [data-fact=cost] dd")).getText()).isEqualTo("0.50 USD");
        sortBy("status");
        assertThat(browser.findElements(By.cssSelector("article.card")).subList(0, 25))
                .allMatch(c -> "FAILED".equals(c.getAttribute("data-status")));
        assertThat(browser.findElements(By.cssSelector("article.card")).get(25).getAttribute("data-status"))
                .isEqualTo("SKIPPED");
        sortBy("row");
        assertThat(shownRows()).startsWith("row-1", "row-2", "row-3");
    }

    @Test
    void theFailedRowsDownloadAsACsvWithTheInputColumns() throws Exception {
        List<Map<String, String>> rows = openMadeUpReport();

        browser.findElement(By.id("download-failed")).click();
        Path csv = downloads.resolve("nightly-failed.csv");
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> Files.exists(csv));
        List<Map<String, String>> failed = BatchRun.report(csv);
        assertThat(Files.readAllLines(csv).get(0)).isEqualTo("id,prompt,image_url,width,height,n_seconds,n_variants");
        assertThat(failed).hasSize(25);
        for (int i = 0; i < failed.size(); i++) {
            Map<String, String> source = rows.stream().filter(r -> r.get("status").equals("FAILED")).toList().get(i);
            for (String column : List.of("id", "prompt", "image_url", "width", "height", "n_seconds", "n_variants")) {
                assertThat(failed.get(i).get(column)).as(column).isEqualTo(source.getOrDefault(column, ""));
            }
        }
        assertThat(failed.get(0).get("prompt")).isEqualTo("A fox, \"quoted\"\nsecond line");
    }

    @Test
    void aCardShowsTheDiagnosisOnceIdsBreakOnlyAtSeparatorsAndTimesAreLocal() throws Exception {
        openMadeUpReport();
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(400, 1000));

        WebElement card = browser.findElement(By.id("row-3"));
        assertThat(card.getText().split("The prompt was flagged", -1)).as("the message once").hasSize(2);
        assertThat(card.findElement(By.cssSelector("[data-fact=error] dd")).getText()).isEqualTo("content_filter");
        // the job id wraps, but only where a wbr is: no text node of it spans two lines
        WebElement job = card.findElement(By.cssSelector("[data-fact=job] dd"));
        assertThat(job.getText()).isEqualTo(JOB_ID);
        assertThat((Boolean) browser.executeScript("""
                var range = document.createRange(), lines = new Set(), whole = true;
                arguments[0].childNodes.forEach(function (node) {
                  if (node.nodeType !== 3) return;
                  range.selectNodeContents(node);
                  var rects = range.getClientRects();
                  whole = whole && rects.length === 1;
                  lines.add(Math.round(rects[0].top));
                });
                return whole && lines.size > 1;""", job)).as("wrapped, never inside a token").isTrue();
        WebElement finished = card.findElement(By.cssSelector("[data-fact=finished] time"));
        assertThat(finished.getAttribute("datetime")).isEqualTo("2026-12-02T01:00:00Z");
        assertThat(finished.getAttribute("title")).isEqualTo("2026-12-02 01:00:00 UTC");
        assertThat(finished.getText()).contains("10:00:00");
    }
}
