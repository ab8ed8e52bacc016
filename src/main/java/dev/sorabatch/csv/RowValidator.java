package dev.sorabatch.csv;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import org.springframework.batch.infrastructure.item.ItemProcessor;

import dev.sorabatch.i18n.Messages;
import dev.sorabatch.sora.Provider;
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
        int[] size = size(row);
        int width = size != null ? size[0] : integer(row, InputColumns.WIDTH, defaults.width());
        int height = size != null ? size[1] : integer(row, InputColumns.HEIGHT, defaults.height());
        String secondsColumn = row.value(InputColumns.SECONDS) != null ? InputColumns.SECONDS : InputColumns.N_SECONDS;
        int seconds = integer(row, secondsColumn, defaults.nSeconds());
        int variants = integer(row, InputColumns.N_VARIANTS, defaults.nVariants());
        if (defaults.provider() == Provider.OPENAI_VIDEOS) {
            checkVideosLimits(row, size != null, width, height, secondsColumn, seconds, variants);
        } else {
            checkAzureLimits(row, size != null, width, height, seconds, variants);
        }
        String imageUrl = row.value(InputColumns.IMAGE_URL);
        if (imageUrl != null) {
            checkImageUrl(row, imageUrl);
        }
        return new VideoRequest(row.rowNumber(), row.value(InputColumns.ID), prompt, imageUrl, width, height, seconds,
                variants, row.value(InputColumns.MODEL));
    }

    /** Azure Sora 1 accepts a fixed list of resolutions, 1 to 20 seconds, and fewer variants as size grows. */
    private static void checkAzureLimits(CsvRow row, boolean fromSize, int width, int height, int seconds,
            int variants) {
        if (!SoraLimits.supports(width, height)) {
            String column = fromSize ? InputColumns.SIZE
                    : row.value(InputColumns.WIDTH) != null || row.value(InputColumns.HEIGHT) == null
                    ? "width/height" : InputColumns.HEIGHT;
            throw new InvalidRowException(row, column, Messages.get("row.resolution", width + "x" + height,
                    String.join(", ", SoraLimits.RESOLUTIONS)));
        }
        if (seconds < SoraLimits.MIN_SECONDS || seconds > SoraLimits.MAX_SECONDS) {
            throw new InvalidRowException(row, row.value(InputColumns.SECONDS) != null ? InputColumns.SECONDS
                    : InputColumns.N_SECONDS, Messages.get("row.seconds", seconds, SoraLimits.MIN_SECONDS,
                            SoraLimits.MAX_SECONDS));
        }
        int maxVariants = SoraLimits.maxVariants(width, height);
        if (variants < 1 || variants > maxVariants) {
            throw new InvalidRowException(row, InputColumns.N_VARIANTS, Messages.get("row.variants", variants,
                    width + "x" + height, maxVariants));
        }
    }

    /**
     * The Videos API: sizes and durations are left to the service (models and gateways accept values the published
     * enums do not list), but each must be a sensible number; one video per request.
     */
    private static void checkVideosLimits(CsvRow row, boolean fromSize, int width, int height, String secondsColumn,
            int seconds, int variants) {
        if (width < 1 || height < 1) {
            throw new InvalidRowException(row, fromSize ? InputColumns.SIZE : "width/height",
                    Messages.get("row.size-videos", width + "x" + height));
        }
        if (seconds < 1 || seconds > SoraLimits.MAX_VIDEOS_SECONDS) {
            throw new InvalidRowException(row, secondsColumn, Messages.get("row.seconds-videos", seconds,
                    SoraLimits.MAX_VIDEOS_SECONDS));
        }
        if (variants != 1) {
            throw new InvalidRowException(row, InputColumns.N_VARIANTS, Messages.get("row.variants-videos", variants));
        }
    }

    /** The {@code size} column ({@code 1280x720}), or null when the row uses width and height. */
    private static int[] size(CsvRow row) {
        String size = row.value(InputColumns.SIZE);
        if (size == null) {
            return null;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,5})\\s*[xX\u00d7]\\s*(\\d{1,5})")
                .matcher(size.strip());
        if (!m.matches()) {
            throw new InvalidRowException(row, InputColumns.SIZE, Messages.get("row.size-format", abbreviate(size)));
        }
        int[] wh = { Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)) };
        String width = row.value(InputColumns.WIDTH);
        String height = row.value(InputColumns.HEIGHT);
        if ((width != null && !width.equals(m.group(1))) || (height != null && !height.equals(m.group(2)))) {
            throw new InvalidRowException(row, InputColumns.SIZE, Messages.get("row.size-conflict", size.strip(),
                    width == null ? "" : width, height == null ? "" : height));
        }
        return wh;
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
