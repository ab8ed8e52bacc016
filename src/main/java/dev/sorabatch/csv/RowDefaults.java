package dev.sorabatch.csv;

import dev.sorabatch.sora.Provider;

/** Values for the optional columns when a row leaves them empty, and the protocol whose limits a row must meet. */
public record RowDefaults(int width, int height, int nSeconds, int nVariants, int maxPromptChars, Provider provider) {

    /** Azure Sora's limits (tests and callers that do not choose). */
    public RowDefaults(int width, int height, int nSeconds, int nVariants, int maxPromptChars) {
        this(width, height, nSeconds, nVariants, maxPromptChars, Provider.AZURE_SORA);
    }
}
