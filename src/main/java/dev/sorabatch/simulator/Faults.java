package dev.sorabatch.simulator;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Random;

import dev.sorabatch.simulator.SimulatorDialect.Fault;

/**
 * What goes wrong, and when: the injected faults of {@code sora.simulator.*} drawn from one seeded generator (so a
 * run can be repeated exactly), the requests-per-minute quota, lost create answers, and what becomes of a job.
 */
public final class Faults {

    private final SimulatorSettings settings;
    private final Counters counters;
    private final Random random;
    private final Deque<Long> recentRequests = new ArrayDeque<>();

    Faults(SimulatorSettings settings, Counters counters) {
        this.settings = settings;
        this.counters = counters;
        this.random = new Random(settings.getSeed());
    }

    public synchronized boolean chance(double probability) {
        return probability > 0 && random.nextDouble() < probability;
    }

    /** A dropped connection, a 500/503, a 429, or a held-back answer (then null: the answer goes on, late). */
    LoopbackHttpServer.Reply inject(SimulatorDialect dialect) {
        if (chance(settings.getConnectionResetRate())) {
            counters.count("reset");
            return dropped();
        }
        if (chance(settings.getServerErrorRate())) {
            counters.count("server-error");
            if (chance(0.5)) {
                return dialect.fault(Fault.SERVER_ERROR, null);
            }
            return dialect.fault(Fault.UNAVAILABLE, chance(0.5) ? 1 : null);
        }
        if (chance(settings.getThrottleRate())) {
            counters.count("throttled");
            // Half of them without Retry-After: "may be omitted", and the client must back off on its own.
            return dialect.fault(Fault.THROTTLED, chance(0.5) ? 1 : null);
        }
        if (chance(settings.getSlowResponseRate())) {
            counters.count("slow");
            Wire.pause(settings.getSlowResponseDelay().toMillis());
        }
        return null;
    }

    /** Sliding one-minute window over requests; returns the Retry-After seconds when over quota. */
    synchronized Integer quotaExceeded() {
        int rpm = settings.getRequestsPerMinute();
        if (rpm <= 0) {
            return null;
        }
        long now = System.currentTimeMillis();
        while (!recentRequests.isEmpty() && recentRequests.peekFirst() <= now - 60_000) {
            recentRequests.pollFirst();
        }
        if (recentRequests.size() >= rpm) {
            long wait = recentRequests.peekFirst() + 60_000 - now;
            return (int) Math.max(1, (wait + 999) / 1000);
        }
        recentRequests.addLast(now);
        return null;
    }

    /** A create that was made but whose answer is lost: the connection drops, or a gateway answers 504. */
    public LoopbackHttpServer.Reply lostCreateAnswer(SimulatorDialect dialect) {
        if (!chance(settings.getLostCreateResponseRate())) {
            return null;
        }
        counters.count("lost-create-response");
        return chance(0.5) ? dropped() : dialect.fault(Fault.GATEWAY_TIMEOUT, null);
    }

    /** Whether a download is cut in the middle (the truncated-download fault). */
    boolean truncatesDownload() {
        return chance(settings.getTruncatedDownloadRate());
    }

    /** What will become of a job: prompt markers first, then the configured failure rate. */
    public SimulatedJob.Outcome outcomeFor(String prompt) {
        String lower = prompt.toLowerCase(Locale.ROOT);
        if (isBlocked(prompt)) {
            return SimulatedJob.Outcome.FAIL_MODERATION;
        }
        if (lower.contains("[stuck]")) {
            return SimulatedJob.Outcome.STUCK;
        }
        if (lower.contains("[fail]") || chance(settings.getJobFailureRate())) {
            return SimulatedJob.Outcome.FAIL_INTERNAL;
        }
        return SimulatedJob.Outcome.SUCCEED;
    }

    /** Whether the prompt holds one of {@code sora.simulator.blocked-words}. */
    public boolean isBlocked(String prompt) {
        String lower = prompt.toLowerCase(Locale.ROOT);
        return settings.getBlockedWords().stream()
                .anyMatch(w -> !w.isBlank() && lower.contains(w.toLowerCase(Locale.ROOT)));
    }

    public static LoopbackHttpServer.Reply dropped() {
        LoopbackHttpServer.Reply reply = new LoopbackHttpServer.Reply();
        reply.drop = true;
        return reply;
    }
}
