package dev.sorabatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.sorabatch.SoraBatchApplication;

/** What a new user sees first: {@code --help} and {@code doctor} before anything is configured. */
@ExtendWith(OutputCaptureExtension.class)
class DoctorAndHelpFunctionalTests {

    @TempDir
    Path dir;

    @Test
    void doctorWithNothingConfiguredNamesEveryServicesVariables(CapturedOutput output) {
        int exit = SoraBatchApplication.run("doctor", "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("repo/jobs"),
                "--sora.dotenv.dir=" + dir, "--sora.endpoint=", "--sora.api-key=", "--sora.openai.base-url=",
                "--sora.openai.api-key=");

        assertThat(exit).isEqualTo(2);
        assertThat(output.getOut()).contains("FAIL  no video service is configured")
                .contains("AZURE_SORA_ENDPOINT and AZURE_API_KEY").contains("OPENAI_API_KEY")
                .contains("OPENAI_BASE_URL").contains("doctor --simulate").contains("a run would not start");
    }

    @Test
    void helpListsEveryColumnAndTheProvider(CapturedOutput output) {
        int exit = SoraBatchApplication.run("--help");

        assertThat(exit).isZero();
        assertThat(output.getOut()).contains("--provider=P").contains("azure-sora").contains("openai-videos");
        for (String column : new String[] { "prompt", "image_url", "id", "width, height or size (WxH)",
                "n_seconds or seconds", "n_variants", "model" }) {
            assertThat(output.getOut()).as("column %s", column).contains(column);
        }
    }
}
