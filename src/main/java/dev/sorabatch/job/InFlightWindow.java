package dev.sorabatch.job;

import java.time.Duration;

/**
 * The number of video jobs this run has running at the service, capped at {@code sora.max-in-flight} (Azure Sora
 * runs two at a time per resource). Submitting waits for a free slot; collecting frees one when a job ends.
 */
public class InFlightWindow {

    private final int capacity;
    private int used;

    public InFlightWindow(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("sora.max-in-flight must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    /** At the start of a run: jobs already submitted by an earlier attempt hold their slots. */
    public synchronized void reset(int alreadyInFlight) {
        used = alreadyInFlight;
        notifyAll();
    }

    /** Waits up to {@code patience} for a slot; true when one was taken. */
    public synchronized boolean tryAcquire(Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (used >= capacity) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        used++;
        return true;
    }

    /** A job found already running (adopted after a crash): it holds a slot whether or not one is free. */
    public synchronized void occupy() {
        used++;
    }

    public synchronized void release() {
        if (used > 0) {
            used--;
        }
        notifyAll();
    }

}
