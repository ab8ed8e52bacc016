package dev.sorabatch.csv;

/** Values for the optional columns when a row leaves them empty, and the rules of the service a row must meet. */
public record RowDefaults(int width, int height, int nSeconds, int nVariants, int maxPromptChars, RowRules rules) {
}
