package dev.sorabatch.csv;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import org.springframework.batch.infrastructure.item.ItemProcessor;

import dev.sorabatch.sora.SoraLimits;

/**
 * Checks a row against what the service accepts before anything is sent: an invalid row is skipped with a message
 * naming the column, the bad value and the allowed values, and costs no API call.
 */
public class RowValidator implements ItemProcessor<CsvRow, VideoRequest> {

    private final RowDefaults defaults;

    public RowValidator(RowDefaults defaults) {
        this.defaults = defaults;
    }

    @Override
    public VideoRequest process(CsvRow row) {
        String prompt = row.raw(InputColumns.PROMPT);
        if (prompt == null) {
            throw new InvalidRowException(row, InputColumns.PROMPT, "the prompt is empty. Describe the video to generate.");
        }
        prompt = prompt.strip();
        if (prompt.length() > defaults.maxPromptChars()) {
            throw new InvalidRowException(row, InputColumns.PROMPT, "the prompt is " + prompt.length()
                    + " characters long; the limit is " + defaults.maxPromptChars() + " (property sora.max-prompt-chars).");
        }
        int width = integer(row, InputColumns.WIDTH, defaults.width());
        int height = integer(row, InputColumns.HEIGHT, defaults.height());
        if (!SoraLimits.supports(width, height)) {
            String column = row.value(InputColumns.WIDTH) != null || row.value(InputColumns.HEIGHT) == null
                    ? "width/height" : InputColumns.HEIGHT;
            throw new InvalidRowException(row, column, "resolution " + width + "x" + height
                    + " is not supported. Use one of " + String.join(", ", SoraLimits.RESOLUTIONS) + ".");
        }
        int seconds = integer(row, InputColumns.N_SECONDS, defaults.nSeconds());
        if (seconds < SoraLimits.MIN_SECONDS || seconds > SoraLimits.MAX_SECONDS) {
            throw new InvalidRowException(row, InputColumns.N_SECONDS, "'" + seconds + "' is out of range. Use "
                    + SoraLimits.MIN_SECONDS + " to " + SoraLimits.MAX_SECONDS + " seconds.");
        }
        int variants = integer(row, InputColumns.N_VARIANTS, defaults.nVariants());
        int maxVariants = SoraLimits.maxVariants(width, height);
        if (variants < 1 || variants > maxVariants) {
            throw new InvalidRowException(row, InputColumns.N_VARIANTS, "'" + variants + "' variants at " + width + "x"
                    + height + " is not allowed. Use 1 to " + maxVariants + " at this resolution (1080p: 1, 720p: 2, "
                    + "smaller: 4).");
        }
        String imageUrl = row.value(InputColumns.IMAGE_URL);
        if (imageUrl != null) {
            checkImageUrl(row, imageUrl);
        }
        return new VideoRequest(row.rowNumber(), row.value(InputColumns.ID), prompt, imageUrl, width, height, seconds,
                variants);
    }

    private static int integer(CsvRow row, String column, int fallback) {
        String value = row.value(column);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.endsWith(".0") ? value.substring(0, value.length() - 2) : value);
        } catch (NumberFormatException e) {
            throw new InvalidRowException(row, column, "'" + abbreviate(value) + "' is not a whole number. Write digits "
                    + "only, e.g. " + fallback + ", or leave it empty for the default (" + fallback + ").");
        }
    }

    private static void checkImageUrl(CsvRow row, String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new InvalidRowException(row, InputColumns.IMAGE_URL, "'" + abbreviate(url) + "' is not an http(s) "
                        + "URL. Use a public https:// link to a JPEG, PNG or WebP image, or leave it empty.");
            }
            if (uri.getHost() == null || uri.getHost().isBlank()) {
                throw new InvalidRowException(row, InputColumns.IMAGE_URL, "'" + abbreviate(url) + "' has no host. Use "
                        + "a full URL such as https://example.com/image.jpg.");
            }
        } catch (URISyntaxException e) {
            throw new InvalidRowException(row, InputColumns.IMAGE_URL, "'" + abbreviate(url) + "' is not a valid URL ("
                    + e.getReason() + "). Spaces and other special characters must be percent-encoded.");
        }
    }

    private static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 77) + "...";
    }
}
