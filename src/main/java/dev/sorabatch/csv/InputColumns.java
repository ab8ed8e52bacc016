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

    public static final List<String> ALL = List.of(PROMPT, IMAGE_URL, ID, WIDTH, HEIGHT, N_SECONDS, N_VARIANTS,
            SIZE, SECONDS, MODEL);

    private InputColumns() {
    }

    /** The column a row gave its duration in ({@code seconds}, else {@code n_seconds}), for messages. */
    public static String secondsColumn(CsvRow row) {
        return row.value(SECONDS) != null ? SECONDS : N_SECONDS;
    }

    /** {@code "\uFEFF Image URL "} and {@code "image-url"} both become {@code image_url}. */
    public static String normalise(String header) {
        String name = header == null ? "" : header.replace("\uFEFF", "").strip().toLowerCase(Locale.ROOT);
        return name.replaceAll("[\\s-]+", "_");
    }
}
