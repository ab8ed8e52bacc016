package dev.sorabatch.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import dev.sorabatch.csv.CsvRow;
import dev.sorabatch.csv.RowDefaults;
import dev.sorabatch.csv.RowValidator;
import dev.sorabatch.csv.VideoRequest;
import dev.sorabatch.pricing.RowCost;

/**
 * The content key: what decides a row's video changes it, what does not (the id, the order of the columns, a column
 * nobody reads) leaves it as it was, and a row read back from the ledger has the key its request had.
 */
class ContentKeyTest {

    private static final String SERVICE = "fal/fal-ai/veo3.1/fast";
    private static final RowValidator VALIDATOR = new RowValidator(new RowDefaults(0, 0, 0, 1, 32_000,
            (row, request) -> { }));

    /** A row setting every column the key reads, in one order. */
    private static Map<String, String> row() {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("id", "fox");
        row.put("prompt", "a fox in the snow");
        row.put("image_url", "https://img.example/fox.jpg");
        row.put("width", "1280");
        row.put("height", "720");
        row.put("seconds", "8");
        row.put("n_variants", "1");
        row.put("model", "fal-ai/veo3.1");
        row.put("aspect_ratio", "16:9");
        row.put("resolution", "720p");
        row.put("negative_prompt", "blur");
        row.put("seed", "42");
        row.put("param.generate_audio", "false");
        row.put("param.cfg_scale", "0.5");
        row.put("notes", "for the winter campaign");
        return row;
    }

    private static String key(Map<String, String> columns) {
        return ContentKey.of(SERVICE, request(columns));
    }

    private static VideoRequest request(Map<String, String> columns) {
        return VALIDATOR.process(new CsvRow(7, 8, columns));
    }

    private static Map<String, String> with(String column, String value) {
        Map<String, String> row = row();
        if (value == null) {
            row.remove(column);
        } else {
            row.put(column, value);
        }
        return row;
    }

    @Test
    void changingAnythingThatDecidesTheVideoChangesTheKey() {
        String key = key(row());
        Map<String, UnaryOperator<Map<String, String>>> changes = new LinkedHashMap<>();
        changes.put("prompt", r -> with("prompt", "a fox in the rain"));
        changes.put("prompt, one space more inside", r -> with("prompt", "a fox  in the snow"));
        changes.put("image_url", r -> with("image_url", "https://img.example/fox2.jpg"));
        changes.put("no image", r -> with("image_url", null));
        changes.put("width", r -> with("width", "1920"));
        changes.put("height", r -> with("height", "1080"));
        changes.put("seconds", r -> with("seconds", "6"));
        changes.put("no seconds (the model's default)", r -> with("seconds", null));
        changes.put("n_variants", r -> with("n_variants", "2"));
        changes.put("model", r -> with("model", "fal-ai/veo3.1/fast"));
        changes.put("aspect_ratio", r -> with("aspect_ratio", "9:16"));
        changes.put("resolution", r -> with("resolution", "1080p"));
        changes.put("negative_prompt", r -> with("negative_prompt", "noise"));
        changes.put("seed", r -> with("seed", "43"));
        changes.put("a param's value", r -> with("param.cfg_scale", "0.6"));
        changes.put("a param more", r -> with("param.steps", "30"));
        changes.put("a param's name", r -> {
            Map<String, String> renamed = with("param.cfg_scale", null);
            renamed.put("param.guidance", "0.5");
            return renamed;
        });
        List<String> keys = new ArrayList<>(List.of(key));
        changes.forEach((what, change) -> {
            String changed = key(change.apply(row()));
            assertThat(changed).as(what).isNotEqualTo(key);
            keys.add(changed);
        });
        assertThat(keys).as("each change gives a key of its own").doesNotHaveDuplicates();
        assertThat(ContentKey.of("fal/fal-ai/kling-video", request(row()))).as("another service").isNotEqualTo(key);
        assertThat(ContentKey.of("simulator " + SERVICE, request(row()))).as("the simulator").isNotEqualTo(key);
        assertThat(key).matches("[0-9a-f]{64}");
    }

    @Test
    void theIdTheRowNumberTheColumnOrderAndOtherColumnsDoNotChangeIt() {
        Map<String, String> reordered = new LinkedHashMap<>();
        List<String> columns = new ArrayList<>(row().keySet());
        java.util.Collections.reverse(columns);
        columns.forEach(column -> reordered.put(column, row().get(column)));
        reordered.put("id", "another-name");
        reordered.put("notes", "moved to the spring campaign");
        reordered.put("owner", "marketing");

        VideoRequest elsewhere = VALIDATOR.process(new CsvRow(1, 2, reordered));

        assertThat(ContentKey.of(SERVICE, elsewhere)).isEqualTo(key(row()));
        assertThat(key(with("prompt", "  a fox in the snow \n"))).as("a prompt is read stripped, as it is sent")
                .isEqualTo(key(row()));
    }

    @Test
    void aRowReadBackFromTheLedgerHasTheKeyOfItsRequest() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(
                "jdbc:h2:mem:content-key-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
        dev.sorabatch.ledger.LedgerSchema.migrate(dataSource);
        Ledger ledger = new Ledger(new JdbcTemplate(dataSource), new DataSourceTransactionManager(dataSource));
        VideoRequest request = request(row());
        VideoRequest defaultDuration = request(with("seconds", null));

        ledger.recordSubmitting(1, request, "fox", null, "default", new RowCost(null, "fal", "fal-ai/veo3.1", null));
        ledger.recordSubmitting(2, defaultDuration, "fox", null, "default", new RowCost(null, "fal", "fal-ai/veo3.1", null));

        assertThat(ContentKey.of(SERVICE, ledger.find(1, 7).orElseThrow())).isEqualTo(ContentKey.of(SERVICE, request));
        assertThat(ContentKey.of(SERVICE, ledger.find(2, 7).orElseThrow()))
                .isEqualTo(ContentKey.of(SERVICE, defaultDuration));
    }
}
