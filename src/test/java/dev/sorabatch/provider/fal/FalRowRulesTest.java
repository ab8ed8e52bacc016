package dev.sorabatch.provider.fal;

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

/** What each known fal model takes of a row, checked before anything is sent (the run and the dry run alike). */
class FalRowRulesTest {

    private static final String KLING = FalQueueClientTest.KLING;
    private static final String WAN = "fal-ai/wan-25-preview/text-to-video";

    /** fal's defaults as ServiceChoice gives them: no pixels, no seconds (the model's own), one video. */
    private final RowValidator veoFast = validator(FalQueueClient.DEFAULT_MODEL);

    private static RowValidator validator(String model) {
        return new RowValidator(new RowDefaults(0, 0, 0, 1, 32_000, new FalRowRules(model)));
    }

    @Test
    void veoTakesFourSixOrEightSecondsAndARowWithoutSecondsCountsItsDefaultOfEight() {
        assertInvalid(veoFast, row("prompt", "p", "seconds", "5"), "seconds", "'5'", "fal-ai/veo3.1/fast",
                "4, 6, 8");
        assertThat(veoFast.process(row("prompt", "p", "n_seconds", "6")).nSeconds()).isEqualTo(6);
        VideoRequest unset = veoFast.process(row("prompt", "p"));
        assertThat(unset.nSeconds()).isEqualTo(8);
        assertThat(unset.inputs().defaultDuration()).isTrue();
    }

    @Test
    void veoAspectRatiosAndResolutionsWithAutoForImageToVideoAndNo4kForLite() {
        assertInvalid(veoFast, row("prompt", "p", "aspect_ratio", "1:1"), "aspect_ratio", "'1:1'", "16:9, 9:16");
        assertInvalid(veoFast, row("prompt", "p", "aspect_ratio", "auto"), "aspect_ratio", "'auto'");
        assertThat(veoFast.process(row("prompt", "p", "resolution", "4k")).inputs().resolution()).isEqualTo("4k");
        assertInvalid(validator("fal-ai/veo3.1/lite"), row("prompt", "p", "resolution", "4k"), "resolution",
                "'4k'", "720p, 1080p");
        RowValidator imageToVideo = validator("fal-ai/veo3.1/fast/image-to-video");
        assertThat(imageToVideo.process(row("prompt", "p", "aspect_ratio", "auto", "image_url",
                "https://images.test/a.png")).inputs().aspectRatio()).isEqualTo("auto");
        assertInvalid(imageToVideo, row("prompt", "p"), "image_url", "makes its video from an image");
    }

    @Test
    void klingTakesFiveOrTenSecondsAndItsImageToVideoRequiresAnImage() {
        RowValidator kling = validator(KLING);

        assertInvalid(kling, row("prompt", "p", "seconds", "7", "image_url", "https://images.test/a.png"), "seconds",
                "'7'", "5, 10");
        assertInvalid(kling, row("prompt", "p"), "image_url", KLING);
        assertThat(kling.process(row("prompt", "p", "image_url", "https://images.test/a.png")).nSeconds())
                .isEqualTo(5);
    }

    @Test
    void aRowsOwnModelIsCheckedByItsOwnRules() {
        assertInvalid(veoFast, row("prompt", "p", "model", WAN, "seconds", "8"), "seconds", WAN, "5, 10");
        assertThat(veoFast.process(row("prompt", "p", "model", WAN)).nSeconds()).isEqualTo(5);
    }

    @Test
    void wanTakesItsResolutionsAspectRatiosAndPromptsOf1500CharactersAtMost() {
        RowValidator wan = validator(WAN);

        assertInvalid(wan, row("prompt", "x".repeat(1501)), "prompt", "1501", "1500", WAN);
        assertInvalid(wan, row("prompt", "p", "resolution", "4k"), "resolution", "480p, 720p, 1080p");
        assertInvalid(wan, row("prompt", "p", "aspect_ratio", "4:3"), "aspect_ratio", "16:9, 9:16, 1:1");
        assertThat(wan.process(row("prompt", "p", "resolution", "480p", "aspect_ratio", "1:1")).inputs().resolution())
                .isEqualTo("480p");
    }

    @Test
    void anUnknownModelGetsSanityChecksOnly() {
        RowValidator other = validator("someone/new-video-model");

        assertThat(other.process(row("prompt", "p", "seconds", "13", "aspect_ratio", "21:9")).nSeconds())
                .isEqualTo(13);
        assertInvalid(other, row("prompt", "p", "seconds", "0"), "seconds", "'0' seconds is not a duration");
        VideoRequest unset = other.process(row("prompt", "p"));
        assertThat(unset.nSeconds()).as("its default is not known").isZero();
        assertThat(unset.inputs().defaultDuration()).isTrue();
    }

    @Test
    void oneVideoPerRequestAndNoSizesInPixels() {
        assertInvalid(veoFast, row("prompt", "p", "n_variants", "2"), "n_variants", "one video per request");
        assertInvalid(veoFast, row("prompt", "p", "size", "1280x720"), "size",
                "column size is not used by provider fal", "aspect_ratio");
        assertInvalid(veoFast, row("prompt", "p", "width", "1280", "height", "720"), "width",
                "column width is not used by provider fal");
    }

    private static void assertInvalid(RowValidator validator, CsvRow row, String column, String... fragments) {
        assertThatThrownBy(() -> validator.process(row)).isInstanceOfSatisfying(InvalidRowException.class, e -> {
            assertThat(e.column()).isEqualTo(column);
            assertThat(e.getMessage()).startsWith("row 2, column " + column + ": ").contains(fragments);
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
