package dev.sorabatch.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.launch.support.JobExecutionShutdownHook;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;

import dev.sorabatch.csv.InputFileCheck;
import dev.sorabatch.csv.InputFormatException;
import dev.sorabatch.config.ServiceChoice;
import dev.sorabatch.config.SoraProperties;
import dev.sorabatch.csv.PromptCsvReader;
import dev.sorabatch.csv.RowValidator;
import dev.sorabatch.i18n.Messages;
import dev.sorabatch.job.Endpoints;
import dev.sorabatch.ledger.Ledger;
import dev.sorabatch.ledger.RunCounts;
import dev.sorabatch.job.RunBudget;
import dev.sorabatch.job.RunHistory;
import dev.sorabatch.job.RunLauncher;
import dev.sorabatch.job.RunLock;
import dev.sorabatch.job.RunState;
import dev.sorabatch.pricing.RowPrices;
import dev.sorabatch.simulator.Simulator;
import dev.sorabatch.simulator.SimulatorSettings;

/**
 * The command: checks everything that can be checked before spending anything (arguments, input file, output
 * folder, endpoint and key), runs or resumes the job, prints the summary and decides the exit code.
 */
public class SoraBatchCommand implements ApplicationRunner, ExitCodeGenerator {

    private final SoraConnectionFactory connections;
    private final SimulatorSettings simulatorSettings;
    private final Endpoints endpoints;
    private final RunLauncher launcher;
    private final RunState runState;
    private final Ledger ledger;
    private final RowValidator rowValidator;
    private final RowPrices prices;
    private final SoraProperties properties;
    private final RunBudget runBudget;
    private final ProgressDisplay progressDisplay;
    private final JobOperator jobOperator;
    private final Duration shutdownGrace;
    private final PrintStream out;
    private final RunHistory runHistory;
    private final RunSummary summary;
    private final LiveRun live;
    private volatile int exitCode = ExitCodes.RUN_FAILED;
    private volatile ScheduledRuns schedule;
    /** The job repository's URL: on an H2 file, a run keeps a status file for other processes (RunStatusFile). */
    private volatile String repositoryUrl;
    private volatile RunStatusFile statusFile;
    /** Told when each run starts (its input) and when it has ended with every figure recorded: the metrics push. */
    private volatile java.util.function.Consumer<Path> runStarting = input -> { };
    private volatile Runnable runEnded = () -> { };

    public SoraBatchCommand(SoraConnectionFactory connections, SimulatorSettings simulatorSettings,
            Endpoints endpoints, RunLauncher launcher, RunState runState,
            Ledger ledger, JobOperator jobOperator, Duration shutdownGrace, RowValidator rowValidator,
            RowPrices prices, SoraProperties properties, RunBudget runBudget, ProgressDisplay progressDisplay,
            RunHistory runHistory) {
        this.runHistory = runHistory;
        this.progressDisplay = progressDisplay;
        this.properties = properties;
        this.runBudget = runBudget;
        this.rowValidator = rowValidator;
        this.prices = prices;
        this.jobOperator = jobOperator;
        this.shutdownGrace = shutdownGrace;
        this.connections = connections;
        this.simulatorSettings = simulatorSettings;
        this.endpoints = endpoints;
        this.launcher = launcher;
        this.runState = runState;
        this.ledger = ledger;
        this.out = System.out;
        this.summary = new RunSummary(ledger, runState, runBudget, prices, out);
        this.live = new LiveRun(runState, ledger, runHistory);
    }

    public void keepStatusFilesFor(String jdbcUrl) {
        this.repositoryUrl = jdbcUrl;
    }

    public void onEachRun(java.util.function.Consumer<Path> starting, Runnable ended) {
        this.runStarting = starting;
        this.runEnded = ended;
    }

