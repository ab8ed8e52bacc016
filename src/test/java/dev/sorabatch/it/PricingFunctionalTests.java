package dev.sorabatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.sorabatch.cli.SoraSimulator;

/**
 * Prices as a user meets them (README, "Prices"): the report's {@code cost} column of a simulated run, the summary,
 * the dry run's estimate from the built-in table, and {@code --max-cost} refusing a model without a known price.
 */
@ExtendWith(OutputCaptureExtension.class)
class PricingFunctionalTests extends SimulatedServiceTest {

    private static final String FAL_ROWS = """
            prompt,model,n_seconds,image_url
            a fox,fal-ai/veo3.1,8,
            a cat,fal-ai/kling-video/v2.1/standard/image-to-video,10,https://images.example/cat.png
            a dog,fal-ai/veo3.1/fast,8,
            """;

    @Test
    void theReportEndsWithEachRowsCostAndTheSummarySaysWhatHadNoPrice(CapturedOutput output) throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), "key").start();
        BatchRun run = new BatchRun(dir).csv("""
                prompt,width,height,n_seconds,n_variants
                A quiet forest,480,480,5,1
                Two cats,480,480,5,2
                A scene [moderation],480,480,5,1
                A wide lake,854,480,5,1
                Too long,480,480,99,1
                """);

        int exit = run.against(simulator, "--sora.pricing.per-second.480x480=0.10");

        assertThat(exit).isEqualTo(3);
        String header = Files.readAllLines(run.output.resolve("report.csv")).get(0);
        assertThat(header).as("cost is appended after the columns scripts already read, then reused_from")
                .endsWith(",n_variants,apim_request_id,cost,reused_from");
        List<Map<String, String>> report = run.report();
        assertThat(report).extracting(r -> r.get("status") + " " + r.get("cost")).containsExactly(
                "SUCCEEDED 0.50 USD", "SUCCEEDED 1.00 USD", "FAILED 0.00 USD", "SUCCEEDED unknown", "SKIPPED ");
        assertThat(output.getOut()).contains("estimated cost 1.50 USD").contains("no known price for 854x480");
        String html = Files.readString(run.output.resolve("report.html"));
        assertThat(html).contains("\"cost\":\"1.00 USD\"").contains("1.50 USD (no price for 854x480)");
    }

    @Test
    void aCostBudgetStopsSubmittingAtTheRowThatWouldPassItAndTheSummarySaysWhatWasSpent(CapturedOutput output)
            throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), "key").start();
        BatchRun run = new BatchRun(dir).csv("prompt\none\ntwo\nthree\nfour\n");

        int exit = run.against(simulator, "--max-cost=1.20", "--sora.pricing.per-second.480x480=0.10",
                "--sora.max-in-flight=1");

        assertThat(exit).isEqualTo(3);
        assertThat(simulator.createdPrompts()).containsExactly("one", "two");
        assertThat(run.report()).extracting(r -> r.get("status") + " " + r.get("cost"))
                .containsExactly("SUCCEEDED 0.50 USD", "SUCCEEDED 0.50 USD", "SKIPPED ", "SKIPPED ");
        assertThat(run.report().get(2).get("error_message")).contains("--max-cost=1.20");
        assertThat(output.getOut()).contains("spent 10 s of video, cost 1.00 USD");
    }

    @Test
    void onTheVideosApiAPriceSetForAModelPricesItsRows() throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), "key").start();
        BatchRun run = new BatchRun(dir).csv("prompt,model\na plain one,\na pro one,sora-2-pro\n");

        int exit = run.against(simulator, "--sora.endpoint=" + simulator.videosBaseUrl(),
                "--sora.pricing.models.sora-2.per-second=0.10", "--sora.pricing.models.sora-2-pro.per-second=0.30");

        assertThat(exit).isZero();
        assertThat(run.report()).extracting(r -> r.get("cost")).containsExactly("0.40 USD", "1.20 USD");
    }

    @Test
    void theDryRunEstimatesFromThePriceTableAndNamesTheModelsWithoutAPrice(CapturedOutput output) throws Exception {
        BatchRun run = new BatchRun(dir).csv(FAL_ROWS);

        int exit = run.run("--dry-run", "--provider=fal", "--sora.endpoint=", "--sora.api-key=");

        assertThat(exit).isZero();
        assertThat(output.getOut())
                .contains("fal-ai/veo3.1 720p audio=on: 8 s of video × 0.40 = 3.20 USD")
                .contains("fal-ai/kling-video/v2.1/standard/image-to-video: 10 s of video at 0.28 for the first 5 s "
                        + "+ 0.056 per second after, per video = 0.56 USD")
                .contains("estimated cost: 3.76 USD for the rows with a known price")
                .contains("no known price for fal-ai/veo3.1/fast, so --max-cost cannot be enforced for these rows")
                .contains("nothing was sent");
    }

    @Test
    void aPriceSetForAModelOnTheCommandLineCompletesTheTable(CapturedOutput output) throws Exception {
        BatchRun run = new BatchRun(dir).csv(FAL_ROWS);

        int exit = run.run("--dry-run", "--provider=fal", "--sora.endpoint=", "--sora.api-key=",
                "--sora.pricing.models[fal-ai/veo3.1/fast].per-second=0.15");

        assertThat(exit).isZero();
        assertThat(output.getOut()).contains("fal-ai/veo3.1/fast: 8 s of video × 0.15 = 1.20 USD")
                .contains("estimated cost: 4.96 USD").doesNotContain("no known price");
    }

    @Test
    void aCostBudgetWithRowsOfAModelWithoutAPriceExits2NamingItBeforeAnythingIsSent(CapturedOutput output)
            throws Exception {
        BatchRun run = new BatchRun(dir).csv(FAL_ROWS);

        int exit = run.run("--provider=fal", "--max-cost=10", "--sora.endpoint=", "--sora.api-key=");

        assertThat(exit).isEqualTo(2);
        assertThat(output.getErr()).contains("rows of fal-ai/veo3.1/fast have no known price")
                .contains("--max-cost cannot be enforced for them")
                .contains("--sora.pricing.models[fal-ai/veo3.1/fast].per-second=")
                .doesNotContain("fal-ai/veo3.1 720p");
        assertThat(run.output.resolve("report.csv")).doesNotExist();
    }
}
