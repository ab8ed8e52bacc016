package dev.sorabatch.job;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The collector's download threads: finished jobs' files are fetched here so that polling hundreds of jobs never
 * waits behind a large video. It knows which rows are downloading right now, so the collector skips them.
 */
final class DownloadPool implements AutoCloseable {

    private final ExecutorService pool;
    private final Set<String> downloading = ConcurrentHashMap.newKeySet();

    DownloadPool(int threads) {
        AtomicInteger count = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "sora-download-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The rows downloading now (a copy: taken before the ledger is read). */
    Set<String> busy() {
        return Set.copyOf(downloading);
    }

    boolean idle() {
        return downloading.isEmpty();
    }

    /** Runs {@code download} for row {@code key}; whatever it throws goes to {@code onCrash}, never lost. */
    void start(String key, Runnable download, Consumer<RuntimeException> onCrash) {
        downloading.add(key);
        pool.execute(() -> {
            try {
                download.run();
            } catch (RuntimeException e) {
                onCrash.accept(e);
            } finally {
                downloading.remove(key);
                synchronized (this) {
                    notifyAll();
                }
            }
        });
    }

    /** Waits, at most {@code max}, for the downloads under way to finish and record. */
    synchronized void awaitIdle(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!downloading.isEmpty()) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return;
            }
            wait(left);
        }
    }

    /** No new downloads; those under way are interrupted (the step waited for them before it ended). */
    @Override
    public void close() {
        pool.shutdownNow();
    }
}