    @Override
    public int getExitCode() {
        return exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    @Override
    public void run(ApplicationArguments args) {
        GracefulShutdown shutdown = new GracefulShutdown(this::requestStop, shutdownGrace);
        try {
            exitCode = execute(args);
        } finally {
            shutdown.finished(exitCode);
        }
    }

    /**
     * SIGTERM or Ctrl-C: a run under way is stopped through Spring Batch's own shutdown hook (JobOperator.stop,
     * delivered to the running steps), bounded by {@code sora.shutdown-grace} in {@link GracefulShutdown}; with no
     * run under way, none is started (a schedule waiting for its tick ends).
     */
    private void requestStop() {
        ScheduledRuns runs = schedule;
        if (runs != null) {
            runs.stop();
        }
        JobExecution execution = runState.execution();
        if (execution != null && execution.isRunning()) {
            RunStatusFile file = statusFile;
            if (file != null && file.takeCancelJobsRequest()) {
                // cancel --cancel-jobs on an H2 repository: its request, as the repository would have carried it
                execution.getExecutionContext().putString(dev.sorabatch.job.SplitStops.CANCEL_JOBS, "cancel");
            }
            try {
                new JobExecutionShutdownHook(execution, jobOperator).run();
            } catch (RuntimeException e) {
                err().println(Messages.get("run.could-not-mark-stopping", e.getMessage()));
            }
        }
        runState.requestStop();
    }

    private int execute(ApplicationArguments args) {
        try {
            java.util.List<String> lang = args.getOptionValues("lang");
            Messages.use(lang == null || lang.isEmpty() ? properties.lang() : lang.get(lang.size() - 1));
        } catch (IllegalArgumentException e) {
            err().println("sora-batch: --lang: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        try {
            java.util.List<String> provider = args.getOptionValues("provider");
            ServiceChoice.resolve(properties, provider == null || provider.isEmpty() ? null : provider.get(0));
        } catch (IllegalArgumentException e) {
            err().println("sora-batch: --provider: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        boolean doctor = args.getNonOptionArgs().equals(java.util.List.of("doctor"));
        boolean status = args.getNonOptionArgs().equals(java.util.List.of(StatusCommand.NAME));
        boolean cancel = args.getNonOptionArgs().equals(java.util.List.of(CancelCommand.NAME));
        if (!doctor && !status && !cancel) {
            properties.dotenv().describedProblems().forEach(problem -> err().println("sora-batch: " + problem));
        }
        if (args.containsOption("help")) {
            out.println(CliOptions.USAGE);
            return ExitCodes.ALL_SUCCEEDED;
        }
        if (doctor || status || cancel) {
            return new ToolCommands(connections, simulatorSettings, properties, runHistory, jobOperator,
                    shutdownGrace, out).run(args, doctor ? "doctor" : status ? StatusCommand.NAME : CancelCommand.NAME);
        }
        CliOptions options;
        try {
            options = CliOptions.parse(args);
            if (options.schedule() == null) {
                InputFileCheck.check(options.input()).notice().ifPresent(out::println);
            } else if (Files.exists(options.input())) {
                PromptCsvReader.readHeader(options.input()); // tonight's file is checked whole at its tick
            }
            if (options.dryRun()) {
                return new DryRun(rowValidator, prices, out).check(options.input(), options.rows());
            }
            if (options.schedule() == null) {
                DryRun.refuseUnpricedRows(rowValidator, prices, options);
                OutputPaths.prepare(options);
            }
        } catch (UsageException | InputFormatException e) {
            err().println("sora-batch: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (Exception e) {
            err().println(Messages.get("run.input-unchecked", e.getMessage()));
            return ExitCodes.RUN_FAILED;
        }
        Simulator simulator = null;
        try {
            if (options.simulate()) {
                simulator = connections.startSimulator(simulatorSettings);
                endpoints.use(connections.forSimulator(simulator), properties.maxInFlight());
                out.println(Messages.get("run.simulating", simulator.baseUrl()));
            } else {
                endpoints.use(connections.forServices());
            }
            if (options.schedule() != null) {
                return schedule(options);
            }
            return attempt(() -> runOnce(options, null));
        } catch (UsageException e) {
            err().println("sora-batch: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.RUN_FAILED;
        } catch (Exception e) {
            err().println(Messages.get("run.not-started", e.getMessage()));
            return ExitCodes.RUN_FAILED;
        } finally {
            if (simulator != null) {
                simulator.close();
            }
        }
    }

    private int schedule(CliOptions options) throws Exception {
        SoraProperties.Schedule settings = properties.schedule();
        ScheduledRuns runs = new ScheduledRuns(options.schedule(),
                new ScheduleClock(settings.timeScale(), java.time.ZoneId.systemDefault()), settings.maxRuns(), out);
        schedule = runs;
        if (runState.isStopRequested()) {
            return ExitCodes.ALL_SUCCEEDED;
        }
        java.util.Optional<String> unfinished = launcher.unfinishedScheduledRun(options.input());
        return runs.runUntilStopped(unfinished, label -> {
            out.println(Messages.get("schedule.run", label, options.input()));
            CliOptions run = options.forRun(label);
            int exit = attempt(() -> {
                if (!Files.exists(run.input())) {
                    throw new UsageException(Messages.get("schedule.no-input", run.input()));
                }
                InputFileCheck.check(run.input()).notice().ifPresent(out::println);
                OutputPaths.prepare(run);
                return runOnce(run, label);
            });
            out.println(Messages.get("schedule.run-ended", label, exit));
            return exit;
        });
    }

    /** Runs one job and turns what can stop it before or during the run into a message and an exit code. */
    private int attempt(java.util.concurrent.Callable<Integer> run) {
        try {
            return run.call();
        } catch (UsageException | InputFormatException e) {
            err().println("sora-batch: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (RunLock.HeldElsewhereException e) {
            err().println(Messages.get("run.held-elsewhere", e.holder().pid(), e.holder().host(),
                    e.holder().acquiredAt()));
            return ExitCodes.USAGE;
        } catch (Exception e) {
            err().println(Messages.get("run.not-started", e.getMessage()));
            return ExitCodes.RUN_FAILED;
        }
    }

    private int runOnce(CliOptions options, String label) throws Exception {
        // by hand, a row an earlier run delivered is reused; a schedule generates anew unless told otherwise
        boolean reuse = !options.again() && (label == null || properties.schedule().reuse());
        runState.reuse(reuse, options.simulate());
        if (options.again()) {
            out.println(Messages.get("run.again"));
        }
        Instant started = Instant.now();
        long rows = PromptCsvReader.countRows(options.input(), options.rows());
        RunLauncher.Launch launch;
        runStarting.accept(options.input());
        statusFile = RunStatusFile.keep(repositoryUrl, options.input(), live::run);
        try (AutoCloseable progress = progressDisplay.start(rows, live::counts)) {
            launch = launcher.launch(options.input(), label, options.rows(), new RunLauncher.RunSettings(
                    options.output(), options.report(), options.maxVideoSeconds(), options.maxCost(),
                    options.resendUnanswered()));
        } finally {
            runEnded.run();
            if (statusFile != null) {
                statusFile.close();
            }
        }
        return summary.of(launch, options, Duration.between(started, Instant.now()));
    }

    /** Looked up at each print: while the progress bar is shown, System.err is the stream that keeps it clean. */
    private static PrintStream err() {
        return System.err;
    }
}
