package dev.sorabatch.provider.vertex;

import java.util.List;

import dev.sorabatch.csv.CsvRow;
import dev.sorabatch.csv.InputColumns;
import dev.sorabatch.csv.InvalidRowException;
import dev.sorabatch.csv.RowRules;
import dev.sorabatch.csv.VideoRequest;
import dev.sorabatch.i18n.Messages;

/**
 * What Veo on Vertex takes of a row (shared/providers-api.md §2.3): for the Veo 3.x models, 4, 6 or 8 seconds,
 * {@code 16:9} or {@code 9:16}, {@code 720p} or {@code 1080p} ({@code 4k} too on the 3.1 standard and fast models,
 * not on Lite); for every model 1 to 4 videos per row ({@code sampleCount}) and a seed within uint32. Sizes in
 * pixels are not how Veo is asked (use aspect_ratio and resolution). A model not known here gets only those
 * sanity checks; Vertex itself then names what it refuses (400 INVALID_ARGUMENT).
 */
public final class VertexRowRules implements RowRules {

    static final List<Integer> DURATIONS = List.of(4, 6, 8);
    static final List<String> ASPECT_RATIOS = List.of("16:9", "9:16");
    static final int MAX_SAMPLES = 4;
    static final long MAX_SEED = 4_294_967_295L;
    /** A publisher model id as Vertex names them: {@code veo-3.1-generate-001}, no path. */
    private static final java.util.regex.Pattern MODEL_ID = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]*");
    /** Veo's own duration when none is sent. */
    static final int DEFAULT_SECONDS = 8;

    private final String defaultModel;

    public VertexRowRules(String defaultModel) {
        this.defaultModel = defaultModel;
    }

    @Override
    public int modelDefaultSeconds(String rowModel) {
        return DEFAULT_SECONDS;
    }

    @Override
    public void check(CsvRow row, VideoRequest request) {
        for (String column : List.of(InputColumns.SIZE, InputColumns.WIDTH, InputColumns.HEIGHT)) {
            if (row.value(column) != null) {
                throw new InvalidRowException(row, column, Messages.get("row.vertex.no-size", column));
            }
        }
        if (request.nVariants() < 1 || request.nVariants() > MAX_SAMPLES) {
            throw new InvalidRowException(row, InputColumns.N_VARIANTS, Messages.get("row.vertex.variants",
                    request.nVariants(), MAX_SAMPLES));
        }
        Long seed = request.inputs().seed();
        if (seed != null && (seed < 0 || seed > MAX_SEED)) {
            throw new InvalidRowException(row, InputColumns.SEED, Messages.get("row.vertex.seed", seed, MAX_SEED));
        }
        String model = request.model() == null || request.model().isBlank() ? defaultModel : request.model();
        if (!MODEL_ID.matcher(model).matches()) {
            // a path (fal-ai/veo3.1, publishers/google/models/…) would be sent as one escaped segment and 404
            throw new InvalidRowException(row, InputColumns.MODEL, Messages.get("row.vertex.model-id", model));
        }
        if (!model.startsWith("veo-3")) {
            return;
        }
        if (!request.inputs().defaultDuration() && !DURATIONS.contains(request.nSeconds())) {
            throw new InvalidRowException(row, InputColumns.secondsColumn(row), Messages.get("row.vertex.value",
                    request.nSeconds(), model, "4, 6, 8"));
        }
        oneOf(row, InputColumns.ASPECT_RATIO, request.inputs().aspectRatio(), ASPECT_RATIOS, model);
        oneOf(row, InputColumns.RESOLUTION, request.inputs().resolution(), resolutions(model), model);
    }

    static List<String> resolutions(String model) {
        boolean fourK = model.startsWith("veo-3.1") && !model.contains("lite");
        return fourK ? List.of("720p", "1080p", "4k") : List.of("720p", "1080p");
    }

    private static void oneOf(CsvRow row, String column, String value, List<String> allowed, String model) {
        if (value != null && !allowed.contains(value)) {
            throw new InvalidRowException(row, column, Messages.get("row.vertex.value", value, model,
                    String.join(", ", allowed)));
        }
    }
}
