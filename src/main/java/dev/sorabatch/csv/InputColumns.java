package dev.sorabatch.csv;

import java.util.List;
import java.util.Locale;

/** The CSV columns sora-batch understands, and how header names are normalised before matching them. */
public final class InputColumns {

    public static final String PROMPT = "prompt";
    public static final String IMAGE_URL = "image_url";
    public static final String ID = "id";
    public static final String WIDTH = "width";
    public static final String HEIGHT = "height";
    public static final String N_SECONDS = "n_seconds";
    public static final String N_VARIANTS = "n_variants";
    /** {@code WxH}, instead of width and height (the Videos API's own field). */
    public static final String SIZE = "size";
    /** The Videos API's name for n_seconds. */
    public static final String SECONDS = "seconds";
    /** A model or deployment for this row only. */
    public static final String MODEL = "model";
    /** Model inputs some services take (fal): {@code 16:9}, {@code 720p}, what to avoid, a whole number. */
    public static final String ASPECT_RATIO = "aspect_ratio";
    public static final String RESOLUTION = "resolution";
    public static final String NEGATIVE_PROMPT = "negative_prompt";
    public static final String SEED = "seed";
    /** {@code param.<name>}: any further model input, its name kept as the header writes it. */
    public static final String PARAM_PREFIX = "param.";

    public static final List<String> ALL = List.of(PROMPT, IMAGE_URL, ID, WIDTH, HEIGHT, N_SECONDS, N_VARIANTS,
            SIZE, SECONDS, MODEL, ASPECT_RATIO, RESOLUTION, NEGATIVE_PROMPT, SEED, PARAM_PREFIX + "<name>");

    private InputColumns() {
    }

    /** The column a row gave its duration in ({@code seconds}, else {@code n_seconds}), for messages. */
    public static String secondsColumn(CsvRow row) {
        return row.value(SECONDS) != null ? SECONDS : N_SECONDS;
    }

    /**
     * {@code "\uFEFF Image URL "} and {@code "image-url"} both become {@code image_url}; a {@code param.} column
     * keeps its name after the prefix exactly as written, since it is sent to the model as it is.
     */
    public static String normalise(String header) {
        String name = header == null ? "" : header.replace("\uFEFF", "").strip();
        if (name.regionMatches(true, 0, PARAM_PREFIX, 0, PARAM_PREFIX.length())) {
            return PARAM_PREFIX + name.substring(PARAM_PREFIX.length()).strip();
        }
        return name.toLowerCase(Locale.ROOT).replaceAll("[\\s-]+", "_");
    }
}
