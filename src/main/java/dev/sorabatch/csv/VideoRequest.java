package dev.sorabatch.csv;

/** A validated row: everything needed to submit it, and to name its files and report it. */
public record VideoRequest(int rowNumber, String rowId, String prompt, String imageUrl, int width, int height,
        int nSeconds, int nVariants) {

    public int secondsOfVideo() {
        return nSeconds * nVariants;
    }
}
