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
                "--sora.openai.api-key=", "--sora.fal.key=", "--sora.fal.key-id=");

        assertThat(exit).isEqualTo(2);
        assertThat(output.getOut()).contains("FAIL  no video service is configured")
                .contains("AZURE_SORA_ENDPOINT and AZURE_API_KEY").contains("OPENAI_API_KEY")
                .contains("OPENAI_BASE_URL").contains("doctor --simulate").contains("a run would not start");
    }

    @Test
    void doctorForFalChecksTheKeyByTheFreeRequestListNamesTheModelAndNeverShowsTheKey(CapturedOutput output)
            throws Exception {
        try (mockwebserver3.MockWebServer fal = new mockwebserver3.MockWebServer()) {
            fal.start();
            fal.enqueue(new mockwebserver3.MockResponse.Builder().code(200)
                    .body("{\"items\":[],\"next_cursor\":null,\"has_more\":false}").build());

            int exit = SoraBatchApplication.run("doctor", "--provider=fal",
                    "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("repo/jobs"), "--sora.dotenv.dir=" + dir,
                    "--sora.fal.key=fal-doctor-secret-7", "--sora.fal.queue-url=" + fal.url("/"),
                    "--sora.fal.api-url=" + fal.url("/v1"), "--sora.model=fal-ai/wan-25-preview/text-to-video");

            mockwebserver3.RecordedRequest list = fal.takeRequest();
            assertThat(list.getUrl().encodedPath()).isEqualTo("/v1/models/requests/by-endpoint");
            assertThat(list.getUrl().queryParameter("limit")).isEqualTo("1");
            assertThat(list.getHeaders().get("Authorization")).isEqualTo("Key fal-doctor-secret-7");
            assertThat(exit).isZero();
            assertThat(output.getOut()).contains("OK    FAL_KEY is set").contains("accepts connections")
                    .contains("FAL_KEY accepted").contains("fal-ai/wan-25-preview/text-to-video")
                    .contains("a run would start").doesNotContain("fal-doctor-secret-7");
        }
    }

    @Test
    void helpListsEveryColumnAndTheProvider(CapturedOutput output) {
        int exit = SoraBatchApplication.run("--help");

        assertThat(exit).isZero();
        assertThat(output.getOut()).contains("--provider=P").contains("azure-sora").contains("openai-videos")
                .contains("fal");
        for (String column : new String[] { "prompt", "image_url", "id", "width, height or size (WxH)",
                "n_seconds or seconds", "n_variants", "model", "aspect_ratio", "resolution", "negative_prompt", "seed",
                "param.<name>" }) {
            assertThat(output.getOut()).as("column %s", column).contains(column);
        }
    }
}
