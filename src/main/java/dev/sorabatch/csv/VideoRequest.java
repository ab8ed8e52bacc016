package dev.sorabatch.csv;

/** A validated row: everything needed to submit it, and to name its files and report it. */
public record VideoRequest(int rowNumber, String rowId, String prompt, String imageUrl, int width, int height,
        int nSeconds, int nVariants, String model) {

    /** A row that names no model (the configured one is sent). */
    public VideoRequest(int rowNumber, String rowId, String prompt, String imageUrl, int width, int height,
            int nSeconds, int nVariants) {
        this(rowNumber, rowId, prompt, imageUrl, width, height, nSeconds, nVariants, null);
    }

    public int secondsOfVideo() {
        return nSeconds * nVariants;
    }
}
