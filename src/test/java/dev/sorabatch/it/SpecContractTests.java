package dev.sorabatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.sorabatch.cli.SoraSimulator;

/**
 * The client and the simulator checked against the official OpenAPI documents: Stoplight Prism runs as a
 * validating proxy between them ({@code prism proxy <spec> <simulator>}) and the real job runs through it, so
 * every request sora-batch sends and every response the simulator returns is validated. Specs come from
 * {@code ../shared/specs} when present, else the copies in {@code src/test/resources/contract} (or
 * {@code -Dsora.specs=DIR}); Prism from {@code .ci/run}'s install
 * ({@code .tools/prism}, or {@code -Dprism.bin=PATH}). Without either the tests are skipped with a message.
 */
class SpecContractTests extends SimulatedServiceTest {

    private static final String KEY = "contract-test-key";
    /**
     * How Prism reports a violation in its log: {@code Violation: response.body.finished_at Response body property
     * finished_at must be integer}, read as {@code response.body.finished_at must be integer}.
     */
    private static final Pattern VIOLATION = Pattern.compile(
            "Violation: (\\S+) (?:(?:Request|Response) body property \\S+ |(?:Request|Response) body )?(.*)$",
            Pattern.MULTILINE);
    /** With {@code --errors}, a request that breaks the spec is answered 422 and logged as terminated. */
    private static final Pattern TERMINATED = Pattern.compile("\\[HTTP SERVER\\] (\\S+ \\S+) .*Request terminated with "
            + "error: (.*)$", Pattern.MULTILINE);

    private Process prism;

    @AfterEach
    void stopPrism() throws InterruptedException {
        if (prism != null) {
            prism.destroy();
            prism.waitFor();
        }
    }

    @Test
    void theVideosApiRunValidatesAgainstOpenAisSpec() throws Exception {
        Path spec = spec("openai-videos.yaml");
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        // --errors: any violation turns the answer into an error, so the run itself would show it too
        int port = startPrism(spec, simulator.videosBaseUrl(), true);
        String images = simulator.baseUrl() + SoraSimulator.IMAGE_PATH;
        BatchRun run = new BatchRun(dir).csv("id,prompt,size,seconds,image_url\n"
                + "text,A calm lake at dawn,1280x720,8,\n"
                + "tall,A tall waterfall,,,\n"
                + "image,The dog in this picture swims,1280x720,4," + images + "/cdn/dog.jpg\n"
                + "refused,A famous actor [moderation],,,\n"
                + "stuck,A job that never ends [stuck],,,\n");

        int exit = run.run("--sora.endpoint=http://127.0.0.1:" + port, "--sora.api-key=" + KEY,
                "--provider=openai-videos", "--sora.job-timeout=3s");

        Map<String, Map<String, String>> byId = byId(run.report());
        assertThat(violations()).as("violations in %s", prismLog()).isEmpty();
        // every kind of call went through the validating proxy
        assertThat(prismLog()).contains("post /videos ", "get /videos/video_", "get /videos/video_",
                "delete /videos/video_").containsPattern("get /videos/video_\\w+/content");
        assertThat(exit).isEqualTo(3);
        for (String id : List.of("text", "tall", "image")) {
            assertThat(byId.get(id)).as(id).containsEntry("status", "SUCCEEDED");
        }
        assertThat(byId.get("refused").get("error_code")).startsWith("moderation_blocked");
        // the time-out deleted the job at the service: DELETE /videos/{id} went through the proxy too
        assertThat(byId.get("stuck").get("diagnosis")).startsWith("Timed out after 3 s");
        assertThat(simulator.requestCount("delete")).isEqualTo(1);
    }

