package dev.sorabatch.csv;

import java.util.List;

import dev.sorabatch.i18n.Messages;
import dev.sorabatch.service.ModelInputs;

/** What one service accepts of a row, checked before anything is paid for; each provider has its own. */
@FunctionalInterface
public interface RowRules {

    /** @throws InvalidRowException naming the column, the value and what is allowed */
    void check(CsvRow row, VideoRequest request);

    /**
     * The seconds a row that names none is counted for (budgets, the report) when no default is configured and the
     * model makes its own: {@code rowModel} is the row's model, null for the configured one; 0 when unknown.
     */
    default int modelDefaultSeconds(String rowModel) {
        return 0;
    }

    /**
     * Refuses a row that sets a model input {@code provider} does not use (the Sora services take no
     * {@code aspect_ratio}, {@code resolution}, {@code negative_prompt}, {@code seed} or {@code param.*}): sending
     * it without would make a video other than the one asked for.
     */
    static void refuseModelInputs(CsvRow row, ModelInputs inputs, String provider) {
        if (inputs.isEmpty()) {
            return;
        }
        List<String> set = new java.util.ArrayList<>();
        if (inputs.aspectRatio() != null) {
            set.add(InputColumns.ASPECT_RATIO);
        }
        if (inputs.resolution() != null) {
            set.add(InputColumns.RESOLUTION);
        }
        if (inputs.negativePrompt() != null) {
            set.add(InputColumns.NEGATIVE_PROMPT);
        }
        if (inputs.seed() != null) {
            set.add(InputColumns.SEED);
        }
        inputs.params().keySet().forEach(name -> set.add(InputColumns.PARAM_PREFIX + name));
        String column = set.get(0);
        throw new InvalidRowException(row, column, Messages.get("row.column-unused", column, provider));
    }
}
