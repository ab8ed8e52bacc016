package dev.sorabatch.provider.fal;

import java.util.List;
import java.util.Locale;

import tools.jackson.databind.node.ObjectNode;

/**
 * What sora-batch knows of a fal model's input schema (the model pages' {@code llms.txt}, shared/providers-api.md
 * §3.8): the durations it takes and how it writes them, its aspect ratios and resolutions, whether it needs an
 * image, its longest prompt. A model id no family claims is {@link #OTHER}: only sanity checks, the duration sent as
 * a string of the number.
 */
enum FalModel {

    /** {@code fal-ai/veo3.1} and its siblings ({@code /fast}, {@code /lite}, {@code …/image-to-video}): "8s". */
    VEO31("fal-ai/veo3.1", List.of(4, 6, 8), 8, Duration.SECONDS_SUFFIX, List.of("16:9", "9:16"),
            List.of("720p", "1080p", "4k"), null),
    /** Kling v4: an integer duration from 3 to 30. */
    KLING_V4("fal-ai/kling-video/v4", List.of(), 5, Duration.INTEGER, null, List.of("720p", "1080p"), null),
    /** Kling v2.1 ({@code standard/image-to-video}, {@code master/text-to-video}): "5" or "10". */
    KLING_V21("fal-ai/kling-video/v2.1", List.of(5, 10), 5, Duration.NUMBER_STRING, null, null, null),
    /** Wan 2.5 preview: "5" or "10", three resolutions and aspect ratios, prompts of 1500 characters at most. */
    WAN25("fal-ai/wan-25", List.of(5, 10), 5, Duration.NUMBER_STRING, List.of("16:9", "9:16", "1:1"),
            List.of("480p", "720p", "1080p"), 1500),
    /** A model sora-batch has no schema for: its own default duration is not known. */
    OTHER("", List.of(), 0, Duration.NUMBER_STRING, null, null, null);

    /** How a model writes its {@code duration} field. */
    enum Duration { SECONDS_SUFFIX, NUMBER_STRING, INTEGER }

    static final int KLING_V4_MIN_SECONDS = 3;
    static final int KLING_V4_MAX_SECONDS = 30;

    private final String prefix;
    private final List<Integer> durations;
    private final int defaultSeconds;
    private final Duration duration;
    private final List<String> aspectRatios;
    private final List<String> resolutions;
    private final Integer maxPromptChars;

    FalModel(String prefix, List<Integer> durations, int defaultSeconds, Duration duration, List<String> aspectRatios,
            List<String> resolutions, Integer maxPromptChars) {
        this.prefix = prefix;
        this.durations = durations;
        this.defaultSeconds = defaultSeconds;
        this.duration = duration;
        this.aspectRatios = aspectRatios;
        this.resolutions = resolutions;
        this.maxPromptChars = maxPromptChars;
    }

    static FalModel of(String modelId) {
        String id = modelId == null ? "" : modelId.strip().toLowerCase(Locale.ROOT);
        for (FalModel model : values()) {
            if (model != OTHER && (id.equals(model.prefix) || id.startsWith(model.prefix + "/")
                    || id.startsWith(model.prefix + "-"))) {
                return model;
            }
        }
        return OTHER;
    }

    /** The durations it takes, empty when any (in its range) will do. */
    List<Integer> durations() {
        return durations;
    }

    /** The seconds it makes when asked for none; 0 when not known. */
    int defaultSeconds() {
        return defaultSeconds;
    }

    /** Its aspect ratios for this endpoint, or null when not known. Veo's image-to-video adds {@code auto}. */
    List<String> aspectRatios(String modelId) {
        if (this == VEO31 && imageToVideo(modelId)) {
            return List.of("auto", "16:9", "9:16");
        }
        return aspectRatios;
    }

    /** Its resolutions for this endpoint, or null when not known. Veo lite makes no 4k. */
    List<String> resolutions(String modelId) {
        if (this == VEO31 && modelId.toLowerCase(Locale.ROOT).contains("/lite")) {
            return List.of("720p", "1080p");
        }
        return resolutions;
    }

    Integer maxPromptChars() {
        return maxPromptChars;
    }

    /** A known model's image-to-video endpoint makes its video from {@code image_url}, which it requires. */
    boolean requiresImage(String modelId) {
        return this != OTHER && imageToVideo(modelId);
    }

    /** Puts {@code seconds} into {@code input} as this model's {@code duration} field wants it. */
    void putDuration(ObjectNode input, int seconds) {
        switch (duration) {
            case SECONDS_SUFFIX -> input.put("duration", seconds + "s");
            case INTEGER -> input.put("duration", seconds);
            default -> input.put("duration", Integer.toString(seconds));
        }
    }

    private static boolean imageToVideo(String modelId) {
        return modelId.toLowerCase(Locale.ROOT).contains("image-to-video");
    }
}
