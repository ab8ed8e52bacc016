package dev.sorabatch.http;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import okhttp3.Call;

/**
 * An overall deadline for one call, headers and body: OkHttp's read time-out starts again with every byte, so a
 * server that drips a byte every few seconds would hold a call forever. A shared daemon timer cancels the call
 * once its deadline passes (or, for calls that may be abandoned, once a stop is requested); the deadline can be
 * pushed back once the size of what is coming is known.
 */
final class CallDeadline implements AutoCloseable {

    private static final long CHECK_MILLIS = 100;
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sora-batch-call-deadlines");
        t.setDaemon(true);
        return t;
    });

    private final Call call;
    private final BooleanSupplier stop;
    private final long started = System.nanoTime();
    private volatile long deadline;
    private volatile boolean expired;
    private volatile boolean stopped;
    private final ScheduledFuture<?> check;

    private CallDeadline(Call call, Duration limit, BooleanSupplier stop) {
        this.call = call;
        this.stop = stop;
        this.deadline = started + limit.toNanos();
        this.check = TIMER.scheduleWithFixedDelay(this::check, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Watches {@code call}: cancelled once {@code limit} has passed since now. */
    static CallDeadline start(Call call, Duration limit) {
        return new CallDeadline(call, limit, () -> false);
    }

    /** Also cancelled as soon as {@code stop} says so (a call that can be abandoned without loss). */
    static CallDeadline start(Call call, Duration limit, BooleanSupplier stop) {
        return new CallDeadline(call, limit, stop);
    }

    /** The whole call may take {@code limit} from its start instead. */
    void extendTo(Duration limit) {
        deadline = Math.max(deadline, started + limit.toNanos());
    }

    boolean expired() {
        return expired;
    }

    boolean stopped() {
        return stopped;
    }

    Duration limit() {
        return Duration.ofNanos(deadline - started);
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private void check() {
        if (expired || stopped) {
            return;
        }
        if (System.nanoTime() - deadline >= 0) {
            expired = true;
            call.cancel();
        } else if (stop.getAsBoolean()) {
            stopped = true;
            call.cancel();
        }
    }

    @Override
    public void close() {
        check.cancel(false);
    }
}
