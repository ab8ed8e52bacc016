package dev.sorabatch.csv;

import dev.sorabatch.service.ModelInputs;

/**
 * A validated row: everything needed to submit it, and to name its files and report it. {@code inputs} are its
 * further model inputs ({@link ModelInputs#NONE} when it sets none).
 */
public record VideoRequest(int rowNumber, String rowId, String prompt, String imageUrl, int width, int height,
        int nSeconds, int nVariants, String model, ModelInputs inputs) {

    public VideoRequest {
        inputs = inputs == null ? ModelInputs.NONE : inputs;
    }

    /** A row that names no model (the configured one is sent). */
    public VideoRequest(int rowNumber, String rowId, String prompt, String imageUrl, int width, int height,
            int nSeconds, int nVariants) {
        this(rowNumber, rowId, prompt, imageUrl, width, height, nSeconds, nVariants, null);
    }

    /** A row with no further model inputs. */
    public VideoRequest(int rowNumber, String rowId, String prompt, String imageUrl, int width, int height,
            int nSeconds, int nVariants, String model) {
        this(rowNumber, rowId, prompt, imageUrl, width, height, nSeconds, nVariants, model, ModelInputs.NONE);
    }

    public int secondsOfVideo() {
        return nSeconds * nVariants;
    }
}
