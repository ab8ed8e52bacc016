package dev.sorabatch.sora;

/** An API credential. Its {@code toString} never shows it, so it cannot leak through logs or messages. */
public record ApiKey(String value) {

    public boolean isBlank() {
        return value == null || value.isBlank();
    }

    @Override
    public String toString() {
        return isBlank() ? "(not set)" : "****";
    }
}
