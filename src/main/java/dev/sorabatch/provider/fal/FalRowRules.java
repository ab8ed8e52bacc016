package dev.sorabatch.provider.fal;

import java.util.List;
import java.util.stream.Collectors;

import dev.sorabatch.csv.CsvRow;
import dev.sorabatch.csv.InputColumns;
import dev.sorabatch.csv.InvalidRowException;
import dev.sorabatch.csv.RowRules;
import dev.sorabatch.csv.VideoRequest;
import dev.sorabatch.i18n.Messages;

/**
 * What a fal model takes of a row, where sora-batch knows its schema ({@link FalModel}): durations, aspect ratios,
 * resolutions, a required image, the longest prompt. A model it does not know gets only sanity checks; fal itself
 * then names any input it refuses (HTTP 422). One video per request; sizes in pixels are not fal's way of asking.
 */
public final class FalRowRules implements RowRules {

    private final String defaultModel;

    /** @param defaultModel the model a row that names none is sent to */
    public FalRowRules(String defaultModel) {
        this.defaultModel = defaultModel;
    }

    @Override
    public int modelDefaultSeconds(String rowModel) {
        return FalModel.of(modelOf(rowModel)).defaultSeconds();
    }

    @Override
    public void check(CsvRow row, VideoRequest request) {
        for (String column : List.of(InputColumns.SIZE, InputColumns.WIDTH, InputColumns.HEIGHT)) {
            if (row.value(column) != null) {
                throw new InvalidRowException(row, column, Messages.get("row.fal.no-size", column));
            }
        }
        if (request.nVariants() != 1) {
            throw new InvalidRowException(row, InputColumns.N_VARIANTS, Messages.get("row.fal.variants",
                    request.nVariants()));
        }
        String modelId = modelOf(request.model());
        FalModel model = FalModel.of(modelId);
        if (model.maxPromptChars() != null && request.prompt().length() > model.maxPromptChars()) {
            throw new InvalidRowException(row, InputColumns.PROMPT, Messages.get("row.fal.prompt-long",
                    request.prompt().length(), modelId, model.maxPromptChars()));
        }
        if (!request.inputs().defaultDuration()) {
            checkSeconds(row, request.nSeconds(), model, modelId);
        }
        oneOf(row, InputColumns.ASPECT_RATIO, request.inputs().aspectRatio(), model.aspectRatios(modelId), modelId);
        oneOf(row, InputColumns.RESOLUTION, request.inputs().resolution(), model.resolutions(modelId), modelId);
        if (request.imageUrl() == null && model.requiresImage(modelId)) {
            throw new InvalidRowException(row, InputColumns.IMAGE_URL, Messages.get("row.fal.image-required",
                    modelId));
        }
    }

    private static void checkSeconds(CsvRow row, int seconds, FalModel model, String modelId) {
        String column = InputColumns.secondsColumn(row);
        if (model == FalModel.KLING_V4) {
            if (seconds < FalModel.KLING_V4_MIN_SECONDS || seconds > FalModel.KLING_V4_MAX_SECONDS) {
                throw new InvalidRowException(row, column, Messages.get("row.fal.seconds-range", seconds, modelId,
                        FalModel.KLING_V4_MIN_SECONDS, FalModel.KLING_V4_MAX_SECONDS));
            }
        } else if (!model.durations().isEmpty()) {
            if (!model.durations().contains(seconds)) {
                throw new InvalidRowException(row, column, Messages.get("row.fal.value", seconds, modelId,
                        model.durations().stream().map(String::valueOf).collect(Collectors.joining(", "))));
            }
        } else if (seconds < 1) {
            throw new InvalidRowException(row, column, Messages.get("row.fal.seconds-positive", seconds));
        }
    }

    private static void oneOf(CsvRow row, String column, String value, List<String> allowed, String modelId) {
        if (value != null && allowed != null && !allowed.contains(value)) {
            throw new InvalidRowException(row, column, Messages.get("row.fal.value", value, modelId,
                    String.join(", ", allowed)));
        }
    }

    private String modelOf(String rowModel) {
        return rowModel == null || rowModel.isBlank() ? defaultModel : rowModel;
    }
}
