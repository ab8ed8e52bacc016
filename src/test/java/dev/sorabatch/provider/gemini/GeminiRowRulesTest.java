package dev.sorabatch.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.sorabatch.csv.CsvRow;
import dev.sorabatch.csv.InvalidRowException;
import dev.sorabatch.csv.RowDefaults;
import dev.sorabatch.csv.RowValidator;
import dev.sorabatch.csv.VideoRequest;

/** What Veo on the Gemini API takes of a row, refused before anything is sent (and by --dry-run alike). */
class GeminiRowRulesTest {

    /** Rows as a run with no size or duration configured checks them, for rows that name no model: {@code model}. */
    private static RowValidator validator(String model) {
        return new RowValidator(new RowDefaults(0, 0, 0, 1, 32_000, new GeminiRowRules(model)));
    }

    private final RowValidator fast = validator(GeminiVeoClient.DEFAULT_MODEL);

    @Test
    void veo3TakesFourSixOrEightSecondsAndARowWithoutSecondsIsCountedAsTheModelsEight() {
        assertInvalid(fast, row("prompt", "p", "seconds", "5"), "seconds", "'5'", "4, 6, 8");
        assertThat(fast.process(row("prompt", "p", "n_seconds", "6")).nSeconds()).isEqualTo(6);
        VideoRequest unset = fast.process(row("prompt", "p"));
        assertThat(unset.nSeconds()).isEqualTo(8);
        assertThat(unset.inputs().defaultDuration()).isTrue();
    }

    @Test
    void shapesAndResolutionsAre16by9Or9by16And720p1080pOr4kOn31Only() {
        assertInvalid(fast, row("prompt", "p", "aspect_ratio", "1:1"), "aspect_ratio", "'1:1'", "16:9, 9:16");
        assertThat(fast.process(row("prompt", "p", "aspect_ratio", "9:16", "resolution", "4k")).inputs().resolution())
                .isEqualTo("4k");
        assertInvalid(fast, row("prompt", "p", "resolution", "480p"), "resolution", "'480p'", "720p, 1080p, 4k");
        assertInvalid(fast, row("prompt", "p", "model", "veo-3.0-generate-001", "resolution", "4k"), "resolution",
                "720p, 1080p");
        assertThat(fast.process(row("prompt", "p", "model", "models/veo-3.1-generate-preview", "resolution", "4k"))
                .model()).isEqualTo("models/veo-3.1-generate-preview");
    }

    @Test
    void oneToFourVideosNoSeedAndNoSizesInPixels() {
        assertThat(fast.process(row("prompt", "p", "n_variants", "4")).nVariants()).isEqualTo(4);
        assertInvalid(fast, row("prompt", "p", "n_variants", "5"), "n_variants", "1 to 4");
        assertInvalid(fast, row("prompt", "p", "seed", "42"), "seed", "takes no seed", "vertex-veo");
        assertInvalid(fast, row("prompt", "p", "size", "1280x720"), "size", "aspect_ratio", "resolution");
        assertInvalid(fast, row("prompt", "p", "width", "1280", "height", "720"), "width", "gemini-veo");
    }

    @Test
    void anotherModelGetsTheSanityChecksAloneAndParamColumnsPassAsGiven() {
        VideoRequest other = validator("fal-ai/veo3.1").process(row("prompt", "p", "seconds", "5", "resolution",
                "480p", "param.person_generation", "allow_all"));

        assertThat(other.nSeconds()).isEqualTo(5);
        assertThat(other.inputs().params()).containsEntry("person_generation", "allow_all");
        assertInvalid(validator("fal-ai/veo3.1"), row("prompt", "p", "seed", "1"), "seed", "takes no seed");
    }

    /** {@code row} is refused on {@code column}, its message saying all of {@code said}. */
    private static void assertInvalid(RowValidator validator, CsvRow row, String column, String... said) {
        InvalidRowException refused = catchThrowableOfType(InvalidRowException.class, () -> validator.process(row));
        assertThat(refused).as("refused").isNotNull();
        assertThat(refused.column()).isEqualTo(column);
        assertThat(refused.getMessage()).contains(said);
    }

    private static CsvRow row(String... columnsAndValues) {
        Map<String, String> cells = IntStream.range(0, columnsAndValues.length / 2).boxed().collect(
                Collectors.toMap(i -> columnsAndValues[2 * i], i -> columnsAndValues[2 * i + 1], (a, b) -> b,
                        LinkedHashMap::new));
        return new CsvRow(2, 3, cells);
    }
}
