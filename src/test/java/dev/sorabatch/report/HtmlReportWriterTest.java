package dev.sorabatch.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The HTML report as written, without a browser: what the page is given to build its cards from. */
class HtmlReportWriterTest {

    private static final String HOSTILE = "</script><script>alert(1)</script><!-- \"><img src=x onerror=alert(2)> & \u2028";

    @TempDir
    Path dir;

    @Test
    void aPromptThatClosesTheScriptElementStaysInsideTheRowsJson() throws Exception {
        String html = write(Map.of("row", "1", "prompt", HOSTILE, "status", "SKIPPED"));

        JsonNode rows = rowsJson(html);
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("prompt").asString()).isEqualTo(HOSTILE);
        assertThat(html).doesNotContain("alert(1)</script>").doesNotContain("<img src=x").doesNotContain("<!--");
    }

    @Test
    void theInputFileNameIsTextInTheTitleAndHeader() throws Exception {
        String html = write("in\"><img src=x onerror=alert(1)>.csv", Map.of("row", "1", "prompt", "p", "status", "SKIPPED"));

        // kept from the hand-written writer: a guard, not a new behaviour
        assertThat(html).contains("<title>sora-batch report: in&quot;&gt;&lt;img src").doesNotContain("<img src");
    }

    @Test
    void eachCardCarriesTheReportsCostAndTheSummaryAddsUpTheDeliveredRows() throws Exception {
        String html = write(Map.of("row", "1", "prompt", "p", "status", "SUCCEEDED", "n_seconds", "5",
                "n_variants", "2", "cost", "1.00 USD"), Map.of("row", "2", "prompt", "q", "status", "SUCCEEDED",
                "n_seconds", "5", "cost", "0.125 USD"), Map.of("row", "3", "prompt", "r", "status", "FAILED",
                "n_seconds", "5", "cost", "0.00 USD"), Map.of("row", "4", "prompt", "s", "status", "SKIPPED"));

        JsonNode rows = rowsJson(html);
        assertThat(rows.get(0).get("cost").asString()).isEqualTo("1.00 USD");
        assertThat(rows.get(1).get("cost").asString()).isEqualTo("0.125 USD");
        assertThat(rows.get(2).get("cost").asString()).as("a failed row was sent and costs nothing")
                .isEqualTo("0.00 USD");
        assertThat(rows.get(3).has("cost")).as("a row never sent has no cost").isFalse();
        assertThat(html).contains("1.125 USD");
    }

    @Test
    void theSummaryNamesWhatTheDeliveredRowsWithoutAPriceWerePricedBy() throws Exception {
        Path csv = dir.resolve("reports/report.csv");
        ReportCsvFixture.write(csv, List.of(Map.of("row", "1", "prompt", "p", "status", "SUCCEEDED", "n_seconds", "8",
                "cost", "3.20 USD"), Map.of("row", "2", "prompt", "q", "status", "SUCCEEDED", "n_seconds", "8",
                "cost", "unknown")));
        Path html = HtmlReportWriter.besideCsv(csv);

        new HtmlReportWriter().write(csv, html, new HtmlReportWriter.RunFacts("in.csv", Instant.now(),
                List.of("fal-ai/veo3.1/fast")));

        assertThat(Files.readString(html)).contains("3.20 USD (no price for fal-ai/veo3.1/fast)");
    }

    @Test
    void theErrorLeavesOutTheMessageTheDiagnosisAlreadyQuotes() throws Exception {
        String html = write(Map.of("row", "1", "prompt", "p", "status", "FAILED", "error_code", "content_filter",
                "error_message", "The prompt was flagged", "diagnosis",
                "Content refused (content_filter): The prompt was flagged. Rephrase: no real people."),
                Map.of("row", "2", "prompt", "q", "status", "FAILED", "error_code", "internal_error",
                        "error_message", "Boom", "diagnosis", "The service failed; submit the row again later."));

        JsonNode rows = rowsJson(html);
        assertThat(rows.get(0).get("error").asString()).isEqualTo("content_filter");
        assertThat(rows.get(1).get("error").asString()).isEqualTo("internal_error: Boom");
    }

    @Test
    void videosAreLinkedRelativeToTheReportAndPercentEncoded() throws Exception {
        Path video = dir.resolve("videos #1 & co/my clip.mp4");
        String html = write(Map.of("row", "1", "prompt", "p", "status", "SUCCEEDED", "video_files", video.toString(),
                "thumbnail_files", dir.resolve("videos #1 & co/my clip.jpg").toString()));

        JsonNode card = rowsJson(html).get(0).get("videos").get(0);
        assertThat(card.get("src").asString()).isEqualTo("../videos%20%231%20&%20co/my%20clip.mp4");
        assertThat(card.get("poster").asString()).isEqualTo("../videos%20%231%20&%20co/my%20clip.jpg");
        assertThat(card.get("name").asString()).isEqualTo("my clip.mp4");
    }

    @SafeVarargs
    private String write(Map<String, String>... rows) throws Exception {
        return write("prompts.csv", rows);
    }

    @SafeVarargs
    private String write(String input, Map<String, String>... rows) throws Exception {
        Path csv = dir.resolve("reports/report.csv");
        ReportCsvFixture.write(csv, List.of(rows));
        Path html = HtmlReportWriter.besideCsv(csv);
        new HtmlReportWriter().write(csv, html, new HtmlReportWriter.RunFacts(input, Instant.now(), List.of()));
        return Files.readString(html);
    }

    /** The rows' JSON block as the browser's HTML parser sees it: up to the first {@code </script>}. */
    private static JsonNode rowsJson(String html) {
        String start = "<script type=\"application/json\" id=\"rows\">";
        int from = html.indexOf(start) + start.length();
        assertThat(from).as("the rows' JSON block").isGreaterThanOrEqualTo(start.length());
        return JsonMapper.builder().build().readTree(html.substring(from, html.indexOf("</script>", from)));
    }
}
