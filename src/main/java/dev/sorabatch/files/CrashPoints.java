package dev.sorabatch.files;

import java.util.Locale;

/**
 * Fault injection for the "never pay twice" tests: ends the process at a named point exactly as {@code kill -9}
 * would (no shutdown hooks, no flushing), so that each dangerous moment can be hit on purpose rather than by
 * luck. A bean, {@link #NONE} (inert) unless {@code sora.fault.crash-at=<point>[:n]} is set (crash on the n-th time
 * the point is reached); the classes that hold a dangerous moment are handed it, and {@link AtomicFiles} is given
 * its hook only when one is enabled.
 *
 * <p>Points: {@code before-create} (row marked as being submitted, create not sent), {@code after-create}
 * (create answered, job id not yet recorded), {@code after-submit} (job id recorded), {@code mid-poll},
 * {@code mid-download} (video fully in its temporary file, not yet renamed), {@code mid-report}.
 */
public final class CrashPoints {

    /** Reaches nothing: the production path. */
    public static final CrashPoints NONE = new CrashPoints(null, 0);

    private final String point;
    private int remaining;

    private CrashPoints(String point, int remaining) {
        this.point = point;
        this.remaining = remaining;
    }

    /** From {@code sora.fault.crash-at}; {@link #NONE} when blank. A file renamed into place is the last two points. */
    public static CrashPoints of(String spec) {
        if (spec == null || spec.isBlank()) {
            AtomicFiles.beforeRename(target -> { }); // none listens: a previous run's in this JVM is gone
            return NONE;
        }
        String[] parts = spec.strip().toLowerCase(Locale.ROOT).split(":");
        CrashPoints crash = new CrashPoints(parts[0], parts.length > 1 ? Integer.parseInt(parts[1]) : 1);
        AtomicFiles.beforeRename(target -> crash.reach(target.getFileName().toString().endsWith(".csv")
                ? "mid-report" : "mid-download"));
        return crash;
    }

    public void reach(String name) {
        if (point == null || !point.equals(name)) {
            return;
        }
        synchronized (this) {
            if (--remaining == 0) {
                System.err.println("sora-batch: crash point '" + name + "' reached: halting as kill -9 would");
                Runtime.getRuntime().halt(137);
            }
        }
    }
}
