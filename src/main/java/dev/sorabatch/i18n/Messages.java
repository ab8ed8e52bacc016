package dev.sorabatch.i18n;

import java.text.FieldPosition;
import java.text.Format;
import java.text.MessageFormat;
import java.text.ParsePosition;
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

    /**
     * A plain {@code {0}} shows its argument as it is: a row number, an HTTP status or a count of seconds reads the
     * same in every language (no "1 234" or "1,234"). A number is formatted for the language only where the
     * message says so: {@code {0,number,0.0}}, or a plural through {@code {0,choice,0#ligne|2#lignes}}.
     */
    private static final Format AS_IS = new Format() {
        @Override
        public StringBuffer format(Object value, StringBuffer to, FieldPosition pos) {
            return to.append(value);
        }

        @Override
        public Object parseObject(String source, ParsePosition pos) {
            throw new UnsupportedOperationException();
        }
    };

    private static final ResourceBundleMessageSource SOURCE = new ResourceBundleMessageSource() {
        @Override
        protected MessageFormat createMessageFormat(String msg, Locale locale) {
            MessageFormat format = super.createMessageFormat(msg, locale);
            Format[] formats = format.getFormats();
            for (int i = 0; i < formats.length; i++) {
                if (formats[i] == null) {
                    format.setFormat(i, AS_IS);
                }
            }
            return format;
        }
    };
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
     * The message {@code key} with its arguments. A number in a plain {@code {0}} reads the same in every language;
     * one in {@code {0,choice,…}} or {@code {0,number,…}} must be passed as a number.
     */
    public static String get(String key, Object... args) {
        return SOURCE.getMessage(key, args, locale);
    }

    /** An amount or a ratio as the language writes it: its digits as they are, with the language's decimal mark. */
    public static String decimal(java.math.BigDecimal amount) {
        return amount.toPlainString().replace('.', java.text.DecimalFormatSymbols.getInstance(locale).getDecimalSeparator());
    }

    /** {@code value} with {@code places} decimals, with the language's decimal mark ("4.0", "4,0"). */
    public static String decimal(double value, int places) {
        return String.format(locale, "%." + places + "f", value);
    }
}
