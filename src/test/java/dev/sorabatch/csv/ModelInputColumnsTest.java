package dev.sorabatch.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.infrastructure.item.ExecutionContext;

import dev.sorabatch.provider.azure.AzureRowRules;
import dev.sorabatch.provider.openai.VideosRowRules;
import dev.sorabatch.service.ModelInputs;

/** The model-input columns: read from the file, carried by the request, refused by services that take none. */
class ModelInputColumnsTest {

    @TempDir
    Path dir;

    private static final RowDefaults TAKES_ALL = new RowDefaults(0, 0, 0, 1, 32_000, (row, request) -> { });

    @Test
    void theNewColumnsAndEveryParamColumnAreReadWithTheParamNameKeptAsWritten() throws Exception {
        Path csv = dir.resolve("in.csv");
        Files.writeString(csv, "prompt, Aspect Ratio ,resolution,Negative-Prompt,seed,param.cfg_Scale,Param.Steps,"
                + "param.,mood\n"
                + "a fox,9:16,1080p,  blurry frames  ,42,0.5,30,x,calm\n", StandardCharsets.UTF_8);
        PromptCsvReader reader = new PromptCsvReader(csv);
        reader.open(new ExecutionContext());
        CsvRow row = reader.read();
        reader.close();

        VideoRequest request = new RowValidator(TAKES_ALL).process(row);

        ModelInputs inputs = request.inputs();
        assertThat(inputs.aspectRatio()).isEqualTo("9:16");
        assertThat(inputs.resolution()).isEqualTo("1080p");
        assertThat(inputs.negativePrompt()).isEqualTo("blurry frames");
        assertThat(inputs.seed()).isEqualTo(42L);
        assertThat(inputs.params()).containsExactly(Map.entry("cfg_Scale", "0.5"), Map.entry("Steps", "30"));
        assertThat(row.value("mood")).as("another unknown column is read and left alone, as before")
                .isEqualTo("calm");
        assertThat(inputs.defaultDuration()).as("no seconds and none configured: the model's own").isTrue();
    }

    @Test
    void aRowWithoutThemCarriesNoInputsAndAnExplicitSecondsIsNotTheDefault() {
        VideoRequest plain = new RowValidator(TAKES_ALL).process(row("prompt", "p", "seconds", "6"));

        assertThat(plain.inputs().isEmpty()).isTrue();
        assertThat(plain.inputs().defaultDuration()).isFalse();
        assertThat(plain.nSeconds()).isEqualTo(6);
    }

    @Test
    void aSeedThatIsNotAWholeNumberIsRefused() {
        assertThatThrownBy(() -> new RowValidator(TAKES_ALL).process(row("prompt", "p", "seed", "4.5")))
                .isInstanceOfSatisfying(InvalidRowException.class, e -> {
                    assertThat(e.column()).isEqualTo("seed");
                    assertThat(e.getMessage()).contains("'4.5' is not a whole number");
                });
    }

    @Test
    void theSoraProvidersRefuseAModelInputTheyWouldDropNamingColumnAndProvider() {
        RowValidator azure = new RowValidator(new RowDefaults(480, 480, 5, 1, 32_000, new AzureRowRules()));
        RowValidator videos = new RowValidator(new RowDefaults(720, 1280, 4, 1, 32_000, new VideosRowRules()));

        assertThatThrownBy(() -> azure.process(row("prompt", "p", "aspect_ratio", "16:9")))
                .isInstanceOfSatisfying(InvalidRowException.class, e -> {
                    assertThat(e.column()).isEqualTo("aspect_ratio");
                    assertThat(e.getMessage()).contains("column aspect_ratio is not used by provider azure-sora");
                });
        assertThatThrownBy(() -> videos.process(row("prompt", "p", "param.cfg_scale", "0.5")))
                .hasMessageContaining("column param.cfg_scale is not used by provider openai-videos");
        assertThatThrownBy(() -> videos.process(row("prompt", "p", "resolution", "720p")))
                .hasMessageContaining("column resolution is not used by provider openai-videos");
        assertThat(azure.process(row("prompt", "p", "aspect_ratio", "  ")).inputs().isEmpty())
                .as("an empty cell sets nothing").isTrue();
    }

    private static CsvRow row(String... pairs) {
        Map<String, String> values = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        return new CsvRow(3, 4, values);
    }
}
