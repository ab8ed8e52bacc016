package dev.sorabatch.simulator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;

/**
 * The simulated resource's jobs, and its cap on running ones, in the two ways services apply it: refuse a create
 * over the cap (Azure, the Videos API: 429 "Too many running tasks"), or accept it and keep it waiting in a queue
 * until a slot frees (fal). Every job is written to the state file as it is created and as its life changes.
 */
public final class JobTable {

    private final SimulatorSettings settings;
    private final Counters counters;
    private final JobStateFile stateFile;
    private final Map<String, SimulatedJob> jobs = new ConcurrentHashMap<>();
    private final Map<String, SimulatedJob> generations = new ConcurrentHashMap<>();
    /** Only jobs that may still hold a slot are kept here, so the count stays cheap after 100,000 jobs. */
    private final Set<SimulatedJob> active = new HashSet<>();
    /** Accepted jobs waiting for a slot, first come first started. */
    private final Deque<SimulatedJob> waiting = new ArrayDeque<>();
    private final List<SimulatedJob> createdInOrder = Collections.synchronizedList(new ArrayList<>());

    JobTable(SimulatorSettings settings, Counters counters) {
        this.settings = settings;
        this.counters = counters;
        this.stateFile = new JobStateFile(settings.getStateFile());
    }

    /** Jobs created by earlier simulator processes (within the 24 hours the service keeps them). */
    void load() {
        long oldest = System.currentTimeMillis() - 86_400_000L;
        stateFile.load(new JobStateFile.Events() {
            @Override
            public void created(SimulatedJob job) {
                if (job.createdAtMillis >= oldest) {
                    remember(job);
                }
            }

            @Override
            public void started(String id, long atMillis) {
                SimulatedJob job = jobs.get(id);
                if (job != null) {
                    job.startedAtMillis = atMillis;
                    waiting.remove(job);
                    active.add(job);
                }
            }

            @Override
            public void cancelled(String id, long atMillis) {
                SimulatedJob job = jobs.get(id);
                if (job != null) {
                    job.cancelAt(atMillis);
                    waiting.remove(job);
                }
            }

            @Override
            public void deleted(String id) {
                SimulatedJob job = jobs.get(id);
                if (job != null) {
                    job.markDeleted();
                }
            }
        });
    }

    /**
     * Starts a job if the resource has room for one more running job (else null, counted as too-many-running),
     * and records it, in memory and in the state file.
     */
    public synchronized SimulatedJob admit(LongFunction<SimulatedJob> create) {
        long now = System.currentTimeMillis();
        active.removeIf(j -> !j.isRunning(now));
        long running = active.size();
        if (running >= settings.getMaxRunningJobs()) {
            counters.count("too-many-running");
            return null;
        }
        counters.running((int) running + 1);
        return record(create.apply(now));
    }

    /** Accepts a job whatever the load: it waits in the queue (not started) until a slot frees. */
    public synchronized SimulatedJob enqueue(LongFunction<SimulatedJob> create) {
        long now = System.currentTimeMillis();
        SimulatedJob job = create.apply(now);
        job.startedAtMillis = -1;
        record(job);
        startWaitingJobs(now);
        return job;
    }

    private SimulatedJob record(SimulatedJob job) {
        counters.created();
        remember(job);
        createdInOrder.add(job);
        stateFile.created(job);
        return job;
    }

    private void remember(SimulatedJob job) {
        jobs.put(job.id, job);
        if (job.hasStarted()) {
            active.add(job);
        } else {
            waiting.addLast(job);
        }
        job.generationIds.forEach(g -> generations.put(g, job));
    }

    /**
     * Starts the waiting jobs a slot has freed for by {@code now}, each at the moment its slot freed, so that a
     * job's life does not depend on how often it is polled.
     */
    public synchronized void startWaitingJobs(long now) {
        while (!waiting.isEmpty()) {
            SimulatedJob head = waiting.peekFirst();
            if (head.isDeleted() || head.isCancelled()) {
                waiting.pollFirst();
                continue;
            }
            long arrived = head.createdAtMillis;
            active.removeIf(j -> j.slotFreedAtMillis() <= arrived);
            long start = arrived;
            if (active.size() >= settings.getMaxRunningJobs()) {
                SimulatedJob first = active.stream().min(Comparator.comparingLong(SimulatedJob::slotFreedAtMillis))
                        .orElseThrow();
                if (first.slotFreedAtMillis() > now) {
                    return;
                }
                active.remove(first);
                start = Math.max(start, first.slotFreedAtMillis());
            }
            waiting.pollFirst();
            head.startedAtMillis = start;
            active.add(head);
            counters.running(active.size());
            stateFile.started(head);
        }
    }

    /** A waiting job's place in the queue, 0 for the next to start; -1 once it has started. */
    public synchronized int queuePosition(SimulatedJob job) {
        int position = 0;
        for (SimulatedJob waitingJob : waiting) {
            if (waitingJob == job) {
                return position;
            }
            if (!waitingJob.isCancelled() && !waitingJob.isDeleted()) {
                position++;
            }
        }
        return -1;
    }

    /** The client called the job off: a waiting one never starts, a running one stops now. */
    public synchronized void cancel(SimulatedJob job) {
        long now = System.currentTimeMillis();
        job.cancelAt(now);
        waiting.remove(job);
        stateFile.cancelled(job, now);
    }

    public void delete(SimulatedJob job) {
        job.markDeleted();
        stateFile.deleted(job);
    }

    /** The job, unless it never was or was deleted. */
    public SimulatedJob live(String id) {
        SimulatedJob job = jobs.get(id);
        return job == null || job.isDeleted() ? null : job;
    }

    /** The job a generation belongs to (Azure jobs), or null. */
    public SimulatedJob byGeneration(String generationId) {
        return generations.get(generationId);
    }

    /** The live jobs a dialect created. */
    public List<SimulatedJob> of(String dialect) {
        List<SimulatedJob> mine = new ArrayList<>();
        for (SimulatedJob job : jobs.values()) {
            if (!job.isDeleted() && job.dialect.equals(dialect)) {
                mine.add(job);
            }
        }
        return mine;
    }

    List<String> createdPrompts() {
        synchronized (createdInOrder) {
            return createdInOrder.stream().map(j -> j.prompt).toList();
        }
    }

    void expireAll() {
        jobs.values().forEach(SimulatedJob::markDeleted);
    }
}
