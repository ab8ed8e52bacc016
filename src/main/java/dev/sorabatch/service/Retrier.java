package dev.sorabatch.service;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Repeats a call that failed transiently, pausing between attempts: as long as the service asks
 * ({@code retry-after-ms} / {@code Retry-After}), otherwise exponentially longer with jitter, as the official
 * SDKs do. Row and systemic faults are thrown at once: repeating them only burns quota.
 */
public class Retrier {

    /** How often and how patiently to retry. */
    public record Policy(int maxAttempts, Duration initialDelay, Duration maxDelay, Duration maxRetryAfter) {

        /** The pause before the next try of a call that failed with {@code e}: its hint, capped, else the first delay. */
        public Duration pauseAfter(ServiceException e) {
            Duration asked = e.retryAfter();
            return asked != null ? (asked.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : asked) : initialDelay;
        }
    }

    /** Told before each pause; lets the job count attempts and log them. */
    public interface Listener {
        void beforeRetry(int failedAttempt, ServiceException fault, Duration pause);
    }

    /** Waits; replaceable so tests need not sleep. */
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final Policy policy;
    private final Sleeper sleeper;

    public Retrier(Policy policy, Sleeper sleeper) {
        this.policy = policy;
        this.sleeper = sleeper;
    }

    public Retrier(Policy policy) {
        this(policy, d -> Thread.sleep(d.toMillis()));
    }

    public Policy policy() {
        return policy;
    }

    public <T> T call(Supplier<T> attempt, Listener listener) {
        for (int n = 1;; n++) {
            try {
                return attempt.get();
            } catch (ServiceException fault) {
                if (!fault.isTransient() || n >= policy.maxAttempts()) {
                    throw fault;
                }
                Duration pause = pauseAfter(n, fault);
                listener.beforeRetry(n, fault, pause);
                try {
                    sleeper.sleep(pause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw fault;
                }
            }
        }
    }

    Duration pauseAfter(int failedAttempt, ServiceException fault) {
        if (fault.retryAfter() != null) {
            Duration asked = fault.retryAfter();
            return asked.compareTo(policy.maxRetryAfter()) > 0 ? policy.maxRetryAfter() : asked;
        }
        // a download cut short is the network's doing, not an overloaded service's: no growing pause
        int doublings = ServiceException.BODY_CUT.equals(fault.errorCode()) ? 0 : Math.min(failedAttempt - 1, 20);
        long base = policy.initialDelay().toMillis() << doublings;
        long capped = Math.min(base, policy.maxDelay().toMillis());
        double jitter = 1.0 - 0.25 * ThreadLocalRandom.current().nextDouble();
        return Duration.ofMillis((long) (capped * jitter));
    }
}
