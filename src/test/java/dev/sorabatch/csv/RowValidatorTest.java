package dev.sorabatch.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RowValidatorTest {

    private final RowValidator validator = new RowValidator(new RowDefaults(480, 480, 5, 1, 100, new dev.sorabatch.provider.azure.AzureRowRules()));

    @Test
    void emptyColumnsTakeTheConfiguredDefaults() {
        VideoRequest request = validator.process(row("prompt", "  A calm lake at dawn  "));

        assertThat(request).isEqualTo(new VideoRequest(7, null, "A calm lake at dawn", null, 480, 480, 5, 1));
    }

    @Test
    void perRowValuesOverrideTheDefaults() {
        VideoRequest request = validator.process(row("prompt", "p", "id", "x-1", "width", "1280", "height", "720",
                "n_seconds", "12", "n_variants", "2", "image_url", "https://cdn.test/a.png"));

        assertThat(request).isEqualTo(new VideoRequest(7, "x-1", "p", "https://cdn.test/a.png", 1280, 720, 12, 2));
    }

    @Test
    void eachInvalidValueIsNamedWithTheColumnAndTheAllowedValues() {
        assertInvalid(row("prompt", "   "), "prompt", "empty");
        assertInvalid(row("prompt", "x".repeat(101)), "prompt", "101 characters");
        assertInvalid(row("prompt", "p", "width", "1000", "height", "1000"), "width/height",
                "1000x1000 is not supported", "1920x1080");
        assertInvalid(row("prompt", "p", "n_seconds", "21"), "n_seconds", "'21'", "1 to 20");
        assertInvalid(row("prompt", "p", "n_seconds", "0"), "n_seconds", "1 to 20");
        assertInvalid(row("prompt", "p", "n_seconds", "five"), "n_seconds", "'five' is not a whole number");
        assertInvalid(row("prompt", "p", "width", "1920", "height", "1080", "n_variants", "2"), "n_variants",
                "Use 1 to 1");
        assertInvalid(row("prompt", "p", "width", "720", "height", "720", "n_variants", "3"), "n_variants", "1 to 2");
        assertInvalid(row("prompt", "p", "n_variants", "5"), "n_variants", "1 to 4");
        assertInvalid(row("prompt", "p", "image_url", "ftp://files.test/a.jpg"), "image_url", "not an http(s) URL");
        assertInvalid(row("prompt", "p", "image_url", "C:\\pictures\\dog.jpg"), "image_url", "not a valid URL");
        assertInvalid(row("prompt", "p", "image_url", "https:///nohost.jpg"), "image_url", "no host");
    }

    private void assertInvalid(CsvRow row, String column, String... fragments) {
        assertThatThrownBy(() -> validator.process(row)).isInstanceOfSatisfying(InvalidRowException.class, e -> {
            assertThat(e.column()).isEqualTo(column);
            assertThat(e.getMessage()).startsWith("row 7, column " + column + ": ").contains(fragments);
        });
    }

    private static CsvRow row(String... pairs) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        return new CsvRow(7, 8, values);
    }
}
