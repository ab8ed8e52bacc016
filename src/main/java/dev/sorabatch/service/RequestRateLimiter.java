package dev.sorabatch.service;

import java.time.Duration;

/**
 * One token bucket per endpoint that every call goes through (create, poll, download, list, delete), so the run
 * never earns a 429 from its own traffic. The bucket refills slightly below the quota so that even a full burst
 * stays inside any one-minute window. A 429 that still comes (another client on the same key) pauses every
 * caller for as long as the service asks and lowers the rate; successes raise it back gradually.
 */
public class RequestRateLimiter {

    private final double quotaPerSecond;
    private final double capacity;
    private double ratePerSecond;
    private double tokens;
    private long refilledAt;
    private long pausedUntil;
    /** Callers that cannot wait, waiting now: deferrable calls let them go first. */
    private int urgentWaiting;
    /** The longest a deferrable call lets the others go first. */
    static final Duration MAX_DEFERRAL = Duration.ofSeconds(3);
    private static final long YIELD_NANOS = 5_000_000;

    /** @param requestsPerMinute the endpoint's quota; 0 or less means unlimited */
    public RequestRateLimiter(int requestsPerMinute) {
        this.capacity = requestsPerMinute <= 0 ? 0 : Math.max(1, requestsPerMinute / 20.0);
        this.quotaPerSecond = requestsPerMinute <= 0 ? 0 : (requestsPerMinute - capacity) / 60.0;
        this.ratePerSecond = quotaPerSecond;
        this.tokens = capacity;
        this.refilledAt = System.nanoTime();
    }

    public static RequestRateLimiter unlimited() {
        return new RequestRateLimiter(0);
    }

    public boolean isUnlimited() {
        return quotaPerSecond <= 0;
    }

    /** Waits until a request may be sent. */
    public void acquire() throws InterruptedException {
        acquire(false);
    }

    /**
     * Waits until a request may be sent.
     *
     * @param deferrable a call that can wait (the download of a job already ended, whose slot is free): it goes
     *                   after the calls that cannot (the create that fills the slot, the polls that free the next
     *                   ones) while they wait, and leaves them the bucket's last token, but never for longer than
     *                   {@link #MAX_DEFERRAL}, so it is never starved
     */
    public void acquire(boolean deferrable) throws InterruptedException {
        if (isUnlimited()) {
            return;
        }
        long deferUntil = System.nanoTime() + MAX_DEFERRAL.toNanos();
        synchronized (this) {
            if (!deferrable) {
                urgentWaiting++;
            }
        }
        try {
            while (true) {
                long waitNanos;
                synchronized (this) {
                    long now = System.nanoTime();
                    if (now < pausedUntil) {
                        waitNanos = pausedUntil - now;
                    } else {
                        tokens = Math.min(capacity, tokens + (now - refilledAt) / 1e9 * ratePerSecond);
                        refilledAt = now;
                        // a deferrable call also leaves the bucket's last token to the next call that cannot wait
                        boolean reserve = capacity >= 2 && tokens < 2;
                        boolean yields = deferrable && now < deferUntil && (urgentWaiting > 0 || reserve);
                        if (tokens >= 1 && !yields) {
                            tokens -= 1;
                            return;
                        }
                        double needed = yields && urgentWaiting == 0 ? 2 : 1;
                        waitNanos = tokens >= needed ? YIELD_NANOS
                                : (long) ((needed - tokens) / ratePerSecond * 1e9);
                    }
                }
                Thread.sleep(Math.max(1, waitNanos / 1_000_000));
            }
        } finally {
            if (!deferrable) {
                synchronized (this) {
                    urgentWaiting--;
                }
            }
        }
    }

    /** The service throttled us anyway: everyone waits as asked, and the pace drops. */
    public synchronized void onThrottled(Duration retryAfter) {
        if (isUnlimited()) {
            return;
        }
        long pause = (retryAfter != null ? retryAfter : Duration.ofSeconds(1)).toNanos();
        pausedUntil = Math.max(pausedUntil, System.nanoTime() + pause);
        ratePerSecond = Math.max(quotaPerSecond * 0.1, ratePerSecond * 0.7);
        tokens = 0;
    }

    public synchronized void onSuccess() {
        if (!isUnlimited() && ratePerSecond < quotaPerSecond) {
            ratePerSecond = Math.min(quotaPerSecond, ratePerSecond * 1.02);
        }
    }

    /** Requests per minute currently allowed (for logs and tests). */
    public synchronized double currentRatePerMinute() {
        return ratePerSecond * 60;
    }
}
