package dev.sorabatch.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.sorabatch.i18n.Messages;

/**
 * SIGTERM or Ctrl-C during a run (a scheduler stopping the job): stop taking new rows, let the calls in flight
 * finish and be recorded, mark the run stopped in the job repository, print the summary, and exit 1 within a
 * bounded time. The next launch resumes the run and collects the jobs in flight by id.
 *
 * <p>Its lines go to {@code System.err} as it is when they are printed (the progress bar swaps it to keep its
 * line clean). The hook waits for the command to finish, then halts with its exit code: once the JVM is shutting down, the
 * main thread's own {@code System.exit} would block forever.
 */
final class GracefulShutdown {

    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;
    private volatile int exitCode = ExitCodes.RUN_FAILED;

    GracefulShutdown(Runnable requestStop, Duration grace) {
        hook = new Thread(() -> {
            System.err.println(Messages.get("run.stop-requested", grace.toSeconds()));
            requestStop.run();
            try {
                if (!finished.await(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    System.err.println(Messages.get("run.stop-timeout", grace.toSeconds()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(exitCode);
        }, "sora-batch-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The command is done: remove the hook, or, if the JVM is already shutting down, let the hook exit. */
    void finished(int code) {
        exitCode = code;
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running and will halt with exitCode
        }
    }
}
