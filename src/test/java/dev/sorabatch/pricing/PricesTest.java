package dev.sorabatch.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sorabatch.csv.VideoRequest;

/** A row's price for each provider: the table's, the documented defaults, the overrides, and what is unknown. */
class PricesTest {

    private static final String VEO = "fal-ai/veo3.1";
    private static final String KLING = "fal-ai/kling-video/v2.1/standard/image-to-video";
    private static final String WAN = "fal-ai/wan-25-preview/text-to-video";

    private final Prices table = new Prices(PriceTable.builtIn(), Map.of(), Map.of());

    @Test
    void falVeoIsPricedByResolutionAndAudioWhichIsOnUnlessTheRowTurnsItOff() {
        RowCost byDefault = fal(table, VEO, null, 8, 1, null);
        assertThat(byDefault.text()).isEqualTo("3.20 USD");
        assertThat(byDefault.key()).isEqualTo(VEO + " 720p audio=on");
        RowCost silent = fal(table, VEO, "1080p", 8, 1, false);
        assertThat(silent.text()).isEqualTo("1.60 USD");
        assertThat(silent.key()).isEqualTo(VEO + " 1080p audio=off");
        assertThat(fal(table, VEO, "4k", 8, 2, true).amount()).isEqualByComparingTo("9.60");
        assertThat(fal(table, VEO, "4k", 4, 1, false).amount()).isEqualByComparingTo("1.60");
    }

    @Test
    void aModelOrResolutionTheSourcesDoNotPriceIsUnknownAndNamedByItsModel() {
        RowCost fast = fal(table, "fal-ai/veo3.1/fast", null, 8, 1, null);
        RowCost lowRes = fal(table, VEO, "480p", 8, 1, null);

        assertThat(fast.known()).isFalse();
        assertThat(fast.text()).isEqualTo("unknown");
        assertThat(fast.key()).isEqualTo("fal-ai/veo3.1/fast");
        assertThat(fast.bySize()).isFalse();
        assertThat(lowRes.known()).isFalse();
        assertThat(lowRes.key()).isEqualTo(VEO + " 480p audio=on");
        assertThat(fal(table, WAN, null, 5, 1, null).known()).as("wan's default resolution is undocumented")
                .isFalse();
    }

    @Test
    void falKlingIsABasePriceForFiveSecondsAndAPricePerSecondAfter() {
        assertThat(fal(table, KLING, null, 5, 1, null).amount()).isEqualByComparingTo("0.28");
        assertThat(fal(table, KLING, null, 10, 1, null).amount()).isEqualByComparingTo("0.56");
        assertThat(fal(table, KLING, null, 10, 2, null).text()).isEqualTo("1.12 USD");
    }

    @Test
    void falWanIsPricedPerResolution() {
        assertThat(fal(table, WAN, "480p", 5, 1, null).text()).isEqualTo("0.25 USD");
        assertThat(fal(table, WAN, "720P", 10, 1, null).text()).isEqualTo("1.00 USD");
        assertThat(fal(table, WAN, "1080p", 10, 1, null).text()).isEqualTo("1.50 USD");
    }

    @Test
    void googleVeoHasTheThirdPartyFiguresAndFastAtFourKIsUnknown() {
        assertThat(table.cost(query("vertex-veo", "veo-3.1-generate-001", null, 8, null)).text()).isEqualTo("3.20 USD");
        assertThat(table.cost(query("vertex-veo", "veo-3.1-fast-generate-001", "1080p", 8, null)).text())
                .isEqualTo("1.20 USD");
        assertThat(table.cost(query("gemini-veo", "veo-3.1-generate-preview", "4k", 8, null)).text())
                .isEqualTo("4.80 USD");
        assertThat(table.cost(query("gemini-veo", "veo-3.1-fast-generate-preview", "4k", 8, null)).known()).isFalse();
        // the Gemini API's default resolution is not documented; 720p and 1080p cost the same, 4k only when asked
        assertThat(table.cost(query("gemini-veo", "veo-3.1-fast-generate-preview", null, 8, null)).text())
                .isEqualTo("1.20 USD");
    }

    @Test
    void soraIsInNoSourceSoItsRowsArePricedBySizeAsBeforeTheTable() {
        RowPrices azure = new RowPrices(new Prices(PriceTable.builtIn(), Map.of("480x480", new BigDecimal("0.05")),
                Map.of()), "azure-sora", "sora");

        assertThat(azure.cost(row(480, 480, 5, 2, null))).isEqualTo(new RowCost(new BigDecimal("0.50"), "480x480",
                "sora", Rate.perSecond(new BigDecimal("0.05"))));
        RowCost unpriced = azure.cost(row(1280, 720, 5, 1, null));
        assertThat(unpriced.known()).isFalse();
        assertThat(unpriced.key()).isEqualTo("1280x720");
        assertThat(unpriced.bySize()).isTrue();
    }

    @Test
    void aPriceSetForAModelWinsOverTheTableAndTheSize() {
        Prices overridden = new Prices(PriceTable.builtIn(), Map.of("720x1280", new BigDecimal("0.10")),
                Map.of("Sora-2-Pro", new BigDecimal("0.30"), VEO, new BigDecimal("0.25")));
        RowPrices videos = new RowPrices(overridden, "openai-videos", "sora-2");

        assertThat(videos.cost(row(720, 1280, 4, 1, null)).text()).as("by size").isEqualTo("0.40 USD");
        RowCost pro = videos.cost(row(720, 1280, 4, 1, "sora-2-pro"));
        assertThat(pro.text()).as("the row's own model, in any case").isEqualTo("1.20 USD");
        assertThat(pro.key()).isEqualTo("sora-2-pro");
        assertThat(fal(overridden, VEO, "4k", 8, 1, true).text()).isEqualTo("2.00 USD");
    }

    @Test
    void theTablesPriceWinsOverAPriceSetForTheSizeAndTheSizeFillsWhatTheTableLacks() {
        Prices bySize = new Prices(PriceTable.builtIn(), Map.of("480x480", new BigDecimal("0.01")), Map.of());

        assertThat(fal(bySize, VEO, null, 8, 1, null).text()).isEqualTo("3.20 USD");
        assertThat(fal(bySize, "fal-ai/veo3.1/fast", null, 8, 1, null).text()).isEqualTo("0.08 USD");
    }

    @Test
    void amountsKeepTheirFractionsOfCentsAndReadBack() {
        assertThat(RowCost.text(new BigDecimal("0.004"))).isEqualTo("0.004 USD");
        assertThat(RowCost.text(new BigDecimal("0.800000"))).isEqualTo("0.80 USD");
        assertThat(RowCost.text(new BigDecimal("12"))).isEqualTo("12.00 USD");
        assertThat(RowCost.amountOf("0.125 USD")).isEqualByComparingTo("0.125");
        assertThat(RowCost.amountOf("unknown")).isNull();
    }

    private static RowCost fal(Prices prices, String model, String resolution, int seconds, int variants,
            Boolean audio) {
        return prices.cost(new PriceQuery("fal", model, 480, 480, resolution, seconds, variants, audio));
    }

    private static PriceQuery query(String provider, String model, String resolution, int seconds, Boolean audio) {
        return new PriceQuery(provider, model, null, null, resolution, seconds, 1, audio);
    }

    private static VideoRequest row(int width, int height, int seconds, int variants, String model) {
        return new VideoRequest(1, null, "p", null, width, height, seconds, variants, model);
    }
}
