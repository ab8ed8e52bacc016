package dev.sorabatch.cli;

import java.io.PrintStream;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import dev.sorabatch.ledger.RunCounts;

/**
 * The live progress bar on a terminal: rows done of total, in flight, failed and skipped, rate, elapsed and left
 * ({@link ProgressLine}, sized to the terminal's width), redrawn every second on the bottom line. While it is
 * shown, standard output and error go through its {@link BarScreen}: each line printed (the log's warnings) erases
 * the bar, is printed whole, and the bar is drawn again below it. A resumed run's rate and time left count only
 * this attempt's rows.
 *
 * <p>Drawn by this class rather than by a progress-bar library: the library used before (progressbar 0.10) wrote
 * {@code \r} and its line without erasing it, had no way to print a line above the bar (so a warning began on the
 * bar's line and the bar stayed in the scrollback), and below ~100 columns cut its own counts.
 */
final class ProgressBarDisplay implements AutoCloseable {

    /** Columns assumed on a console whose width cannot be read (narrow enough not to wrap). */
    private static final int CONSOLE_WIDTH = 80;

    private final long total;
    private final Supplier<RunCounts> counts;
    private final BarScreen screen;
    private final IntSupplier width;
    private final LongSupplier nanoTime;
    private final long started;
    private final ScheduledExecutorService timer;
    private Long doneAtStart;
    private Runnable restore = () -> { };
    private volatile boolean closed;

    /**
     * @param refresh how often the bar is redrawn; zero for never on its own (tests call {@link #refresh})
     */
    ProgressBarDisplay(long total, Supplier<RunCounts> counts, BarScreen screen, IntSupplier width,
            LongSupplier nanoTime, Duration refresh) {
        this.total = total;
        this.counts = counts;
        this.screen = screen;
        this.width = width;
        this.nanoTime = nanoTime;
        this.started = nanoTime.getAsLong();
        if (refresh.isZero()) {
            timer = null;
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sora-progress-bar");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::refresh, 0, refresh.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The bar on {@code terminal} (standard error when null) with the process's standard output and error printed
     * above it until {@link #close}.
     */
    static ProgressBarDisplay onStandardStreams(long total, Supplier<RunCounts> counts, PrintStream terminal,
            Duration refresh) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        BarScreen screen = new BarScreen(terminal != null ? terminal : err);
        TerminalWidth columns = new TerminalWidth();
        boolean console = System.console() != null;
        // unknown width: a console gets a line that cannot wrap; a redirected bar (sora.progress=bar) the full one
        IntSupplier width = () -> {
            int w = columns.getAsInt();
            return w > 0 ? w : console ? CONSOLE_WIDTH : 0;
        };
        Charset charset = Charset.forName(System.getProperty("sun.stdout.encoding", Charset.defaultCharset().name()));
        PrintStream aboveOut = screen.above(out, charset);
        PrintStream aboveErr = screen.above(err, charset);
        System.setOut(aboveOut);
        System.setErr(aboveErr);
        ProgressBarDisplay display = new ProgressBarDisplay(total, counts, screen, width, System::nanoTime, refresh);
        Runnable resizeOff = onWindowResized(() -> {
            columns.resized();
            display.refresh();
        });
        display.restore = () -> {
            resizeOff.run();
            aboveOut.close();
            aboveErr.close();
            System.setOut(out);
            System.setErr(err);
        };
        return display;
    }

    /**
     * A bar drawn wider than a window just made narrower would wrap at every redraw and leave its first part in
     * the scrollback: redraw at the new width at once. No SIGWINCH (Windows): the width is asked every few seconds.
     */
    @SuppressWarnings("restriction")
    private static Runnable onWindowResized(Runnable action) {
        try {
            sun.misc.Signal winch = new sun.misc.Signal("WINCH");
            sun.misc.SignalHandler before = sun.misc.Signal.handle(winch, signal -> action.run());
            return () -> sun.misc.Signal.handle(winch, before);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return () -> { }; // no such signal here
        }
    }

    /** Redraws the bar with the current counts (nothing before the run has counts). */
    void refresh() {
        if (closed) {
            return;
        }
        String line = line();
        if (line != null) {
            screen.draw(line);
        }
    }

    /** Computed outside the screen's lock: reading the counts may log, and a log line takes that lock. */
    private String line() {
        try {
            RunCounts c = counts.get();
            if (c == null) {
                return null;
            }
            long done = c.succeeded() + c.failed() + c.skipped();
            synchronized (this) {
                if (doneAtStart == null) {
                    doneAtStart = done;
                }
            }
            Duration elapsed = Duration.ofNanos(nanoTime.getAsLong() - started);
            return ProgressLine.render(c, total, doneAtStart, elapsed, width.getAsInt());
        } catch (RuntimeException e) {
            return null; // progress is best effort: never disturb the run
        }
    }

    /** The final bar stays on screen, on a line of its own; what follows is printed below it. */
    @Override
    public void close() {
        closed = true;
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        restore.run();
        screen.finish(line());
    }
}
