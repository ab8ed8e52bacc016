package dev.sorabatch.cli;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The schedule's clock: the wall clock, or (for trying a schedule) a clock that runs {@code timeScale} times
 * faster from the moment the process started, so that a night of 02:00 runs can be watched in a minute. Only the
 * waiting between ticks is compressed; the runs themselves take the time they take.
 */
final class ScheduleClock {

    private final double timeScale;
    private final ZonedDateTime origin;
    private final long originNanos = System.nanoTime();

    ScheduleClock(double timeScale, ZoneId zone) {
        if (!(timeScale >= 1)) {
            throw new UsageException("sora.schedule.time-scale must be 1 (real time) or more; it is " + timeScale);
        }
        this.timeScale = timeScale;
        this.origin = ZonedDateTime.now(zone);
    }

    ZonedDateTime now() {
        long elapsed = System.nanoTime() - originNanos;
        return origin.plusNanos((long) (elapsed * timeScale));
    }

    boolean isCompressed() {
        return timeScale > 1;
    }

    /** Waits until the clock reads {@code time}; @return false if {@code stop} was released first */
    boolean sleepUntil(ZonedDateTime time, CountDownLatch stop) throws InterruptedException {
        while (true) {
            Duration left = Duration.between(now(), time);
            if (left.isNegative() || left.isZero()) {
                return true;
            }
            long realNanos = Math.max(1, (long) (left.toNanos() / timeScale));
            if (stop.await(Math.min(realNanos, TimeUnit.SECONDS.toNanos(60)), TimeUnit.NANOSECONDS)) {
                return false;
            }
        }
    }
}
