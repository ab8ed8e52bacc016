package dev.sorabatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.sorabatch.csv.VideoRequest;

class FileStemsTest {

    @Test
    void hostileIdsNeverLeaveTheOutputFolder() {
        Path out = Path.of("/srv/out");
        for (String id : new String[] { "../../etc/passwd", "/abs/path", "..", ".hidden", "a/../../b", "con:1",
                "C:\\Windows\\x", "\u0000nul", "   " }) {
            String stem = FileStems.sanitise(id);
            Path file = out.resolve(FileStems.fileName(stem.isEmpty() ? "row-0001" : stem, 0, 1, "mp4")).normalize();
            assertThat(file.getParent()).as(id).isEqualTo(out);
            assertThat(file.getFileName().toString()).as(id).doesNotStartWith(".");
        }
    }

    @Test
    void rowsWithoutIdAreNamedByRowAndDuplicatesGetTheirRowAppended() {
        Set<String> taken = new HashSet<>();

        String first = FileStems.assign(request(1, "clip"), taken::contains);
        taken.add(first);
        String second = FileStems.assign(request(2, "clip"), taken::contains);
        taken.add(second);
        String third = FileStems.assign(request(3, null), taken::contains);

        assertThat(first).isEqualTo("clip");
        assertThat(second).isEqualTo("clip-row-0002");
        assertThat(third).isEqualTo("row-0003");
        assertThat(FileStems.fileName("clip", 1, 2, "jpg")).isEqualTo("clip-v2.jpg");
    }

    private static VideoRequest request(int row, String id) {
        return new VideoRequest(row, id, "p", null, 480, 480, 5, 1);
    }
}
