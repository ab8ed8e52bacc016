package dev.sorabatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DotEnvEnvironmentPostProcessorTest {

    @TempDir
    Path dir;

    @Test
    void readsTheUsualShapesAndNamesEveryLineItCannotUseWithoutShowingIt() throws Exception {
        Path env = dir.resolve(".env");
        Files.writeString(env, "\uFEFF# comment\n"
                + "export AZURE_SORA_ENDPOINT = \"https://r.openai.azure.com\"\n"
                + "\n"
                + "AZURE_API_KEY sk-secret-without-equals\n"
                + "SORA_MAX_IN_FLIGHT=4 # inline comment\n"
                + "my key=value\n"
                + "QUOTED='a # not a comment'\n", StandardCharsets.UTF_8);
        List<String> problems = new ArrayList<>();

        Map<String, String> values = DotEnvEnvironmentPostProcessor.read(env, problems);

        assertThat(values).containsEntry("AZURE_SORA_ENDPOINT", "https://r.openai.azure.com")
                .containsEntry("SORA_MAX_IN_FLIGHT", "4").containsEntry("QUOTED", "a # not a comment")
                .doesNotContainKey("AZURE_API_KEY").hasSize(3);
        assertThat(problems).containsExactly(env + ":4:no-equals", env + ":6:bad-name");
        assertThat(String.join(" ", problems)).doesNotContain("sk-secret");
    }

    @Test
    void aFileThatIsNotUtf8IsReportedNotSilentlyIgnored() throws Exception {
        Path env = dir.resolve(".env.local");
        Files.write(env, "AZURE_API_KEY=caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        List<String> problems = new ArrayList<>();

        assertThat(DotEnvEnvironmentPostProcessor.read(env, problems)).isEmpty();
        assertThat(problems).containsExactly(env + ":0:not-utf8");

        SoraProperties.Dotenv dotenv = new SoraProperties.Dotenv(".", problems);
        assertThat(dotenv.describedProblems()).containsExactly(env + ": not UTF-8 text, so none of it was read. Save "
                + "it as UTF-8 (in Notepad: Save as \u2192 Encoding UTF-8).");
    }
}
