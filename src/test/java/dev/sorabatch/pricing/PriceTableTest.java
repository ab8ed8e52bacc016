package dev.sorabatch.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The price table shipped in the jar: it loads, and every figure says where it comes from and when. */
class PriceTableTest {

    private static final String DATE = "\\d{4}-\\d{2}(-\\d{2})?";

    @Test
    void theBuiltInTableLoadsInUsdAndEveryEntryNamesItsSourceAndDate() {
        PriceTable table = PriceTable.builtIn();

        assertThat(table.currency()).isEqualTo("USD");
        assertThat(table.asOf()).matches(DATE);
        assertThat(table.entries()).hasSizeGreaterThanOrEqualTo(13).allSatisfy(entry -> {
            assertThat(entry.provider()).isNotBlank();
            assertThat(entry.model()).isNotBlank();
            assertThat(entry.source()).as("source of %s", entry).isNotBlank();
            assertThat(entry.date()).as("date of %s", entry).matches(DATE);
            assertThat(entry.rate().perSecond()).isPositive();
        });
        assertThat(table.defaults()).isNotEmpty().allSatisfy(d -> {
            assertThat(d.source()).isNotBlank();
            assertThat(d.date()).matches(DATE);
        });
        assertThat(table.sizePriced()).extracting(PriceTable.SizePriced::provider)
                .containsExactlyInAnyOrder("azure-sora", "openai-videos");
        assertThat(table.sizePriced()).allSatisfy(p -> {
            assertThat(p.source()).isNotBlank();
            assertThat(p.date()).matches(DATE);
        });
    }

    @Test
    void aPriceNotInTheSourcesIsNotInTheTable() {
        PriceTable table = PriceTable.builtIn();

        assertThat(table.hasModel("fal", "fal-ai/veo3.1/fast")).isFalse();
        assertThat(table.hasModel("azure-sora", "sora")).isFalse();
        assertThat(table.hasModel("openai-videos", "sora-2")).isFalse();
        assertThat(table.hasModel("fal", "fal-ai/veo3.1")).isTrue();
    }

    @Test
    void anEntryWithoutItsSourceOrDateDoesNotLoad() {
        assertThatThrownBy(() -> load(tableWithOneEntry("date: 2026-12-01"))).hasMessageContaining(
                "price of m has no source");
        assertThatThrownBy(() -> load(tableWithOneEntry("source: somewhere"))).hasMessageContaining(
                "price of m has no date");
        assertThatThrownBy(() -> load("currency: EUR\nas-of: 2026-12-01\n")).hasMessageContaining("EUR is not USD");
    }

    /** A table of one price whose last line is {@code last} (its source or its date). */
    private static String tableWithOneEntry(String last) {
        return "currency: USD\nas-of: 2026-12-01\nprices:\n  - provider: fal\n    model: m\n    per-second: 0.1\n"
                + "    " + last + "\n";
    }

    private static PriceTable load(String yaml) {
        return PriceTable.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }
}
