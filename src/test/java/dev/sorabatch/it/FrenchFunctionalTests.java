package dev.sorabatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.sorabatch.i18n.Messages;
import dev.sorabatch.cli.SoraSimulator;

/**
 * {@code --lang=fr} as a French user sees it: every kind of row (succeeded, refused, failed at the service, a dead
 * image link, invalid, unreadable, over budget), a dry run and doctor, and not one English label left in the
 * console, report.csv or report.html. The fixed tokens (columns, statuses, error codes, ids, URLs, paths,
 * options and properties) are the same in every language and are left out of the check.
 */
@ExtendWith(OutputCaptureExtension.class)
class FrenchFunctionalTests {

    private static final String KEY = "test-key-do-not-print-fr";

    /** English words and phrases of sora-batch's own that a French user must not meet. */
    private static final List<String> ENGLISH = List.of("row", "rows", "submitted as job", "submitted", "SUCCEEDED, job",
            "FAILED, job", "SKIPPED:", "variant(s)", "variants", "attempt", "answered HTTP", "Not sent",
            "checking the simulator", "could not", "cannot", "will try again", "retrying", "succeeded", "failed",
            "skipped", "requests", "per video", "report:", "of video", "wall time", "would be", "estimated cost",
            "nothing was sent", "is empty", "column", "the", "is not allowed", "Use", "job", "image URL", "done",
            "in flight", "elapsed", "left", "problem(s)");

    /** Fixed tokens, the same in every language: they are taken out before the check. */
    private static final List<Pattern> FIXED = List.of(
            Pattern.compile("https?://\\S+"), // URLs (the simulator's, the image links)
            Pattern.compile("(?:--|\\b)sora\\.[\\w.\\-\\[\\]<>]+(?:=\\S*)?"), // properties
            Pattern.compile("--[\\w\\-]+(?:=\\S*)?"), // options
            Pattern.compile("\\b(?:task|gen|video)_\\w+"), // job and generation ids
            Pattern.compile("\\b[A-Z][A-Z_]{2,}\\b"), // statuses, variable names, log levels
            Pattern.compile("\\b[a-z]+(?:_[a-z]+)+\\b"), // error codes and column names (input_moderation, image_url)
            Pattern.compile("«\\s?[^\\s»]+\\s?»"), // a value quoted as it was received ('failed', '2')
            Pattern.compile("\\bsora-batch( doctor)?\\b")); // the program's name, prefix of its lines

    @TempDir
    Path dir;

    private SoraSimulator simulator;

