package dev.sorabatch.job;

import java.nio.file.Path;

/**
 * What the steps of one run share while it executes: which run it is, where files go, whether submitting has
 * finished, and whether a systemic fault has stopped the run (so the other step stops too, with the same cause).
 */
public class RunState {

    private volatile long runId = -1;
    private volatile boolean resendUnanswered;
    private volatile Path outputDir;
    private volatile boolean submissionFinished;
    private volatile String abortDiagnosis;
    private volatile boolean stopRequested;
    private volatile boolean reuseEarlierVideos;
    private volatile boolean simulated;
    private volatile org.springframework.batch.core.job.JobExecution execution;
    private volatile java.util.Map<String, Integer> reportTotals = java.util.Map.of();
    /** Row → the completion percentage the service last reported for its job (only services that report one). */
    private final java.util.Map<Integer, Integer> jobProgress = new java.util.concurrent.ConcurrentHashMap<>();
    /** Row → its job's place in the service's own queue, while it waits there (fal's queue_position). */
    private final java.util.Map<Integer, Integer> queuePositions = new java.util.concurrent.ConcurrentHashMap<>();
    /** Rows {@code --resend-unanswered} reopened: their lost create may be sent again, once, in this run. */
    private final java.util.Set<Integer> deliberateResends = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public void begin(org.springframework.batch.core.job.JobExecution execution, Path outputDir) {
        this.execution = execution;
        begin(execution.getJobInstanceId(), outputDir);
    }

    /** The execution under way, for a stop request from a signal. */
    public org.springframework.batch.core.job.JobExecution execution() {
        return execution;
    }

    /** When this attempt of the run started, or null before it has. */
    public java.time.Instant startedAt() {
        org.springframework.batch.core.job.JobExecution current = execution;
        return current == null || current.getStartTime() == null ? null
                : current.getStartTime().atZone(java.time.ZoneId.systemDefault()).toInstant();
    }

    /** A graceful stop (SIGTERM): submit no more rows, start no more downloads. */
    public void requestStop() {
        stopRequested = true;
    }

    public boolean isStopRequested() {
        return stopRequested;
    }

    public void begin(long runId, Path outputDir) {
        this.runId = runId;
        this.outputDir = outputDir;
        this.submissionFinished = false;
        this.abortDiagnosis = null;
        this.reportTotals = java.util.Map.of();
        this.jobProgress.clear();
        this.queuePositions.clear();
        this.deliberateResends.clear();
    }

    /** {@code --resend-unanswered}: an earlier run's unanswered creates may be sent again in this one. */
    public void resendUnanswered(boolean resend) {
        this.resendUnanswered = resend;
    }

    public boolean resendsUnanswered() {
        return resendUnanswered || !reusesEarlierVideos();
    }

    /** Rows whose unanswered create the user asked to send again ({@code --resend-unanswered}). */
    public void resendDeliberately(java.util.Collection<Integer> rows) {
        deliberateResends.addAll(rows);
    }

    /** Whether this row's create may be sent again now; true once per row, so a resend lost in turn is not resent. */
    public boolean takeDeliberateResend(int row) {
        return deliberateResends.remove(row);
    }

    /** What a poll said of a job's place in the service's queue; null once it runs or is finished. */
    public void jobQueued(int row, Integer position) {
        if (position == null) {
            queuePositions.remove(row);
        } else {
            queuePositions.put(row, position);
        }
    }

    /** Jobs waiting in the service's queue. */
    public int queuedJobs() {
        return queuePositions.size();
    }

    /** The best place a waiting job holds in the service's queue (0: next), or null when none waits. */
    public Integer nextInQueue() {
        return queuePositions.values().stream().min(Integer::compare).orElse(null);
    }

    /** What a poll said of a job's progress; null once the row is finished. */
    public void jobProgress(int row, Integer percent) {
        if (percent == null) {
            jobProgress.remove(row);
        } else {
            jobProgress.put(row, percent);
        }
    }

    /** The average progress of the jobs that report one, or null when none does. */
    public Integer averageJobProgress() {
        return jobProgress.isEmpty() ? null
                : (int) Math.round(jobProgress.values().stream().mapToInt(Integer::intValue).average().orElse(0));
    }

    /** Lines per status in the report this run wrote. */
    public void reported(java.util.Map<String, Integer> totals) {
        this.reportTotals = java.util.Map.copyOf(totals);
    }

    public int reported(String status) {
        return reportTotals.getOrDefault(status, 0);
    }

    public long runId() {
        if (runId < 0) {
            throw new IllegalStateException("no run has begun");
        }
        return runId;
    }

    public Path outputDir() {
        return outputDir;
    }

    public void submissionFinished() {
        submissionFinished = true;
    }

    public boolean isSubmissionFinished() {
        return submissionFinished;
    }

    public synchronized void abort(String diagnosis) {
        if (abortDiagnosis == null) {
            abortDiagnosis = diagnosis;
        }
    }

    public boolean isAborted() {
        return abortDiagnosis != null;
    }

    public String abortDiagnosis() {
        return abortDiagnosis;
    }

    /**
     * Set by the command before each run: whether a row whose video an earlier run delivered is reused rather than
     * sent (not with {@code --again}; a scheduled run only with {@code sora.schedule.reuse}), and whether the run
     * talks to the simulator, whose videos must never stand for a real service's.
     */
    public void reuse(boolean reuseEarlierVideos, boolean simulated) {
        this.reuseEarlierVideos = reuseEarlierVideos;
        this.simulated = simulated;
    }

    public boolean reusesEarlierVideos() {
        return reuseEarlierVideos;
    }

    public boolean simulated() {
        return simulated;
    }
}
