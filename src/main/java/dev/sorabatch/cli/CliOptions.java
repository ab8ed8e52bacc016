package dev.sorabatch.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.springframework.boot.ApplicationArguments;

import dev.sorabatch.csv.RowSelection;
import dev.sorabatch.i18n.Messages;

/**
 * The command line: {@code --input=FILE} (required), {@code --output=DIR} (default {@code output/}),
 * {@code --report=FILE} (default {@code <output>/report.csv}), {@code --simulate}. Any other {@code --x.y=...} is a
 * Spring property; an unknown plain option is refused, so a typo never silently runs with defaults.
 */
public record CliOptions(Path input, Path output, Path report, boolean simulate, boolean dryRun, Long maxVideoSeconds,
        java.math.BigDecimal maxCost, String schedule, RowSelection rows, boolean again, boolean resendUnanswered) {

    static final Set<String> OPTIONS = Set.of("input", "output", "report", "simulate", "dry-run", "max-video-seconds",
            "max-cost", "schedule", "lang", "provider", "help", "rows", "again", "resend-unanswered");
    private static final List<String> PROPERTY_PREFIXES = List.of("sora.", "spring.", "logging.", "debug", "trace",
            "management.", "server.");

    public static final String USAGE = """
            Usage: java -jar sora-batch.jar --input=FILE [--output=DIR] [--report=FILE] [--simulate] [--sora.x=value ...]
                   java -jar sora-batch.jar doctor [--simulate] [--provider=P]
                   java -jar sora-batch.jar status [--input=FILE] [--json]
                   java -jar sora-batch.jar cancel --input=FILE [--cancel-jobs]

              --input=FILE    the CSV of prompts (UTF-8; ',' ';' or tab separated; a header row), one video per row:
                                prompt        what to generate (required)
                                image_url     a public JPEG, PNG or WebP URL the video starts from
                                id            names the files (<id>.mp4); made file-system safe
                                width, height or size (WxH)   the video's size
                                n_seconds or seconds          its duration
                                n_variants    videos per row (Azure Sora jobs API; the Videos API makes 1)
                                model         a model or deployment for this row only
                                aspect_ratio, resolution, negative_prompt, seed, param.<name>
                                              model inputs of fal and Vertex models (16:9, 720p, ...; param.x is sent as x)
              --output=DIR    where videos, thumbnails and the report go (default: output)
              --report=FILE   the report CSV (default: <output>/report.csv; report.html beside it)
              --simulate      run against the built-in local simulator (no key needed, nothing leaves this machine)
              --dry-run       check the whole CSV and estimate the cost; sends nothing
              --again         send every row. Without it, a row whose video an earlier run in this job repository
                              delivered (same prompt, image, size, seconds, model and inputs; files unchanged) is
                              not sent: it is reported SUCCEEDED with those files and reused_from, at no cost
              --rows=1-10,15  only these rows (numbered as in the report: data rows from 1); the others are
                              not sent and not in the report. The same --rows again resumes; other rows, another run
              --resend-unanswered
                              send again the rows that ended FAILED with unanswered_create (a create whose answer
                              was lost at a service that cannot list its jobs: Vertex AI); with
                              sora.vertex.storage-uri their videos are looked for first. The rest of the last run
                              is kept as it ended, nothing else is sent
              --max-video-seconds=N, --max-cost=X
                              stop submitting once the next row would exceed the budget (rows not sent are SKIPPED)
              --provider=P    azure-sora (Azure Sora 1 jobs API), openai-videos (the Videos API: OpenAI, Azure
                              sora-2, gateways), fal (the fal.ai queue, model sora.model), vertex-veo (Veo on
                              Vertex AI, Google ADC) or gemini-veo (Veo on the Gemini API, GEMINI_API_KEY);
                              default: inferred from the endpoint and variables
              --lang=fr       messages, diagnoses and reports in French (default: en; also sora.lang / SORA_LANG)
              --schedule=CRON stay up and run at each tick of a Spring cron ("0 0 2 * * *" = 02:00 daily), one run
                              at a time; each run's files go to <output>/<date>/. Each run sends every row
                              (with sora.schedule.reuse=true it reuses earlier videos, as a run by hand does)
              --help          this text

            Real runs read AZURE_SORA_ENDPOINT and AZURE_API_KEY (Azure Sora jobs API), or OPENAI_API_KEY and
            OPENAI_BASE_URL (the Videos API), or FAL_KEY (fal.ai), or GOOGLE_CLOUD_PROJECT with Google's Application
            Default Credentials (Vertex AI), or GEMINI_API_KEY or GOOGLE_API_KEY (the Gemini API), from the
            environment or .env / .env.local;
            `doctor` checks them.
            Any other setting is a property (--sora.max-in-flight=4); README.md lists them.
            Exit codes: 0 all rows succeeded, 3 finished with failed or skipped rows, 1 run failed (run the same
            command again to resume), 2 usage or configuration error.""";

    /** A Spring property given on the command line ({@code --sora.x=...}, {@code --spring.x=...}), not an option. */
    static boolean isProperty(String name) {
        return PROPERTY_PREFIXES.stream().anyMatch(name::startsWith);
    }

    public static CliOptions parse(ApplicationArguments args) {
        for (String name : args.getOptionNames()) {
            if (!OPTIONS.contains(name) && !isProperty(name)) {
                throw new UsageException("unknown option --" + name + ".\n" + USAGE);
            }
        }
        if (!args.getNonOptionArgs().isEmpty()) {
            throw new UsageException("unexpected argument '" + args.getNonOptionArgs().get(0) + "'.\n" + USAGE);
        }
        String input = single(args, "input");
        if (input == null || input.isBlank()) {
            throw new UsageException("--input is required.\n" + USAGE);
        }
        String outputValue = single(args, "output");
        Path output = Path.of(outputValue == null || outputValue.isBlank() ? "output" : outputValue);
        String reportValue = single(args, "report");
        Path report = reportValue == null || reportValue.isBlank() ? output.resolve("report.csv") : Path.of(reportValue);
        boolean simulate = args.containsOption("simulate") && !"false".equalsIgnoreCase(single(args, "simulate"));
        boolean dryRun = args.containsOption("dry-run") && !"false".equalsIgnoreCase(single(args, "dry-run"));
        boolean again = args.containsOption("again") && !"false".equalsIgnoreCase(single(args, "again"));
        Long maxSeconds = null;
        java.math.BigDecimal maxCost = null;
        try {
            String seconds = single(args, "max-video-seconds");
            maxSeconds = seconds == null ? null : Long.parseLong(seconds.strip());
            String cost = single(args, "max-cost");
            maxCost = cost == null ? null : new java.math.BigDecimal(cost.strip());
        } catch (NumberFormatException e) {
            throw new UsageException("--max-video-seconds takes whole seconds (e.g. 600) and --max-cost an amount "
                    + "(e.g. 25.50).");
        }
        String schedule = single(args, "schedule");
        if (schedule != null) {
            if (schedule.isBlank()) {
                throw new UsageException("--schedule needs a cron expression, e.g. --schedule=\"0 0 2 * * *\" for "
                        + "02:00 every day.");
            }
            if (dryRun) {
                throw new UsageException("--dry-run checks the CSV once and sends nothing; it cannot be scheduled.");
            }
            ScheduledRuns.parse(schedule);
        }
        boolean resend = args.containsOption("resend-unanswered")
                && !"false".equalsIgnoreCase(single(args, "resend-unanswered"));
        if (resend && schedule != null) {
            throw new UsageException(Messages.get("cli.resend-scheduled"));
        }
        return new CliOptions(Path.of(input), output, report, simulate, dryRun, maxSeconds, maxCost, schedule,
                rows(single(args, "rows")), again, resend);
    }

    /**
     * The options of one scheduled run: its videos in {@code <output>/<label>/} with the report there too, or,
     * when {@code --report} was given, beside it with the label in its name, so no night overwrites another.
     */
    CliOptions forRun(String label) {
        Path runOutput = output.resolve(label);
        Path runReport;
        if (report.equals(output.resolve("report.csv"))) {
            runReport = runOutput.resolve("report.csv");
        } else {
            String name = report.getFileName().toString();
            int dot = name.lastIndexOf('.');
            runReport = report.resolveSibling(dot > 0 ? name.substring(0, dot) + "-" + label + name.substring(dot)
                    : name + "-" + label);
        }
        return new CliOptions(input, runOutput, runReport, simulate, false, maxVideoSeconds, maxCost, null, rows,
                again, false);
    }

    /** {@code --rows=1-10,15}, or null without the option. */
    private static RowSelection rows(String spec) {
        if (spec == null) {
            return null;
        }
        try {
            return RowSelection.parse(spec);
        } catch (IllegalArgumentException e) {
            throw new UsageException(Messages.get("rows.bad-spec", e.getMessage()));
        }
    }

    private static String single(ApplicationArguments args, String name) {
        List<String> values = args.getOptionValues(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new UsageException("--" + name + " is given " + values.size() + " times; give it once.");
        }
        return values.get(0);
    }
}
