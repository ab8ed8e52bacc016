package dev.sorabatch.provider.gemini;

import java.util.List;

import dev.sorabatch.csv.CsvRow;
import dev.sorabatch.csv.InputColumns;
import dev.sorabatch.csv.InvalidRowException;
import dev.sorabatch.csv.RowRules;
import dev.sorabatch.csv.VideoRequest;
import dev.sorabatch.i18n.Messages;

/**
 * What Veo on the Gemini API takes of a row (shared/providers-api.md §1.3): a shape in {@code aspect_ratio} and
 * {@code resolution}, never in pixels; 1 to 4 videos per request ({@code sampleCount}); no {@code seed} (Google's SDK
 * refuses it in Gemini API mode: Vertex AI takes one). For the Veo 3.x models also 4, 6 or 8 seconds, {@code 16:9} or
 * {@code 9:16}, and {@code 720p} or {@code 1080p} ({@code 4k} too on 3.1). Whatever else the guide says (1080p and 4k
 * in 8 s only) is unconfirmed, so not refused here: the API's own 400 names the field. Another model gets the
 * sanity checks alone.
 */
public final class GeminiRowRules implements RowRules {

    static final List<Integer> SECONDS = List.of(4, 6, 8);
    static final List<String> SHAPES = List.of("16:9", "9:16");
    static final int MAX_VIDEOS = 4;
    /** What Veo makes when no duration is sent. */
    static final int MODEL_SECONDS = 8;

    private final String configuredModel;

    /** @param configuredModel the model of the rows that name none ({@code sora.model}) */
    public GeminiRowRules(String configuredModel) {
        this.configuredModel = configuredModel;
    }

    @Override
    public int modelDefaultSeconds(String rowModel) {
        return MODEL_SECONDS;
    }

    @Override
    public void check(CsvRow row, VideoRequest request) {
        List.of(InputColumns.SIZE, InputColumns.WIDTH, InputColumns.HEIGHT).stream()
                .filter(column -> row.value(column) != null).findFirst().ifPresent(column -> {
                    throw new InvalidRowException(row, column, Messages.get("row.gemini.no-size", column));
                });
        if (request.inputs().seed() != null) {
            throw new InvalidRowException(row, InputColumns.SEED, Messages.get("row.gemini.seed"));
        }
        if (request.nVariants() < 1 || request.nVariants() > MAX_VIDEOS) {
            throw new InvalidRowException(row, InputColumns.N_VARIANTS,
                    Messages.get("row.gemini.videos", request.nVariants(), MAX_VIDEOS));
        }
        String model = request.model() == null || request.model().isBlank() ? configuredModel : request.model();
        model = model.startsWith("models/") ? model.substring("models/".length()) : model;
        if (!model.startsWith("veo-3")) {
            return;
        }
        if (!request.inputs().defaultDuration() && !SECONDS.contains(request.nSeconds())) {
            refuse(row, InputColumns.secondsColumn(row), String.valueOf(request.nSeconds()), model, SECONDS);
        }
        String shape = request.inputs().aspectRatio();
        if (shape != null && !SHAPES.contains(shape)) {
            refuse(row, InputColumns.ASPECT_RATIO, shape, model, SHAPES);
        }
        String resolution = request.inputs().resolution();
        List<String> resolutions = model.startsWith("veo-3.1") ? List.of("720p", "1080p", "4k")
                : List.of("720p", "1080p");
        if (resolution != null && !resolutions.contains(resolution)) {
            refuse(row, InputColumns.RESOLUTION, resolution, model, resolutions);
        }
    }

    private static void refuse(CsvRow row, String column, String value, String model, List<?> allowed) {
        throw new InvalidRowException(row, column, Messages.get("row.gemini.value", value, model,
                String.join(", ", allowed.stream().map(String::valueOf).toList())));
    }
}
