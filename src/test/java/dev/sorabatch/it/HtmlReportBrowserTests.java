package dev.sorabatch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
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
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.sorabatch.simulator.SoraSimulator;

/**
 * The HTML report as a person sees it: a real run's {@code report.html} opened from disk in headless Chromium
 * (Debian's {@code chromium} and {@code chromium-driver}; {@code .ci/run} installs them). Every row has its card,
 * every thumbnail loads, the video plays its metadata, the status filter works, and hostile text stays text. A
 * screenshot is saved as {@code target/report-screenshot.png}.
 */
class HtmlReportBrowserTests {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path dir;

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
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "headless Chromium is not installed (apt-get install chromium chromium-driver; .ci/run does): "
                        + "the HTML report browser test is skipped");
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

        browser = headlessChromium();
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
                .contains("seconds of video\n20").contains("estimated cost\n2.00");

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

    private ChromeDriver headlessChromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // no network beyond the page itself: this machine's closed network refuses Chromium's background calls
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1000", "--allow-file-access-from-files",
                "--user-data-dir=" + dir.resolve("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).build();
        return new ChromeDriver(service, options);
    }
}
