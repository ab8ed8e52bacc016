package dev.sorabatch.i18n;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MessagesTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\d+)\\}");

    @AfterEach
    void english() {
        Messages.use("en");
    }

    @Test
    void everyMessageExistsInBothLanguagesWithTheSameArguments() throws Exception {
        Properties en = load("i18n/messages.properties");
        Properties fr = load("i18n/messages_fr.properties");

        assertThat(fr.stringPropertyNames()).isEqualTo(en.stringPropertyNames());
        for (String key : en.stringPropertyNames()) {
            assertThat(placeholders(fr.getProperty(key))).as(key).isEqualTo(placeholders(en.getProperty(key)));
        }
    }

    @Test
    void everyArgumentReachesTheTextInBothLanguages() throws Exception {
        // a stray single quote would make MessageFormat swallow the arguments after it
        Properties en = load("i18n/messages.properties");
        for (String language : Messages.LANGUAGES) {
            Messages.use(language);
            for (String key : en.stringPropertyNames()) {
                Set<Integer> indexes = placeholders(en.getProperty(key));
                Object[] args = indexes.stream().map(i -> "<arg" + i + ">").toArray();
                Object[] padded = new Object[indexes.isEmpty() ? 0 : java.util.Collections.max(indexes) + 1];
                for (int i = 0; i < padded.length; i++) {
                    padded[i] = "<arg" + i + ">";
                }
                String text = Messages.get(key, padded);
                for (Object arg : args) {
                    assertThat(text).as(language + " " + key).contains((String) arg);
                }
                assertThat(text).as(language + " " + key).doesNotContain("{").doesNotContain("''");
            }
        }
    }

    @Test
    void numbersReadTheSameInEveryLanguageAndUnknownLanguagesAreRefused() {
        Messages.use("fr");
        assertThat(Messages.get("row.where", 12345, "prompt", "x")).isEqualTo("ligne 12345, colonne prompt : x");
        Messages.use("en");
        assertThat(Messages.get("row.where", 12345, "prompt", "x")).isEqualTo("row 12345, column prompt: x");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Messages.use("de"))
                .hasMessageContaining("use one of en, fr");
    }

    private static Set<Integer> placeholders(String pattern) {
        Set<Integer> found = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(pattern);
        while (m.find()) {
            found.add(Integer.parseInt(m.group(1)));
        }
        return found;
    }

    private static Properties load(String resource) throws Exception {
        Properties p = new Properties();
        try (InputStream in = MessagesTest.class.getClassLoader().getResourceAsStream(resource)) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }
}
