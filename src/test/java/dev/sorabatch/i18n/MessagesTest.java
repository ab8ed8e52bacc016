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

    /** {0}, and {0,number,…} or {0,choice,…}: an argument formatted for the language, which must be a number */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\d+)[,}]");
    private static final Pattern FORMATTED = Pattern.compile("\\{(\\d+),(?:number|choice)");

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
        Properties fr = load("i18n/messages_fr.properties");
        for (String language : Messages.LANGUAGES) {
            Messages.use(language);
            for (String key : en.stringPropertyNames()) {
                Set<Integer> indexes = placeholders(en.getProperty(key));
                Set<Integer> numbers = formatted(en.getProperty(key) + fr.getProperty(key));
                Object[] padded = new Object[indexes.isEmpty() ? 0 : java.util.Collections.max(indexes) + 1];
                for (int i = 0; i < padded.length; i++) {
                    // a plural or a formatted number takes a number; 700 + i is plural in every language
                    padded[i] = numbers.contains(i) ? (Object) (700 + i) : "<arg" + i + ">";
                }
                String text = Messages.get(key, padded);
                for (int i : indexes) {
                    assertThat(text).as(language + " " + key).contains(String.valueOf(padded[i]));
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

    @Test
    void frenchCountsAgreeWithTheirNumber() {
        Messages.use("fr");
        assertThat(Messages.get("run.summary", 1, 0, 1, "", 5, "1 s", 1, "1,0", "rapport : r.csv"))
                .startsWith("sora-batch : 1 réussie, 0 en échec, 1 ignorée · 5 s de vidéo · durée 1 s · 1 requête (1,0 par vidéo)");
        assertThat(Messages.get("run.summary", 0, 2, 12345, "", 5, "1 s", 8, "4,0", "rapport : r.csv"))
                .startsWith("sora-batch : 0 réussie, 2 en échec, 12345 ignorées · 5 s de vidéo · durée 1 s · 8 requêtes");
        assertThat(Messages.get("dry.summary", "a.csv", 1, 1, 0, 1, 4))
                .isEqualTo("sora-batch, essai à blanc de a.csv : 1 ligne, 1 serait envoyée, 0 serait ignorée · 1 vidéo · 4 s de vidéo");
        assertThat(Messages.get("dry.summary", "a.csv", 3, 2, 2, 4, 4))
                .contains("3 lignes, 2 seraient envoyées, 2 seraient ignorées · 4 vidéos");
        assertThat(Messages.get("doctor.not-ready", 1)).isEqualTo(
                "sora-batch doctor : 1 problème ; une exécution ne démarrerait pas. Corrigez-le puis relancez doctor.");
        assertThat(Messages.get("progress.bar.skipped", 1)).isEqualTo("1 ignorée");
        assertThat(Messages.get("log.row-submitted", 1, " (a)", "task_1", 854, 480, 5, 2, 1, ""))
                .isEqualTo("ligne 1 (a) : soumise comme tâche task_1 (854 x 480, 5 s, 2 variantes ; tentative 1)");
    }

    @Test
    void frenchSaysUseOneWhenOneIsAllTheRangeHolds() {
        Messages.use("fr");
        assertThat(Messages.get("row.variants", "2", "1920x1080", 1))
                .isEqualTo("« 2 » variantes en 1920x1080 ne sont pas permises. Utilisez 1 à cette résolution (1080p : 1, 720p : 2, plus petite : 4).");
        assertThat(Messages.get("row.variants", "5", "480x480", 4)).contains("Utilisez de 1 à 4 à cette résolution");
        Messages.use("en");
        assertThat(Messages.get("row.variants", "2", "1920x1080", 1)).contains("Use 1 to 1 at this resolution");
    }

    @Test
    void decimalsTakeTheLanguagesMarkAndEnglishKeepsItsText() {
        Messages.use("fr");
        assertThat(Messages.decimal(4.0, 1)).isEqualTo("4,0");
        assertThat(Messages.decimal(new java.math.BigDecimal("0.001"))).isEqualTo("0,001");
        assertThat(Messages.get("log.row-succeeded", 1, "task_1", "a.mp4")).isEqualTo("ligne 1 : réussie, tâche task_1 → a.mp4");
        Messages.use("en");
        assertThat(Messages.decimal(4.0, 1)).isEqualTo("4.0");
        assertThat(Messages.decimal(new java.math.BigDecimal("0.45"))).isEqualTo("0.45");
        assertThat(Messages.get("log.row-submitted", 1, " (a)", "task_1", 854, 480, 5, 1, 1, ""))
                .isEqualTo("row 1 (a): submitted as job task_1 (854 x 480, 5 s, 1 variant(s); attempt 1)");
        assertThat(Messages.get("log.row-succeeded", 1, "task_1", "a.mp4")).isEqualTo("row 1: SUCCEEDED, job task_1 → a.mp4");
        assertThat(Messages.get("run.summary", 1, 0, 1, "", 5, "1 s", 12345, "4.0", "report: r.csv"))
                .isEqualTo("sora-batch: 1 succeeded, 0 failed, 1 skipped · 5 s of video · 1 s wall time · 12345 requests (4.0 per video) · report: r.csv");
    }

    private static Set<Integer> formatted(String pattern) {
        return indexes(FORMATTED, pattern);
    }

    private static Set<Integer> placeholders(String pattern) {
        return indexes(PLACEHOLDER, pattern);
    }

    private static Set<Integer> indexes(Pattern argument, String pattern) {
        Set<Integer> found = new TreeSet<>();
        Matcher m = argument.matcher(pattern);
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
