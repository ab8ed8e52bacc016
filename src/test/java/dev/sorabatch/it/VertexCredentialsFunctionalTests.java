package dev.sorabatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.sorabatch.SoraBatchApplication;
import dev.sorabatch.simulator.SimulatorSettings;
import dev.sorabatch.simulator.Wire;
import tools.jackson.databind.node.ObjectNode;

/**
 * Vertex AI as a new user meets it: a key file Google no longer accepts, a token endpoint that refuses, tokens
 * that expire during the run, a project without the API enabled or without the role, a retired model. Each stops
 * the run before anything is paid for, with a diagnosis that names what to fix; tokens that expire are refreshed.
 */
@ExtendWith(OutputCaptureExtension.class)
class VertexCredentialsFunctionalTests extends VertexSimulatedTest {

    @Test
    void aKeyFileWhoseKeyGoogleNoLongerHasStopsTheRunAtOnceSayingWhatToFix(CapturedOutput output) throws Exception {
        start(BatchRun.fastSimulator());
        Path deletedKey = keyFileWithAnotherKey();
        BatchRun run = new BatchRun(dir).csv("prompt\none\ntwo\nthree\n");

        int exit = run.run(vertexArgs("--sora.vertex.credentials-file=" + deletedKey));

        assertThat(exit).isEqualTo(1);
        assertThat(vertex.requestCount("token-refused")).as("the JWT's signature was checked").isPositive();
        assertThat(vertex.createdPrompts()).isEmpty();
        assertThat(output.getErr()).contains("invalid_grant: Invalid JWT Signature.")
                .contains("gcloud iam service-accounts keys create").contains("Nothing was sent");
        assertThat(run.report()).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("PENDING"));
        assertThat(output.toString()).doesNotContain("PRIVATE KEY");
    }

    @Test
    void aTokenEndpointThatAnswers400StopsTheRunQuotingGoogle(CapturedOutput output) throws Exception {
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.getGoogle().setTokenRefusal("Invalid grant: account not found");
        start(settings);
        BatchRun run = new BatchRun(dir).csv("prompt\none\ntwo\n");

        int exit = run.run(vertexArgs());

        assertThat(exit).isEqualTo(1);
        assertThat(vertex.createdPrompts()).isEmpty();
        assertThat(output.getErr()).contains("invalid_grant: Invalid grant: account not found")
                .contains("GOOGLE_APPLICATION_CREDENTIALS");
    }

    @Test
    void aFileThatHoldsNoGoogleCredentialsIsAUsageError(CapturedOutput output) throws Exception {
        start(BatchRun.fastSimulator());
        Path notKey = Files.writeString(dir.resolve("key.json"), "{\"type\":\"api_key\",\"key\":\"AIza\"}");
        BatchRun run = new BatchRun(dir).csv("prompt\none\n");

        int exit = run.run(vertexArgs("--sora.vertex.credentials-file=" + notKey));

        assertThat(exit).isEqualTo(2);
        assertThat(output.getErr()).contains(notKey.toString()).contains("not a Google credentials file");
        assertThat(vertex.requestCount("token")).isZero();
    }

    @Test
    void aTokenThatExpiresDuringTheRunIsRefreshedByGooglesLibrary(CapturedOutput output) throws Exception {
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setJobDuration(Duration.ofMillis(1200));
        // the library renews a token 3 min 45 s before it expires: this one is fresh for 1.5 s
        settings.getGoogle().setTokenLifetime(Duration.ofMinutes(3).plusSeconds(46).plusMillis(500));
        start(settings);
        BatchRun run = new BatchRun(dir).csv("prompt\nt1\nt2\nt3\nt4\n");

        int exit = run.run(vertexArgs());

        assertThat(exit).as(output.getOut()).isZero();
        assertThat(vertex.requestCount("token")).as("a new token mid-run").isGreaterThanOrEqualTo(2);
        assertThat(vertex.requestCount("unauthorized")).isZero();
    }

    @Test
    void aTokenGoogleStopsHonouringEarlyIsRenewedOnItsFirst401(CapturedOutput output) throws Exception {
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.setJobDuration(Duration.ofMillis(1200));
        // this machine's clock behind Google's: the library thinks the token good for an hour, Google for 1 s
        settings.getGoogle().setTokenValidFor(Duration.ofSeconds(1));
        start(settings);
        BatchRun run = new BatchRun(dir).csv("prompt\nt1\nt2\nt3\n");

        int exit = run.run(vertexArgs());

        assertThat(exit).as(output.getOut()).isZero();
        assertThat(vertex.requestCount("unauthorized")).isPositive();
        assertThat(vertex.requestCount("token")).isGreaterThanOrEqualTo(2);
        assertThat(vertex.createdPrompts()).containsExactlyInAnyOrder("t1", "t2", "t3");
    }

    @Test
    void aProjectWithoutTheApiEnabledStopsTheRunSayingHowToEnableIt(CapturedOutput output) throws Exception {
        SimulatorSettings settings = BatchRun.fastSimulator();
        settings.getGoogle().setApiDisabled(true);
        start(settings);
        BatchRun run = new BatchRun(dir).csv("prompt\none\ntwo\nthree\n");

        int exit = run.run(vertexArgs());

        assertThat(exit).isEqualTo(1);
        assertThat(vertex.requestCount("forbidden")).isEqualTo(1);
        assertThat(vertex.createdPrompts()).isEmpty();
        assertThat(output.getErr()).contains("not enabled")
                .contains("gcloud services enable aiplatform.googleapis.com");
    }

    @Test
    void aProjectTheAccountHasNoRoleInStopsTheRunNamingTheRole(CapturedOutput output) throws Exception {
        start(BatchRun.fastSimulator());
        BatchRun run = new BatchRun(dir).csv("prompt\none\ntwo\n");

        int exit = run.run(vertexArgs("--sora.vertex.project=someone-elses-project"));

        assertThat(exit).isEqualTo(1);
        assertThat(vertex.createdPrompts()).isEmpty();
        assertThat(output.getErr()).contains("roles/aiplatform.user").contains("someone-elses-project");
    }

    @Test
    void aRetiredModelStopsTheRunNamingItsReplacementButARowsOwnUnknownModelFailsThatRowOnly(
            CapturedOutput output) throws Exception {
        start(BatchRun.fastSimulator());
        BatchRun rowModel = new BatchRun(dir).csv("id,prompt,model\nok,A lake,\nodd,A hill,veo-9-generate-001\n");

        int rowExit = rowModel.run(vertexArgs());
        BatchRun retired = new BatchRun(Files.createDirectories(dir.resolve("retired"))).csv("prompt\none\ntwo\n");
        int retiredExit = retired.run(vertexArgs("--sora.model=veo-3.0-generate-001"));

        assertThat(rowExit).isEqualTo(3);
        assertThat(byId(rowModel.report()).get("ok").get("status")).isEqualTo("SUCCEEDED");
        assertThat(byId(rowModel.report()).get("odd").get("diagnosis")).contains("was not found");
        assertThat(retiredExit).isEqualTo(1);
        assertThat(output.getErr()).contains("no longer available").contains("veo-3.1-generate-001 as its replacement");
    }

    @Test
    void doctorChecksTheSimulatedProject(CapturedOutput output) {
        int exit = SoraBatchApplication.run(new String[] { "doctor", "--simulate", "--provider=vertex-veo",
                "--sora.dotenv.dir=" + dir });

        assertThat(exit).as(output.getOut()).isZero();
        assertThat(output.getOut()).contains("the access token is accepted");
    }

    /** The simulator's key file with another private key in it: what a deleted or rotated key looks like. */
    private Path keyFileWithAnotherKey() throws Exception {
        ObjectNode key = (ObjectNode) Wire.JSON.readTree(Files.readString(vertex.credentialsFile()));
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        key.put("private_key", "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64,
                "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(rsa.generateKeyPair().getPrivate()
                .getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        return Files.writeString(dir.resolve("old-key.json"), Wire.JSON.writeValueAsString(key));
    }
}
