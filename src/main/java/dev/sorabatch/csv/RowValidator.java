package dev.sorabatch.csv;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.springframework.batch.infrastructure.item.ItemProcessor;

import dev.sorabatch.i18n.Messages;
import dev.sorabatch.service.ModelInputs;

/**
 * Reads a row's columns and checks them against what the service accepts ({@link RowRules}, the provider's) before
 * anything is sent: an invalid row is skipped with a message
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
        String secondsColumn = InputColumns.secondsColumn(row);
        int seconds = integer(row, secondsColumn, defaults.nSeconds());
        // no seconds asked and none configured: the model makes its own default, counted as the rules know it
        boolean modelDefault = seconds == 0 && row.value(secondsColumn) == null;
        String model = row.value(InputColumns.MODEL);
        if (modelDefault) {
            seconds = defaults.rules().modelDefaultSeconds(model);
        }
        int variants = integer(row, InputColumns.N_VARIANTS, defaults.nVariants());
        String imageUrl = row.value(InputColumns.IMAGE_URL);
        VideoRequest request = new VideoRequest(row.rowNumber(), row.value(InputColumns.ID), prompt, imageUrl, width,
                height, seconds, variants, model, inputs(row, modelDefault));
        defaults.rules().check(row, request);
        if (imageUrl != null) {
            checkImageUrl(row, imageUrl);
        }
        return request;
    }

    /** The row's further model inputs: typed here only where the meaning is fixed (a seed is a whole number). */
    private static ModelInputs inputs(CsvRow row, boolean modelDefault) {
        Long seed = null;
        String seedText = row.value(InputColumns.SEED);
        if (seedText != null) {
            try {
                seed = Long.parseLong(seedText);
            } catch (NumberFormatException e) {
                throw new InvalidRowException(row, InputColumns.SEED, Messages.get("row.seed", abbreviate(seedText)));
            }
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String column : row.values().keySet()) {
            String name = column.startsWith(InputColumns.PARAM_PREFIX)
                    ? column.substring(InputColumns.PARAM_PREFIX.length()) : "";
            String value = row.value(column);
            if (!name.isEmpty() && value != null) {
                params.put(name, value);
            }
        }
        String negative = row.raw(InputColumns.NEGATIVE_PROMPT);
        return new ModelInputs(row.value(InputColumns.ASPECT_RATIO), row.value(InputColumns.RESOLUTION),
                negative == null ? null : negative.strip(), seed, params, modelDefault);
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
