package dev.sorabatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.sorabatch.csv.VideoRequest;

class FileStemsTest {

    @Test
    void hostileIdsNeverLeaveTheOutputFolder() {
        Path out = Path.of("/srv/out");
        for (String id : new String[] { "../../etc/passwd", "/abs/path", "..", ".hidden", "a/../../b", "con:1",
                "C:\\Windows\\x", "\u0000nul", "   ", "é/../..", "\u2025/x" }) {
            String stem = FileStems.sanitise(id);
            Path file = out.resolve(FileStems.fileName(stem.isEmpty() ? "row-0001" : stem, 0, 1, "mp4")).normalize();
            assertThat(file.getParent()).as(id).isEqualTo(out);
            assertThat(file.getFileName().toString()).as(id).doesNotStartWith(".");
        }
    }

    @Test
    void rowsWithoutIdAreNamedByRowAndDuplicatesGetTheirRowAppended() {
        Names names = new Names();

        assertThat(names.assign(request(1, "clip", 1))).isEqualTo("clip");
        assertThat(names.assign(request(2, "clip", 1))).isEqualTo("clip-row-0002");
        assertThat(names.assign(request(3, null, 1))).isEqualTo("row-0003");
        assertThat(FileStems.fileName("clip", 1, 2, "jpg")).isEqualTo("clip-v2.jpg");
    }

    @Test
    void anIdThatLooksLikeTheRowSuffixOfAnotherRowDoesNotShareItsFiles() {
        Names names = new Names();

        names.assign(request(1, "x-row-0003", 1));
        names.assign(request(2, "x", 1));
        String third = names.assign(request(3, "x", 1));

        assertThat(third).isNotEqualTo("x-row-0003").startsWith("x-row-0003-");
        names.assertNoFileGivenTwice();
    }

    @Test
    void anIdThatLooksLikeAVariantOfAnotherRowDoesNotShareItsFiles() {
        for (boolean variantsFirst : new boolean[] { false, true }) {
            Names names = new Names();
            List<VideoRequest> rows = new ArrayList<>(List.of(request(1, "v-v2", 1), request(2, "v", 2)));
            if (variantsFirst) {
                rows = List.of(request(1, "v", 2), request(2, "v-v2", 1));
            }
            rows.forEach(names::assign);

            names.assertNoFileGivenTwice();
        }
    }

    @Test
    void idsThatDifferOnlyInCaseGetDifferentFilesForCaseInsensitiveFileSystems() {
        Names names = new Names();

        assertThat(names.assign(request(1, "Lake", 1))).isEqualTo("Lake");
        assertThat(names.assign(request(2, "lake", 1))).isEqualTo("lake-row-0002");
        names.assertNoFileGivenTwice();
    }

    @Test
    void aFileAlreadyInTheFolderGetsTheNextFreeNumber() {
        Names names = new Names();
        names.onDisk.addAll(List.of("lake.mp4", "lake-2.jpg", "boats-v2.mp4"));

        assertThat(names.assign(request(1, "lake", 1))).isEqualTo("lake-3");
        assertThat(names.assign(request(2, "boats", 2))).isEqualTo("boats-2");
        assertThat(names.assign(request(3, "boats", 1))).isEqualTo("boats"); // boats.mp4 is free: no file is shared
    }

    @Test
    void windowsDeviceNamesAreMadeSafeWithOrWithoutAnExtension() {
        for (String id : new String[] { "CON", "nul", "aux", "Prn", "COM1", "lpt1", "con.txt", "NUL.tar.gz", "COM\u00b9" }) {
            String stem = FileStems.sanitise(id);
            for (String file : List.of(FileStems.fileName(stem, 0, 1, "mp4"), FileStems.fileName(stem, 0, 2, "jpg"))) {
                String device = file.substring(0, file.indexOf('.')).toUpperCase(Locale.ROOT);
                assertThat(device).as(id + " → " + file).doesNotMatch("CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9]");
            }
        }
        assertThat(FileStems.sanitise("CON")).isEqualTo("CON_");
        assertThat(FileStems.sanitise("con.txt")).isEqualTo("con_.txt");
        assertThat(FileStems.sanitise("console")).isEqualTo("console");
    }

    @Test
    void accentedLettersAreSpelledWithoutTheirAccentsInsteadOfDropped() {
        assertThat(FileStems.sanitise("Un café crème")).isEqualTo("Un_cafe_creme");
        assertThat(FileStems.sanitise("Ærø")).isEqualTo("AEro");
        assertThat(FileStems.sanitise("Straße in Łódź")).isEqualTo("Strasse_in_Lodz");
        assertThat(FileStems.sanitise("Œuvre ﬁnale")).isEqualTo("OEuvre_finale");
        assertThat(FileStems.sanitise("日本")).isEmpty();
    }

    private static VideoRequest request(int row, String id, int variants) {
        return new VideoRequest(row, id, "p", null, 480, 480, 5, variants);
    }

    /** What FileNameRegistry does with the ledger and the output folder, in memory. */
    private static final class Names {
        final Set<String> reserved = new HashSet<>();
        final Set<String> onDisk = new HashSet<>();
        final List<String> files = new ArrayList<>();

        String assign(VideoRequest request) {
            int variants = request.nVariants();
            String stem = FileStems.assign(request, candidate -> FileStems.names(candidate, variants).stream()
                    .map(FileStems::key).anyMatch(reserved::contains) ? FileStems.Taken.BY_ANOTHER_ROW
                    : FileStems.fileNames(candidate, variants).stream()
                            .anyMatch(n -> onDisk.contains(n + ".mp4") || onDisk.contains(n + ".jpg"))
                                    ? FileStems.Taken.ON_DISK : FileStems.Taken.FREE);
            FileStems.names(stem, variants).forEach(n -> reserved.add(FileStems.key(n)));
            for (int i = 0; i < variants; i++) {
                files.add(FileStems.fileName(stem, i, variants, "mp4"));
                files.add(FileStems.fileName(stem, i, variants, "jpg"));
            }
            return stem;
        }

        void assertNoFileGivenTwice() {
            assertThat(files.stream().map(FileStems::key)).as(files.toString()).doesNotHaveDuplicates();
        }
    }
}
