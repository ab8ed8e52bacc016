package dev.sorabatch.csv;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import org.springframework.batch.infrastructure.item.ItemProcessor;

import dev.sorabatch.i18n.Messages;
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
            throw new InvalidRowException(row, InputColumns.PROMPT, Messages.get("row.prompt-empty"));
        }
        prompt = prompt.strip();
        if (prompt.length() > defaults.maxPromptChars()) {
            throw new InvalidRowException(row, InputColumns.PROMPT, Messages.get("row.prompt-long",
                    prompt.length(), defaults.maxPromptChars()));
        }
        int width = integer(row, InputColumns.WIDTH, defaults.width());
        int height = integer(row, InputColumns.HEIGHT, defaults.height());
        if (!SoraLimits.supports(width, height)) {
            String column = row.value(InputColumns.WIDTH) != null || row.value(InputColumns.HEIGHT) == null
                    ? "width/height" : InputColumns.HEIGHT;
            throw new InvalidRowException(row, column, Messages.get("row.resolution", width + "x" + height,
                    String.join(", ", SoraLimits.RESOLUTIONS)));
        }
        int seconds = integer(row, InputColumns.N_SECONDS, defaults.nSeconds());
        if (seconds < SoraLimits.MIN_SECONDS || seconds > SoraLimits.MAX_SECONDS) {
            throw new InvalidRowException(row, InputColumns.N_SECONDS, Messages.get("row.seconds", seconds,
                    SoraLimits.MIN_SECONDS, SoraLimits.MAX_SECONDS));
        }
        int variants = integer(row, InputColumns.N_VARIANTS, defaults.nVariants());
        int maxVariants = SoraLimits.maxVariants(width, height);
        if (variants < 1 || variants > maxVariants) {
            throw new InvalidRowException(row, InputColumns.N_VARIANTS, Messages.get("row.variants", variants,
                    width + "x" + height, maxVariants));
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
            throw new InvalidRowException(row, column, Messages.get("row.not-a-number", abbreviate(value), fallback));
        }
    }

    private static void checkImageUrl(CsvRow row, String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new InvalidRowException(row, InputColumns.IMAGE_URL, Messages.get("row.url-scheme", abbreviate(url)));
            }
            if (uri.getHost() == null || uri.getHost().isBlank()) {
                throw new InvalidRowException(row, InputColumns.IMAGE_URL, Messages.get("row.url-host", abbreviate(url)));
            }
        } catch (URISyntaxException e) {
            throw new InvalidRowException(row, InputColumns.IMAGE_URL, Messages.get("row.url-invalid", abbreviate(url),
                    e.getReason()));
        }
    }

    private static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 77) + "...";
    }
}
