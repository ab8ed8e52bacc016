package dev.sorabatch.service;

import java.util.Set;

/**
 * What a video service declares about itself, so that the provider-neutral job can act on it without knowing the
 * service.
 *
 * @param listsJobs a create whose answer was lost can be found again by listing recent jobs; without it such a
 *     row is reported, never resent on its own
 * @param thumbnails each video comes with a thumbnail to download
 * @param inputs what a row may ask of it
 * @param maxConcurrency jobs it runs at once per account, when it says (null: not published)
 * @param requestsPerMinute its published request quota (null: none, or per deployment)
 * @param pollsCostQuota whether a status poll counts against the request quota like a create
 */
public record ServiceTraits(boolean listsJobs, boolean thumbnails, Set<Input> inputs, Integer maxConcurrency,
        Integer requestsPerMinute, boolean pollsCostQuota) {

    /**
     * What a row may carry; each provider maps them onto its own fields. {@code IMAGE} is uploaded (the row's URL is
     * fetched here first); {@code IMAGE_URL} is passed as the URL and fetched by the service itself.
     */
    public enum Input {
        TEXT, IMAGE, IMAGE_URL, DURATION, SIZE, ASPECT_RATIO_AND_RESOLUTION, VARIANTS, NEGATIVE_PROMPT, SEED, MODEL_PARAMETERS
    }

    public boolean takes(Input input) {
        return inputs.contains(input);
    }
}
