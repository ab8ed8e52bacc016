package dev.sorabatch.pricing;

/**
 * What a row's price can depend on, from whatever the row and the run know: provider and model by their ids, no
 * provider's types, so that every provider's rows are priced the same way.
 *
 * @param provider the provider's id ({@code azure-sora}, {@code openai-videos}, {@code fal}, ...)
 * @param model the model or deployment the row is sent to
 * @param width pixels, or null when the row gives a resolution instead
 * @param height pixels, or null
 * @param resolution {@code 720p}, {@code 1080p}, {@code 4k}..., or null when the row does not say (the model's
 *        documented default, if the table has one, is priced)
 * @param seconds the length of each video
 * @param variants how many videos the row makes
 * @param audio whether the videos have generated audio, or null when the row does not say (the model's default)
 */
public record PriceQuery(String provider, String model, Integer width, Integer height, String resolution,
        int seconds, int variants, Boolean audio) {

    /** {@code WxH}, or null without a size. */
    public String size() {
        return width == null || height == null ? null : width + "x" + height;
    }

    PriceQuery withDefaults(String defaultResolution, Boolean defaultAudio) {
        return new PriceQuery(provider, model, width, height, resolution != null ? resolution : defaultResolution,
                seconds, variants, audio != null ? audio : defaultAudio);
    }
}
