package dev.sorabatch.simulator;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** What the simulator saw, for tests to read: requests by kind, the most jobs running at once, the busy span. */
final class Counters {

    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private volatile int maxConcurrentJobs;
    private volatile long firstCreateNanos;
    private volatile long lastDownloadNanos;

    void count(String kind) {
        requests.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    }

    int requestCount(String kind) {
        AtomicInteger n = requests.get(kind);
        return n == null ? 0 : n.get();
    }

    int totalRequests() {
        return requests.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    synchronized void created() {
        if (firstCreateNanos == 0) {
            firstCreateNanos = System.nanoTime();
        }
    }

    synchronized void running(int jobs) {
        maxConcurrentJobs = Math.max(maxConcurrentJobs, jobs);
    }

    int maxConcurrentJobs() {
        return maxConcurrentJobs;
    }

    void downloaded() {
        lastDownloadNanos = System.nanoTime();
    }

    long firstCreateNanos() {
        return firstCreateNanos;
    }

    long lastDownloadNanos() {
        return lastDownloadNanos;
    }

    Duration busySpan() {
        return Duration.ofNanos(Math.max(0, lastDownloadNanos - firstCreateNanos));
    }
}