    @Test
    void theAzureJobsRunValidatesAgainstAzuresSpecExceptTheNamedKnownDifferences() throws Exception {
        // The spec's paths live under a server of {endpoint}/openai/v1; Prism matches paths without it.
        Path original = spec("azure-sora-preview.yaml");
        Path spec = dir.resolve("azure-sora-preview.prefixed.yaml");
        Files.writeString(spec, Files.readString(original).replaceAll("(?m)^  /video/", "  /openai/v1/video/"));
        simulator = new SoraSimulator(BatchRun.fastSimulator(), KEY).start();
        int port = startPrism(spec, simulator.baseUrl(), false);
        String images = simulator.baseUrl() + SoraSimulator.IMAGE_PATH;
        BatchRun run = new BatchRun(dir).csv("id,prompt,image_url,n_variants\n"
                + "text,A calm lake at dawn,,2\n"
                + "image,The dog in this picture swims," + images + "/cdn/dog.jpg,\n"
                + "refused,A famous actor [moderation],,\n"
                + "stuck,A job that never ends [stuck],,\n");

        int exit = run.run("--sora.endpoint=http://127.0.0.1:" + port, "--sora.api-key=" + KEY,
                "--provider=azure-sora", "--sora.job-timeout=3s");

        Map<String, Map<String, String>> byId = byId(run.report());
        assertThat(exit).as(prismLog()).isEqualTo(3);
        assertThat(byId.get("text")).containsEntry("status", "SUCCEEDED");
        assertThat(byId.get("image")).containsEntry("status", "SUCCEEDED");
        assertThat(byId.get("refused")).containsEntry("status", "FAILED");
        assertThat(byId.get("stuck").get("diagnosis")).startsWith("Timed out after 3 s");
        // Where Microsoft's own quickstart and live answers differ from the spec, the service is followed; each
        // such difference is named here, and anything else is a failure.
        Set<String> expected = Set.of(
                // the quickstart sends inpaint_items as a JSON string and one files part per file
                "request.body.inpaint_items must be array",
                "request.body.files must be array",
                // live answers carry null for these, which the spec does not declare nullable (failure_reason is
                // an anyOf of a string and an enum, so its null is reported three ways)
                "response.body.finished_at must be integer",
                "response.body.expires_at must be integer",
                "response.body.inpaint_items must be array",
                "response.body.failure_reason must be string",
                "response.body.failure_reason must be equal to one of the allowed values: input_moderation, "
                        + "internal_error",
                "response.body.failure_reason must match a schema in anyOf",
                "response.body.data.*.finished_at must be integer",
                "response.body.data.*.expires_at must be integer",
                "response.body.data.*.inpaint_items must be array",
                "response.body.data.*.failure_reason must be string",
                "response.body.data.*.failure_reason must be equal to one of the allowed values: input_moderation, "
                        + "internal_error",
                "response.body.data.*.failure_reason must match a schema in anyOf");
        assertThat(violations()).as(prismLog()).isSubsetOf(expected)
                // the validator did run: the differences the job always meets are there
                .contains("request.body.inpaint_items must be array", "response.body.finished_at must be integer");
    }

    private int startPrism(Path spec, String upstream, boolean errors) throws Exception {
        String bin = prismBinary();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(bin, "proxy", spec.toString(), upstream, "-p",
                Integer.toString(port), "-h", "127.0.0.1"));
        if (errors) {
            command.add("--errors");
        }
        prism = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("prism.log").toFile())
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return port;
            } catch (IOException notYet) {
                assertThat(prism.isAlive()).as("prism exited: %s", prismLog()).isTrue();
                Thread.sleep(200);
            }
        }
        throw new AssertionError("prism did not start listening within 60 s: " + prismLog());
    }

    private Set<String> violations() {
        Set<String> found = new TreeSet<>();
        Matcher m = VIOLATION.matcher(prismLog());
        while (m.find()) {
            // the same difference in every job of a list is one difference
            found.add((m.group(1).replaceAll("\\.\\d+(?=\\.|$)", ".*") + " " + m.group(2)).strip());
        }
        Matcher terminated = TERMINATED.matcher(prismLog());
        while (terminated.find()) {
            found.add(terminated.group(1) + " terminated: " + terminated.group(2).strip());
        }
        return found;
    }

    private String prismLog() {
        try {
            // Prism colours its log; the escape codes are not part of the message
            return Files.readString(dir.resolve("prism.log"), StandardCharsets.UTF_8).replaceAll("\u001B\\[[0-9;]*m", "");
        } catch (IOException e) {
            return "(no prism log: " + e.getMessage() + ")";
        }
    }

    private static Map<String, Map<String, String>> byId(List<Map<String, String>> report) {
        return report.stream().collect(Collectors.toMap(r -> r.get("id"), Function.identity()));
    }

    private static Path spec(String name) {
        String configured = System.getProperty("sora.specs");
        List<Path> candidates = configured != null ? List.of(Path.of(configured))
                : List.of(Path.of("..", "shared", "specs"), Path.of("src", "test", "resources", "contract"));
        for (Path folder : candidates) {
            if (Files.isRegularFile(folder.resolve(name))) {
                return folder.resolve(name).toAbsolutePath();
            }
        }
        Prerequisites.require(false, "the official spec " + name + " (SpecContractTests)",
                "it belongs in src/test/resources/contract (or ../shared/specs, or -Dsora.specs=DIR)");
        return null;
    }

    private static String prismBinary() {
        String configured = System.getProperty("prism.bin");
        List<Path> candidates = new ArrayList<>();
        if (configured != null) {
            candidates.add(Path.of(configured));
        }
        candidates.add(Path.of(".tools", "prism", "node_modules", ".bin", "prism"));
        for (Path candidate : candidates) {
            if (Files.isExecutable(candidate)) {
                return candidate.toAbsolutePath().toString();
            }
        }
        Prerequisites.require(false, "Stoplight Prism (SpecContractTests)",
                "npm install --prefix .tools/prism @stoplight/prism-cli@5.16.0 (needs nodejs and npm; .ci/run does it)");
        return null;
    }
}
