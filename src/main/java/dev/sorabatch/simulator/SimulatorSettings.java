package dev.sorabatch.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How the simulated Sora service behaves ({@code sora.simulator.*}). Defaults: a well-behaved service whose jobs
 * take a few seconds. Each fault rate is a probability per request (0 to 1), drawn from a seeded generator so a
 * run can be repeated exactly.
 */
public class SimulatorSettings {

    /** How long a job takes from create to {@code succeeded}. */
    private Duration jobDuration = Duration.ofSeconds(4);
    /**
     * Azure Sora runs two jobs at once per resource; more creates get 429 "Too many running tasks". fal (two for a
     * new account) queues the others instead.
     */
    private int maxRunningJobs = 2;
    /** Requests per minute before 429 with Retry-After (0 = no quota). */
    private int requestsPerMinute = 0;
    /** Delay added to every answer. */
    private Duration latency = Duration.ZERO;
    /** Jobs that end as {@code failed} with {@code internal_error}. */
    private double jobFailureRate = 0;
    /** Answers replaced by 500 or 503. */
    private double serverErrorRate = 0;
    /** Answers replaced by 429 with Retry-After (another client on the same quota). */
    private double throttleRate = 0;
    /** Connections dropped without an answer. */
    private double connectionResetRate = 0;
    /** Downloads cut in the middle of the body. */
    private double truncatedDownloadRate = 0;
    /** Creates that make the job, then drop the connection or answer 504 (a gateway giving up). */
    private double lostCreateResponseRate = 0;
    /** Answers held back for {@link #slowResponseDelay} (past a client's read time-out). */
    private double slowResponseRate = 0;
    private Duration slowResponseDelay = Duration.ofSeconds(30);
    /** Prompts containing one of these words fail with {@code input_moderation}. */
    private List<String> blockedWords = new ArrayList<>(List.of("[moderation]"));
    /**
     * {@code wrapped} ({"error":{...}}), {@code top-level} ({code, message, ...}), {@code mixed} (platform errors
     * wrapped, request errors top-level) or {@code random} (either, per answer).
     */
    private String errorEnvelope = "mixed";
    /** The deployment name the simulated resource has. */
    private String deployment = "sora";
    private long seed = 42;
    /**
     * How long a finished request's result can be fetched (fal); unset: as fal keeps it, 1 hour, or 6 minutes for
     * a result of 10 KB or more. Later fetches find it gone.
     */
    private Duration resultRetention;
    /**
     * Where jobs are kept between runs, so that a {@code --simulate} run that was killed can be resumed like a
     * real one (its jobs still exist at the "service"). Null keeps them in memory only.
     */
    private java.nio.file.Path stateFile;
    /** Google's own switches (Vertex AI and its OAuth token endpoint): {@code sora.simulator.google.*}. */
    private Google google = new Google();

    /**
     * How the simulated Google Cloud answers: the token endpoint (tokens' lifetime, a refused grant) and the
     * project (the Vertex AI API not enabled, the IAM role missing).
     */
    public static class Google {
        /** The {@code expires_in} of each access token, and how long the service honours it. */
        private Duration tokenLifetime = Duration.ofHours(1);
        /**
         * How long the service honours a token when less than its lifetime, as when this machine's clock is behind
         * Google's (null: its lifetime).
         */
        private Duration tokenValidFor;
        /** Every token request gets 400 {@code invalid_grant} with this description (empty: tokens are granted). */
        private String tokenRefusal = "";
        /** 403 {@code SERVICE_DISABLED}: the Vertex AI API is not enabled in the project. */
        private boolean apiDisabled;
        /** 403 {@code IAM_PERMISSION_DENIED}: the account lacks {@code roles/aiplatform.user}. */
        private boolean roleMissing;

        public Duration getTokenLifetime() { return tokenLifetime; }
        public void setTokenLifetime(Duration tokenLifetime) { this.tokenLifetime = tokenLifetime; }
        public Duration getTokenValidFor() { return tokenValidFor; }
        public void setTokenValidFor(Duration tokenValidFor) { this.tokenValidFor = tokenValidFor; }
        public String getTokenRefusal() { return tokenRefusal; }
        public void setTokenRefusal(String tokenRefusal) { this.tokenRefusal = tokenRefusal; }
        public boolean isApiDisabled() { return apiDisabled; }
        public void setApiDisabled(boolean apiDisabled) { this.apiDisabled = apiDisabled; }
        public boolean isRoleMissing() { return roleMissing; }
        public void setRoleMissing(boolean roleMissing) { this.roleMissing = roleMissing; }
    }

    public Duration getJobDuration() { return jobDuration; }
    public void setJobDuration(Duration jobDuration) { this.jobDuration = jobDuration; }
    public int getMaxRunningJobs() { return maxRunningJobs; }
    public void setMaxRunningJobs(int maxRunningJobs) { this.maxRunningJobs = maxRunningJobs; }
    public int getRequestsPerMinute() { return requestsPerMinute; }
    public void setRequestsPerMinute(int requestsPerMinute) { this.requestsPerMinute = requestsPerMinute; }
    public Duration getLatency() { return latency; }
    public void setLatency(Duration latency) { this.latency = latency; }
    public double getJobFailureRate() { return jobFailureRate; }
    public void setJobFailureRate(double jobFailureRate) { this.jobFailureRate = jobFailureRate; }
    public double getServerErrorRate() { return serverErrorRate; }
    public void setServerErrorRate(double serverErrorRate) { this.serverErrorRate = serverErrorRate; }
    public double getThrottleRate() { return throttleRate; }
    public void setThrottleRate(double throttleRate) { this.throttleRate = throttleRate; }
    public double getConnectionResetRate() { return connectionResetRate; }
    public void setConnectionResetRate(double connectionResetRate) { this.connectionResetRate = connectionResetRate; }
    public double getTruncatedDownloadRate() { return truncatedDownloadRate; }
    public void setTruncatedDownloadRate(double truncatedDownloadRate) { this.truncatedDownloadRate = truncatedDownloadRate; }
    public double getLostCreateResponseRate() { return lostCreateResponseRate; }
    public void setLostCreateResponseRate(double lostCreateResponseRate) { this.lostCreateResponseRate = lostCreateResponseRate; }
    public double getSlowResponseRate() { return slowResponseRate; }
    public void setSlowResponseRate(double slowResponseRate) { this.slowResponseRate = slowResponseRate; }
    public Duration getSlowResponseDelay() { return slowResponseDelay; }
    public void setSlowResponseDelay(Duration slowResponseDelay) { this.slowResponseDelay = slowResponseDelay; }
    public List<String> getBlockedWords() { return blockedWords; }
    public void setBlockedWords(List<String> blockedWords) { this.blockedWords = blockedWords; }
    public String getErrorEnvelope() { return errorEnvelope; }
    public void setErrorEnvelope(String errorEnvelope) { this.errorEnvelope = errorEnvelope; }
    public String getDeployment() { return deployment; }
    public void setDeployment(String deployment) { this.deployment = deployment; }
    public java.nio.file.Path getStateFile() { return stateFile; }
    public void setStateFile(java.nio.file.Path stateFile) { this.stateFile = stateFile; }
    public Duration getResultRetention() { return resultRetention; }
    public void setResultRetention(Duration resultRetention) { this.resultRetention = resultRetention; }
    public Google getGoogle() { return google; }
    public void setGoogle(Google google) { this.google = google; }
    public long getSeed() { return seed; }
    public void setSeed(long seed) { this.seed = seed; }
}
