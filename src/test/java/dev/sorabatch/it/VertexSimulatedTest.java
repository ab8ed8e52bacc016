package dev.sorabatch.it;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;

import dev.sorabatch.provider.vertex.VertexSimulator;
import dev.sorabatch.simulator.SimulatorSettings;

/**
 * A functional test against the simulated Google Cloud project, run as a user runs it with
 * {@code --provider=vertex-veo}: the project, the API and Cloud Storage roots, and the service-account key file the
 * simulator wrote (as GOOGLE_APPLICATION_CREDENTIALS would name it), so Google's library does its real token flow.
 */
abstract class VertexSimulatedTest extends SimulatedServiceTest {

    static final String PROJECT = "my-proj";

    VertexSimulator vertex;

    @AfterEach
    void closeVertex() {
        if (vertex != null) {
            vertex.close();
        }
    }

    VertexSimulator start(SimulatorSettings settings) {
        vertex = new VertexSimulator(settings, PROJECT).start();
        return vertex;
    }

    /** The settings a user sets, pointing at the simulator, then the test's own (which win). */
    String[] vertexArgs(String... extra) {
        List<String> args = new ArrayList<>(List.of("--provider=vertex-veo", "--sora.vertex.project=" + PROJECT,
                "--sora.vertex.base-url=" + vertex.apiUrl(), "--sora.vertex.storage-url=" + vertex.storageUrl(),
                "--sora.vertex.credentials-file=" + vertex.credentialsFile()));
        args.addAll(Arrays.asList(extra));
        return args.toArray(String[]::new);
    }

    static Map<String, Map<String, String>> byId(List<Map<String, String>> report) {
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        report.forEach(r -> rows.put(r.get("id"), r));
        return rows;
    }
}
