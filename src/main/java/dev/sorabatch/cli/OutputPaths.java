package dev.sorabatch.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

import dev.sorabatch.i18n.Messages;
import dev.sorabatch.job.FileStems;
import dev.sorabatch.report.HtmlReportWriter;
import dev.sorabatch.report.ReportWriter;

/**
 * Refuses, before anything is sent, the output and report paths that would destroy something: a report (CSV or
 * its HTML twin) that is the input file, an output folder that is the input file, a report named like a video in
 * the output folder, a report path that is a folder or holds a file that is not a sora-batch report. Paths are
 * compared as the file system sees them ({@link Files#isSameFile}: symlinks, {@code ./a/../b}, and names that
 * differ only in case on macOS and Windows). A report of an earlier run under the same name is the product's own
 * file and is replaced, as it always was.
 */
final class OutputPaths {

    private OutputPaths() {
    }

    static void check(CliOptions options) {
        Path input = options.input();
        Path output = options.output();
        Path report = options.report();
        if (sameFile(output, input)) {
            throw new UsageException(Messages.get("output.output-is-input", output));
        }
        if (Files.isDirectory(report)) {
            throw new UsageException(Messages.get("output.report-is-folder", report));
        }
        if (sameFile(report, input)) {
            throw new UsageException(Messages.get("output.report-is-input", report, input));
        }
        Path html = HtmlReportWriter.besideCsv(report);
        if (sameFile(html, input)) {
            throw new UsageException(Messages.get("output.html-is-input", html, report, input));
        }
        String name = report.getFileName().toString();
        String extension = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT) : "";
        if (FileStems.MEDIA_EXTENSIONS.contains(extension) && sameFolder(report, output)) {
            throw new UsageException(Messages.get("output.report-media", report, extension));
        }
        if (Files.isRegularFile(report) && !isReport(report)) {
            throw new UsageException(Messages.get("output.not-a-report", report));
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) {
                return Files.isSameFile(a, b);
            }
            return canonical(a).equals(canonical(b));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A path as it will be once its folders exist: {@code ..} resolved, and the symlinks of the part that exists
     * followed ({@code --report=new/../prompts.csv} is the input even before {@code new} is made).
     */
    private static Path canonical(Path path) throws IOException {
        Path absolute = path.toAbsolutePath().normalize();
        Deque<Path> missing = new ArrayDeque<>();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            missing.push(existing.getFileName());
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute;
        }
        Path canonical = existing.toRealPath();
        while (!missing.isEmpty()) {
            canonical = canonical.resolve(missing.pop());
        }
        return canonical;
    }

    /** Whether the file's folder is {@code folder}, also when that folder does not exist yet. */
    private static boolean sameFolder(Path file, Path folder) {
        return sameFile(file.toAbsolutePath().getParent(), folder);
    }

    /** An earlier run's report starts with the report's first columns (later versions may add columns). */
    private static boolean isReport(Path file) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = reader.readLine();
            return first == null || first.startsWith(String.join(",", ReportWriter.COLUMNS.subList(0, 5)) + ",");
        } catch (IOException e) {
            return false; // not UTF-8 text: not a report
        }
    }

    /** Checks the paths, then makes the output and report folders, refusing ones that cannot be written. */
    static void prepare(CliOptions options) {
        check(options);
        for (Path dir : new Path[] { options.output(), options.report().toAbsolutePath().getParent() }) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UsageException("cannot create the output folder " + dir + ": " + e.getMessage());
            }
            if (!Files.isWritable(dir)) {
                throw new UsageException("the output folder " + dir + " is not writable; choose another with --output");
            }
        }
    }
}
