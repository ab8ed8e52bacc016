package dev.sorabatch.provider.vertex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sorabatch.csv.CsvRow;
import dev.sorabatch.csv.InvalidRowException;
import dev.sorabatch.csv.RowDefaults;
import dev.sorabatch.csv.RowValidator;
import dev.sorabatch.csv.VideoRequest;

/** What Veo on Vertex takes of a row, refused before anything is sent. */
class VertexRowRulesTest {

    private final RowValidator fast = validator(VertexVeoClient.DEFAULT_MODEL);

    private static RowValidator validator(String model) {
        return new RowValidator(new RowDefaults(0, 0, 0, 1, 32_000, new VertexRowRules(model)));
    }

    @Test
    void veoTakesFourSixOrEightSecondsAndCountsEightWhenTheRowSaysNone() {
        assertInvalid(fast, row("prompt", "p", "seconds", "5"), "seconds", "'5'", "4, 6, 8");
        assertThat(fast.process(row("prompt", "p", "n_seconds", "4")).nSeconds()).isEqualTo(4);
        VideoRequest unset = fast.process(row("prompt", "p"));
        assertThat(unset.nSeconds()).isEqualTo(8);
        assertThat(unset.inputs().defaultDuration()).isTrue();
    }

    @Test
    void aspectRatiosResolutionsAnd4kOnlyOffLite() {
        assertInvalid(fast, row("prompt", "p", "aspect_ratio", "1:1"), "aspect_ratio", "'1:1'", "16:9, 9:16");
        assertThat(fast.process(row("prompt", "p", "aspect_ratio", "9:16", "resolution", "1080p")).inputs()
                .resolution()).isEqualTo("1080p");
        assertThat(fast.process(row("prompt", "p", "resolution", "4k")).inputs().resolution()).isEqualTo("4k");
        assertInvalid(validator("veo-3.1-lite-generate-001"), row("prompt", "p", "resolution", "4k"), "resolution",
                "720p, 1080p");
        assertInvalid(fast, row("prompt", "p", "resolution", "480p"), "resolution", "'480p'");
    }

    @Test
    void oneToFourSamplesASeedWithinUint32AndNoSizesInPixels() {
        assertThat(fast.process(row("prompt", "p", "n_variants", "4")).nVariants()).isEqualTo(4);
        assertInvalid(fast, row("prompt", "p", "n_variants", "5"), "n_variants", "1 to 4");
        assertInvalid(fast, row("prompt", "p", "seed", "4294967296"), "seed", "4294967295");
        assertInvalid(fast, row("prompt", "p", "size", "1280x720"), "size", "aspect_ratio", "resolution");
        assertInvalid(fast, row("prompt", "p", "width", "1280", "height", "720"), "width", "aspect_ratio");
    }

    @Test
    void aModelNotKnownHereGetsOnlyTheSanityChecks() {
        RowValidator other = validator("gemini-omni-1.2-flash");
        assertThat(other.process(row("prompt", "p", "seconds", "5", "resolution", "480p")).nSeconds()).isEqualTo(5);
    }

    @Test
    void aModelPathSuchAsAFalIdIsRefusedBeforeItIsSent() {
        assertInvalid(fast, row("prompt", "p", "model", "fal-ai/veo3.1"), "model", "'fal-ai/veo3.1'",
                "veo-3.1-generate-001");
        assertThat(fast.process(row("prompt", "p", "model", "veo-3.1-generate-001")).model())
                .isEqualTo("veo-3.1-generate-001");
    }

    private static void assertInvalid(RowValidator validator, CsvRow row, String column, String... said) {
        assertThatThrownBy(() -> validator.process(row)).isInstanceOfSatisfying(InvalidRowException.class, e -> {
            assertThat(e.column()).isEqualTo(column);
            assertThat(e.getMessage()).contains(said);
        });
    }

    private static CsvRow row(String... pairs) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        return new CsvRow(2, 3, values);
    }
}
