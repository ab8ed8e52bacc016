package dev.sorabatch.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

import dev.sorabatch.i18n.Messages;
import dev.sorabatch.job.RunLauncher;

/**
 * {@code status} and {@code cancel} when the H2 job repository is held by the process running a run (an H2 file
 * serves one process at a time): the run is read from the status file that process keeps beside the repository
 * ({@link RunStatusFile}), and {@code cancel} reaches it with SIGTERM on this host, which stops it through Spring
 * Batch exactly as a cancel through the repository would ({@code --cancel-jobs}: a request file it reads as it
 * stops). Without such a file (a run of an older version), the one-line explanation stands.
 */
final class BusyH2Commands {

    /** H2 names the file it could not open: {@code Database may be already in use: "/path/jobs.mv.db"}. */
    private static final Pattern DATABASE_FILE = Pattern.compile("\"([^\"]+)\\.mv\\.db\"");
    static final String CANCEL_JOBS_SUFFIX = ".cancel-jobs";
    private static final long WAIT_SECONDS = 60;

    private final PrintStream out;

    BusyH2Commands(PrintStream out) {
        this.out = out;
    }

    /** @return the exit code, or empty when the runs' status files cannot answer (the caller explains instead) */
    Optional<Integer> run(String command, String[] args, Throwable failure) {
        Optional<Path> folder = folder(failure);
        if (folder.isEmpty()) {
            return Optional.empty();
        }
        try {
            List<JsonNode> runs = RunStatusFile.read(folder.get());
            if (runs.isEmpty()) {
                return Optional.empty();
            }
            return "cancel".equals(command) ? cancel(args, folder.get(), runs) : status(args, runs);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private Optional<Integer> status(String[] args, List<JsonNode> runs) {
        String input = option(args, "input");
        String only = input == null ? null : Path.of(input).toAbsolutePath().normalize().toString();
        List<JsonNode> shown = runs.stream().filter(r -> only == null || only.equals(r.path("input").asString()))
                .toList();
        if (flag(args, "json")) {
            out.println(StatusCommand.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(shown));
            return Optional.of(ExitCodes.ALL_SUCCEEDED);
        }
        out.println(Messages.get("status.from-status-files", shown.size()));
        StatusCommand printer = new StatusCommand(null, out);
        shown.forEach(run -> printer.print(StatusCommand.fromJson(run)));
        return Optional.of(ExitCodes.ALL_SUCCEEDED);
    }

    private Optional<Integer> cancel(String[] args, Path folder, List<JsonNode> runs) throws IOException {
        String input = option(args, "input");
        if (input == null || input.isBlank()) {
            return Optional.empty();
        }
        String path = Path.of(input).toAbsolutePath().normalize().toString();
        Optional<JsonNode> run = runs.stream().filter(r -> path.equals(r.path("input").asString())).findFirst();
        String runningIn = run.filter(r -> r.hasNonNull("runningIn")).map(r -> r.get("runningIn").asString())
                .orElse(null);
        if (runningIn == null || !runningIn.contains("@")) {
            out.println(Messages.get("cancel.nothing-running", input));
            return Optional.of(ExitCodes.ALL_SUCCEEDED);
        }
        long pid = Long.parseLong(runningIn.substring(0, runningIn.indexOf('@')));
        String host = runningIn.substring(runningIn.indexOf('@') + 1);
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (!host.equals(InetAddress.getLocalHost().getHostName()) || process.isEmpty()) {
            out.println(Messages.get("cancel.h2-elsewhere", input, runningIn));
            return Optional.of(ExitCodes.USAGE);
        }
        if (flag(args, "cancel-jobs")) {
            Files.writeString(folder.resolve(RunLauncher.inputKey(Path.of(path)) + CANCEL_JOBS_SUFFIX), runningIn);
        }
        long number = run.get().path("run").asLong(1);
        out.println(Messages.get("cancel.asked", number, input, WAIT_SECONDS));
        process.get().destroy(); // SIGTERM: the run stops through JobOperator.stop, as after cancel
        try {
            process.get().onExit().get(WAIT_SECONDS, TimeUnit.SECONDS);
            out.println(Messages.get("cancel.stopped", number, input, "STOPPED"));
            return Optional.of(ExitCodes.ALL_SUCCEEDED);
        } catch (java.util.concurrent.TimeoutException e) {
            out.println(Messages.get("cancel.still-stopping", number, input, WAIT_SECONDS));
            return Optional.of(ExitCodes.RUN_FAILED);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(ExitCodes.RUN_FAILED);
        } catch (java.util.concurrent.ExecutionException e) {
            return Optional.of(ExitCodes.RUN_FAILED);
        }
    }

    private static Optional<Path> folder(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            Matcher file = DATABASE_FILE.matcher(String.valueOf(t.getMessage()));
            if (file.find()) {
                return Optional.of(Path.of(file.group(1)).toAbsolutePath().normalize()
                        .resolveSibling(RunStatusFile.FOLDER));
            }
        }
        return Optional.empty();
    }

    private static String option(String[] args, String name) {
        String value = null;
        for (String arg : args) {
            if (arg.startsWith("--" + name + "=")) {
                value = arg.substring(name.length() + 3);
            }
        }
        return value;
    }

    private static boolean flag(String[] args, String name) {
        return java.util.Arrays.asList(args).contains("--" + name);
    }
}
