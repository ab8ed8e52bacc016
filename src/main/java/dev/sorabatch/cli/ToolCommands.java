package dev.sorabatch.cli;

import java.io.PrintStream;
import java.time.Duration;

import org.springframework.batch.core.launch.JobOperator;
import org.springframework.boot.ApplicationArguments;

import dev.sorabatch.config.SoraProperties;
import dev.sorabatch.i18n.Messages;
import dev.sorabatch.job.RunHistory;
import dev.sorabatch.simulator.Simulator;
import dev.sorabatch.simulator.SimulatorSettings;

/**
 * The commands beside a run, which send no video: {@code doctor} (checks the setup), {@code status} (reads the
 * job repository) and {@code cancel} (asks a run in another process to stop). Each turns its failures into a
 * message and an exit code of its own.
 */
final class ToolCommands {

    private final SoraConnectionFactory connections;
    private final SimulatorSettings simulatorSettings;
    private final SoraProperties properties;
    private final RunHistory runHistory;
    private final JobOperator jobOperator;
    private final Duration shutdownGrace;
    private final PrintStream out;

    ToolCommands(SoraConnectionFactory connections, SimulatorSettings simulatorSettings, SoraProperties properties,
            RunHistory runHistory, JobOperator jobOperator, Duration shutdownGrace, PrintStream out) {
        this.connections = connections;
        this.simulatorSettings = simulatorSettings;
        this.properties = properties;
        this.runHistory = runHistory;
        this.jobOperator = jobOperator;
        this.shutdownGrace = shutdownGrace;
        this.out = out;
    }

    int run(ApplicationArguments args, String command) {
        try {
            return switch (command) {
                case StatusCommand.NAME -> new StatusCommand(runHistory, out).run(args);
                case CancelCommand.NAME -> new CancelCommand(runHistory, jobOperator, shutdownGrace, out).run(args);
                default -> doctor(args);
            };
        } catch (UsageException e) {
            System.err.println("sora-batch: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.RUN_FAILED;
        } catch (Exception e) {
            System.err.println(Messages.get("run.not-started", e.getMessage()));
            return ExitCodes.RUN_FAILED;
        }
    }

    private int doctor(ApplicationArguments args) {
        if (!args.containsOption("simulate")) {
            out.println(Messages.get("doctor.header"));
            return new Doctor(properties, connections, out).check(null);
        }
        Simulator simulator = connections.startSimulator(simulatorSettings);
        try {
            out.println(Messages.get("doctor.simulator", simulator.baseUrl()));
            return new Doctor(properties, connections, out).check(connections.forSimulator(simulator));
        } finally {
            simulator.close();
        }
    }
}
