package dev.sorabatch.files;

import java.util.Locale;

/**
 * Fault injection for the "never pay twice" tests: ends the process at a named point exactly as {@code kill -9}
 * would (no shutdown hooks, no flushing), so that each dangerous moment can be hit on purpose rather than by
 * luck. Off unless {@code sora.fault.crash-at=<point>[:n]} is set (crash on the n-th time the point is reached).
 *
 * <p>Points: {@code before-create} (row marked as being submitted, create not sent), {@code after-create}
 * (create answered, job id not yet recorded), {@code after-submit} (job id recorded), {@code mid-poll},
 * {@code mid-download} (video fully in its temporary file, not yet renamed), {@code mid-report}.
 */
public final class CrashPoints {

    private static volatile String point;
    private static int remaining;

    private CrashPoints() {
    }

    public static synchronized void configure(String spec) {
        if (spec == null || spec.isBlank()) {
            point = null;
            return;
        }
        String[] parts = spec.strip().toLowerCase(Locale.ROOT).split(":");
        point = parts[0];
        remaining = parts.length > 1 ? Integer.parseInt(parts[1]) : 1;
    }

    public static void reach(String name) {
        if (point == null || !point.equals(name)) {
            return;
        }
        synchronized (CrashPoints.class) {
            if (--remaining == 0) {
                System.err.println("sora-batch: crash point '" + name + "' reached: halting as kill -9 would");
                Runtime.getRuntime().halt(137);
            }
        }
    }
}