    @AfterEach
    void back() {
        Messages.use("en");
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void aFrenchRunHasNoEnglishLabelInItsConsoleOrItsReports(CapturedOutput output) throws Exception {
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        String images = simulator.baseUrl() + SoraSimulator.IMAGE_PATH;
        BatchRun run = new BatchRun(dir).csv("id,prompt,image_url,width,height,n_seconds,n_variants\n"
                + "coucher,Un coucher de soleil sur la mer,,854,480,5,1\n"
                + "refus,Une vedette [moderation],,,,,\n"
                + "panne,Un orage [fail],,,,,\n"
                + "lien,Un chien," + images + "/cdn/missing.jpg,,,,\n"
                + "grand,Une forêt,,1920,1080,,2\n"
                + "long,Une rivière,,,,21,\n"
                + "virgule,Un champ, du blé,,,,,,du vent\n"
                + "tard,Une ville la nuit,,,,,\n");

        int exit = run.against(simulator, "--lang=fr", "--max-video-seconds=20");

        assertThat(exit).isEqualTo(3);
        Map<String, Map<String, String>> byId = byId(run.report());
        assertThat(byId.get("coucher")).containsEntry("status", "SUCCEEDED");
        assertThat(byId.get("refus")).containsEntry("status", "FAILED").containsEntry("error_code", "input_moderation");
        assertThat(byId.get("panne")).containsEntry("status", "FAILED").containsEntry("error_code", "internal_error");
        assertThat(byId.get("lien")).containsEntry("status", "FAILED").containsEntry("http_status", "404");
        assertThat(byId.get("grand")).containsEntry("status", "SKIPPED").containsEntry("error_code", "invalid_n_variants");
        assertThat(byId.get("tard")).containsEntry("status", "SKIPPED").containsEntry("error_code", "budget_reached");
        // the words a French user reads, in good French
        assertThat(byId.get("lien").get("diagnosis")).contains("l’URL de l’image a répondu HTTP 404");
        assertThat(byId.get("grand").get("diagnosis")).startsWith("Non envoyée (aucun coût) : ligne 5")
                .contains("« 2 » variantes en 1920x1080 ne sont pas permises. Utilisez 1 à cette résolution");
        String console = output.getAll();
        assertThat(console).contains("ligne 1 (coucher) : soumise comme tâche task_")
                .contains("(854 x 480, 5 s, 1 variante ; tentative 1)")
                .contains("ligne 1 : réussie, tâche task_")
                .contains("ligne 3 : en échec, tâche task_")
                .contains("sora-batch : 1 réussie, 3 en échec, 4 ignorées");
        assertThat(console).containsPattern("\\d+,\\d par vidéo");

        List<String> english = new ArrayList<>();
        english.addAll(englishIn("console", console.replace(dir.toString(), "")));
        for (Map<String, String> row : byId.values()) {
            for (String column : List.of("error_message", "diagnosis")) {
                english.addAll(englishIn("report.csv row " + row.get("row") + " " + column, row.get(column)));
            }
        }
        english.addAll(englishIn("report.html", visibleText(Files.readString(run.output.resolve("report.html")))
                .replace(dir.toString(), "")));
        assertThat(english).as("English left under --lang=fr").isEmpty();
    }

    @Test
    void aFrenchDryRunCountsInFrenchWithFrenchNumbers(CapturedOutput output) throws Exception {
        BatchRun run = new BatchRun(dir).csv("prompt,width,height,n_seconds,n_variants\n"
                + "un renard,480,480,4,1\n"
                + "un hibou,1920,1080,5,2\n");

        int exit = run.run("--dry-run", "--lang=fr", "--sora.pricing.per-second.480x480=0.001");

        assertThat(exit).isEqualTo(3);
        assertThat(output.getOut()).contains("2 lignes, 1 serait envoyée, 1 serait ignorée · 1 vidéo · 4 s de vidéo")
                .contains("480x480 : 4 s de vidéo × 0,001 = 0,00").contains("coût estimé : 0,00");
        assertThat(englishIn("dry run", output.getAll().replace(dir.toString(), ""))).isEmpty();
    }

    @Test
    void frenchDoctorOnTheSimulatorSpeaksFrench(CapturedOutput output) throws Exception {
        BatchRun run = new BatchRun(dir);

        int exit = run.run("doctor", "--simulate", "--lang=fr");

        assertThat(exit).isZero();
        assertThat(output.getOut()).contains("sora-batch doctor : vérification du simulateur sur http://");
        assertThat(englishIn("doctor", output.getAll().replace(dir.toString(), ""))).isEmpty();
    }

    @Test
    void aFrenchFileWithoutAPromptColumnIsRefusedInFrench(CapturedOutput output) throws Exception {
        BatchRun run = new BatchRun(dir).csv("texte,largeur\nun renard,480\n");

        int exit = run.run("--simulate", "--lang=fr");

        assertThat(exit).isEqualTo(2);
        assertThat(output.getErr()).contains("l’en-tête n’a pas de colonne « prompt » (trouvé : texte, largeur)");
        assertThat(englishIn("header", output.getAll().replace(dir.toString(), ""))).isEmpty();
    }

    /** Each English word or phrase found in {@code text}, with the line it is on. */
    static List<String> englishIn(String where, String text) {
        List<String> found = new ArrayList<>();
        if (text == null) {
            return found;
        }
        for (String line : text.split("\\R")) {
            String words = line;
            for (Pattern fixed : FIXED) {
                words = fixed.matcher(words).replaceAll(" ");
            }
            for (String phrase : ENGLISH) {
                Matcher m = Pattern.compile("(?<![\\p{L}])" + Pattern.quote(phrase) + "(?![\\p{L}])",
                        Pattern.CASE_INSENSITIVE).matcher(words);
                if (m.find()) {
                    found.add(where + ": \"" + phrase + "\" in: " + line.strip());
                }
            }
        }
        return found;
    }

    /** The text a reader sees in the page: its elements' text and the alt, title, label and placeholder texts. */
    private static String visibleText(String html) {
        String body = html.replaceAll("(?s)<script.*?</script>|<style.*?</style>", " ");
        StringBuilder text = new StringBuilder();
        Matcher attributes = Pattern.compile("(?:alt|title|aria-label|placeholder)=\"([^\"]*)\"").matcher(body);
        while (attributes.find()) {
            text.append(attributes.group(1)).append('\n');
        }
        text.append(body.replaceAll("<[^>]*>", "\n").replace("&amp;", "&").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">"));
        return text.toString();
    }

    private static Map<String, Map<String, String>> byId(List<Map<String, String>> report) {
        Map<String, Map<String, String>> byId = new java.util.LinkedHashMap<>();
        report.forEach(r -> byId.put(r.get("id"), r));
        return byId;
    }
}
