package dev.sorabatch.i18n;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.springframework.context.support.ResourceBundleMessageSource;

/**
 * What sora-batch says to people (diagnoses, the summary, the reports), in their language: English or French
 * ({@code --lang=fr}), from the bundles {@code i18n/messages*.properties} through Spring's {@code MessageSource}.
 * The language is chosen once per process, before anything is said, and the diagnoses are made deep inside the
 * job, so it is held here rather than passed through every call.
 */
public final class Messages {

    public static final List<String> LANGUAGES = List.of("en", "fr");

    private static final ResourceBundleMessageSource SOURCE = new ResourceBundleMessageSource();
    private static volatile Locale locale = Locale.ENGLISH;

    static {
        SOURCE.setBasename("i18n/messages");
        SOURCE.setDefaultEncoding("UTF-8");
        // English is the base bundle: a French machine running with --lang=en must not get French.
        SOURCE.setFallbackToSystemLocale(false);
        SOURCE.setAlwaysUseMessageFormat(true);
    }

    private Messages() {
    }

    /** @throws IllegalArgumentException for a language without a bundle */
    public static void use(String language) {
        String lang = language == null ? "en" : language.strip().toLowerCase(Locale.ROOT);
        if (!LANGUAGES.contains(lang)) {
            throw new IllegalArgumentException("language '" + language + "' is not available; use one of "
                    + String.join(", ", LANGUAGES));
        }
        locale = Locale.forLanguageTag(lang);
    }

    public static Locale locale() {
        return locale;
    }

    /** The message {@code key}, or {@code fallback} when no bundle has it. */
    public static String getOrDefault(String key, String fallback) {
        return SOURCE.getMessage(key, null, fallback, locale);
    }

    /**
     * The message {@code key} with its arguments. Numbers are passed as text: a row number, an HTTP status or a
     * count of seconds reads the same in every language (no "1 234" or "1,234").
     */
    public static String get(String key, Object... args) {
        Object[] plain = Arrays.stream(args).map(a -> a instanceof Number ? a.toString() : a).toArray();
        return SOURCE.getMessage(key, plain, locale);
    }
}
