package dev.sorabatch.cli;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.ApplicationArguments;

import dev.sorabatch.i18n.Messages;
import dev.sorabatch.job.RunHistory;
import dev.sorabatch.ledger.RunCounts;
import dev.sorabatch.pricing.RowCost;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code status [--input=FILE] [--json]}: the runs in the job repository, each with its rows by status, seconds
 * of video, cost and report, live for a run another process is running. It only reads: no run lock, no write.
 */
final class StatusCommand {

    static final String NAME = "status";
    private static final Set<String> OPTIONS = Set.of("input", "json", "lang", "provider");
    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final RunHistory history;
    private final PrintStream out;

    StatusCommand(RunHistory history, PrintStream out) {
        this.history = history;
        this.out = out;
    }

    int run(ApplicationArguments args) {
        for (String name : args.getOptionNames()) {
            if (!OPTIONS.contains(name) && !CliOptions.isProperty(name)) {
                throw new UsageException(Messages.get("status.unknown-option", name));
            }
        }
        List<String> input = args.getOptionValues("input");
        Path only = input == null || input.isEmpty() || input.get(0).isBlank() ? null : Path.of(input.get(0));
        List<RunHistory.Run> runs = history.runs(only);
        if (args.containsOption("json")) {
            out.println(JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(runs.stream().map(StatusCommand::json).toList()));
            return ExitCodes.ALL_SUCCEEDED;
        }
        out.println(runs.isEmpty() ? Messages.get("status.none", only == null ? "" : only)
                : Messages.get("status.header", runs.size()));
        runs.forEach(run -> print(run));
        return ExitCodes.ALL_SUCCEEDED;
    }

    void print(RunHistory.Run run) {
        String state = run.runningIn() != null ? Messages.get("status.running", run.runningIn())
                : RunHistory.INTERRUPTED.equals(run.state()) ? Messages.get("status.interrupted") : run.state();
        String which = run.runDate() != null ? run.runDate() : "#" + run.runNumber();
        out.println("  " + Messages.get("status.run", which, run.input(),
                run.rows() == null ? "" : Messages.get("status.rows", run.rows()),
                run.started() == null ? "-" : TIME.format(run.started()), state, run.attempts()));
        RunCounts counts = run.counts();
        out.println("      " + Messages.get("status.counts", counts.succeeded(), counts.failed(), counts.skipped(),
                counts.inFlight(), counts.secondsOfVideo(),
                run.cost() == null ? "-" : CostSummary.money(run.cost()),
                run.report() == null ? "-" : run.report()));
    }

    /** The stable shape of {@code status --json}: one object per run, every field always present. */
    static Map<String, Object> json(RunHistory.Run run) {
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("succeeded", run.counts().succeeded());
        counts.put("failed", run.counts().failed());
        counts.put("skipped", run.counts().skipped());
        counts.put("inFlight", run.counts().inFlight());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", run.id());
        json.put("input", run.input());
        json.put("run", run.runNumber());
        json.put("runDate", run.runDate());
        json.put("selectedRows", run.rows());
        json.put("started", RunHistory.instant(run.started()));
        json.put("ended", RunHistory.instant(run.ended()));
        json.put("state", run.state());
        json.put("attempts", run.attempts());
        json.put("runningIn", run.runningIn());
        json.put("rows", counts);
        json.put("secondsOfVideo", run.counts().secondsOfVideo());
        BigDecimal cost = run.cost();
        json.put("cost", cost == null ? null : RowCost.withCents(cost));
        json.put("currency", RowCost.CURRENCY);
        json.put("report", run.report());
        return json;
    }

    /** A run as {@link #json} wrote it (a run's status file), back. */
    static RunHistory.Run fromJson(tools.jackson.databind.JsonNode json) {
        tools.jackson.databind.JsonNode rows = json.path("rows");
        return new RunHistory.Run(json.path("id").asLong(), text(json, "input"), json.path("run").asLong(1),
                text(json, "runDate"), text(json, "selectedRows"), time(json, "started"), time(json, "ended"),
                text(json, "state"), json.path("attempts").asInt(1), text(json, "runningIn"),
                new RunCounts(rows.path("succeeded").asInt(), rows.path("failed").asInt(), rows.path("skipped").asInt(),
                        rows.path("inFlight").asInt(), json.path("secondsOfVideo").asLong(), 0, 0),
                json.path("cost").isNumber() ? json.path("cost").decimalValue() : null, text(json, "report"));
    }

    private static String text(tools.jackson.databind.JsonNode json, String field) {
        tools.jackson.databind.JsonNode value = json.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    private static java.time.LocalDateTime time(tools.jackson.databind.JsonNode json, String field) {
        String instant = text(json, field);
        return instant == null ? null
                : java.time.Instant.parse(instant).atZone(java.time.ZoneId.systemDefault()).toLocalDateTime();
    }
}
