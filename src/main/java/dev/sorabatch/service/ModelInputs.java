package dev.sorabatch.service;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a row asks of the model beyond its prompt, image and shape: the columns {@code aspect_ratio},
 * {@code resolution}, {@code negative_prompt}, {@code seed} and {@code param.<name>} (names kept as written, values
 * as text: typing them is the provider's business). Each provider maps those it takes onto its own fields; the Sora
 * providers take none, and their row rules refuse a row that sets one.
 *
 * @param defaultDuration the row asked for no duration (and none is configured): none is sent and the model makes
 *     its own default; the request's seconds then hold that default where it is known, for budgets and the report
 */
public record ModelInputs(String aspectRatio, String resolution, String negativePrompt, Long seed,
        Map<String, String> params, boolean defaultDuration) {

    public static final ModelInputs NONE = new ModelInputs(null, null, null, null, Map.of(), false);

    public ModelInputs {
        params = params == null || params.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** True when the row sets none of these columns. */
    public boolean isEmpty() {
        return aspectRatio == null && resolution == null && negativePrompt == null && seed == null
                && params.isEmpty();
    }
}
