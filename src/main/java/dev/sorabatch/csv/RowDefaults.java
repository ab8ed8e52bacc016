package dev.sorabatch.csv;

/** Values for the optional columns when a row leaves them empty (from configuration). */
public record RowDefaults(int width, int height, int nSeconds, int nVariants, int maxPromptChars) {
}
