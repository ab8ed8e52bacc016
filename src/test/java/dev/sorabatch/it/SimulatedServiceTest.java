package dev.sorabatch.it;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import dev.sorabatch.cli.SoraSimulator;

/** A functional test's working directory and the simulated service it starts, closed after each test. */
abstract class SimulatedServiceTest {

    @TempDir
    Path dir;

    SoraSimulator simulator;

    @AfterEach
    void closeSimulator() {
        if (simulator != null) {
            simulator.close();
        }
    }
}
