package dev.sorabatch.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Every setting of a run, as Spring Boot properties ({@code sora.*} in application.yml, {@code --sora.x=...} on the
 * command line, or {@code SORA_X} environment variables). The endpoint and key default to the variables the
 * original app used, {@code AZURE_SORA_ENDPOINT} and {@code AZURE_API_KEY}.
 */
@ConfigurationProperties("sora")
public record SoraProperties(
        String endpoint,
        String apiKey,
        String deployment,
        String model,
        @DefaultValue("auto") String provider,
        @DefaultValue OpenAi openai,
        @DefaultValue Fal fal,
        @DefaultValue Vertex vertex,
        @DefaultValue Gemini gemini,
        @DefaultValue Defaults defaults,
        @DefaultValue("2") int maxInFlight,
        @DefaultValue("4") int downloadThreads,
        @DefaultValue("60") int requestsPerMinute,
        @DefaultValue Poll poll,
        @DefaultValue("20m") Duration jobTimeout,
        @DefaultValue("24h") Duration jobRetention,
        @DefaultValue Retry retry,
        @DefaultValue Http http,
        @DefaultValue("20971520") long imageMaxBytes,
        @DefaultValue("32000") int maxPromptChars,
        @DefaultValue("5") int systemicFailureThreshold,
        @DefaultValue Schedule schedule,
        @DefaultValue("en") String lang,
        @DefaultValue Dotenv dotenv,
        @DefaultValue java.util.List<EndpointSettings> endpoints) {

    /**
     * Values used when a row leaves a column empty; unset ones take the provider's own defaults (Azure Sora:
     * 480x480, 5 s; Videos API: 720x1280, 4 s).
     */
    public record Defaults(Integer width, Integer height, Integer nSeconds, @DefaultValue("1") int nVariants) {
    }

    /**
     * One of several endpoints a run spreads its rows over ({@code sora.endpoints[0].endpoint=…}): its own URL, key,
     * deployment, in-flight cap and request quota (unset ones take {@code sora.*}'s). All speak the same protocol.
     */
    public record EndpointSettings(String name, String endpoint, String apiKey, String deployment, String provider,
            Integer maxInFlight, Integer requestsPerMinute) {
    }

    /** The Videos API's conventional variables: {@code OPENAI_BASE_URL} and {@code OPENAI_API_KEY}. */
    public record OpenAi(String baseUrl, String apiKey) {
    }

    /**
     * Vertex AI Veo ({@code --provider=vertex-veo}): the project and location ({@code GOOGLE_CLOUD_PROJECT},
     * {@code GOOGLE_CLOUD_LOCATION}), the API root (default {@code https://{location}-aiplatform.googleapis.com/v1}),
     * and where the videos go: {@code storageUri} ({@code gs://bucket/prefix}) or, unset, inline in the answer;
     * {@code storageUrl} is the Cloud Storage JSON API they are fetched from. {@code credentialsFile} is a Google key
     * file ({@code GOOGLE_APPLICATION_CREDENTIALS}, also from {@code .env}); unset, Application Default Credentials.
     */
    public record Vertex(String project, @DefaultValue("us-central1") String location, String baseUrl,
            String storageUri, @DefaultValue("https://storage.googleapis.com") String storageUrl,
            String credentialsFile) {

        /** {@code baseUrl}, else the location's regional endpoint (the global one for {@code global}). */
        public String resolvedBaseUrl() {
            if (baseUrl != null && !baseUrl.isBlank()) {
                return baseUrl.strip();
            }
            String where = location == null || location.isBlank() ? "us-central1" : location.strip();
            return where.equals("global") ? "https://aiplatform.googleapis.com/v1"
                    : "https://" + where + "-aiplatform.googleapis.com/v1";
        }
    }

    /**
     * Veo on the Gemini API ({@code --provider=gemini-veo}): the API root with its version, and the key,
     * {@code GEMINI_API_KEY} or {@code GOOGLE_API_KEY} ({@code googleApiKey}).
     */
    public record Gemini(@DefaultValue("https://generativelanguage.googleapis.com/v1beta") String baseUrl,
            String apiKey, String googleApiKey) {

        /** The key: {@code GOOGLE_API_KEY} when both are set, as Google's SDK chooses; null when neither is. */
        public String resolvedKey() {
            return !blank(googleApiKey) ? googleApiKey : blank(apiKey) ? null : apiKey;
        }

        /** The variable {@link #resolvedKey()} comes from, for messages (never the key). */
        public String keyVariable() {
            return !blank(googleApiKey) ? "GOOGLE_API_KEY" : "GEMINI_API_KEY";
        }

        /** Both variables are set, to different keys: the one used is named (doctor). */
        public boolean bothKeys() {
            return !blank(googleApiKey) && !blank(apiKey) && !googleApiKey.strip().equals(apiKey.strip());
        }

        private static boolean blank(String value) {
            return value == null || value.isBlank();
        }
    }

    /**
     * The fal.ai queue ({@code --provider=fal}): {@code FAL_QUEUE_URL}, {@code FAL_API_URL} (its request list) and
     * the key, {@code FAL_KEY} or {@code FAL_KEY_ID} with {@code FAL_KEY_SECRET}.
     */
    public record Fal(@DefaultValue("https://queue.fal.run") String queueUrl,
            @DefaultValue("https://api.fal.ai/v1") String apiUrl, String key, String keyId, String keySecret) {

        /** {@code FAL_KEY}, else {@code FAL_KEY_ID:FAL_KEY_SECRET} as fal's clients join them; null when neither. */
        public String resolvedKey() {
            if (key != null && !key.isBlank()) {
                return key;
            }
            boolean pair = keyId != null && !keyId.isBlank() && keySecret != null && !keySecret.isBlank();
            return pair ? keyId.strip() + ":" + keySecret.strip() : null;
        }
    }

    /**
     * How often a submitted job is asked for its status: {@code interval} until the run has learned how long jobs
     * take, then (when {@code adaptive}) a first poll just before a job of that shape is typically done and close
     * polls, no closer than {@code minStep}, around that time.
     */
    public record Poll(@DefaultValue("5s") Duration interval, @DefaultValue("250ms") Duration tick,
            @DefaultValue("true") boolean adaptive, @DefaultValue("200ms") Duration minStep) {
    }

    /**
     * Transient faults: how many attempts per call, and the exponential back-off between them. {@code orphanSettle}
     * is how long to wait after a create went unanswered before looking for the job it may have made.
     */
    public record Retry(@DefaultValue("6") int maxAttempts, @DefaultValue("1s") Duration initialDelay,
            @DefaultValue("30s") Duration maxDelay, @DefaultValue("120s") Duration maxRetryAfter,
            @DefaultValue("5") int maxDownloadRounds, @DefaultValue("10s") Duration orphanSettle) {
    }

    /**
     * {@code --schedule}: {@code maxRuns} ends the process after that many runs (0 = never); {@code timeScale} runs
     * the schedule's clock that many times faster than real time, to try a nightly schedule in minutes;
     * {@code reuse} lets each tick reuse the videos earlier runs delivered, as a run by hand does (off: each tick
     * generates every row anew).
     */
    public record Schedule(@DefaultValue("0") int maxRuns, @DefaultValue("1") double timeScale,
            @DefaultValue("false") boolean reuse) {
    }

    /**
     * {@code .env} / {@code .env.local}: the folder they are read from, and the lines that could not be used
     * ({@code file:line:kind}, set by {@link DotEnvEnvironmentPostProcessor}).
     */
    public record Dotenv(@DefaultValue(".") String dir, @DefaultValue java.util.List<String> problems) {

        /** Each problem in the user's words: the file, the line, what is wrong and the fix; never the line itself. */
        public java.util.List<String> describedProblems() {
            return problems.stream().map(p -> {
                int kindAt = p.lastIndexOf(':');
                int lineAt = p.lastIndexOf(':', kindAt - 1);
                return dev.sorabatch.i18n.Messages.get("dotenv." + p.substring(kindAt + 1), p.substring(0, lineAt),
                        p.substring(lineAt + 1, kindAt));
            }).toList();
        }
    }

    /**
     * Network time-outs, and the overall deadline of each call (headers and body): {@code callDeadline} for a
     * create, poll, list or delete, {@code imageDeadline} for a row's image URL, {@code downloadDeadline} plus one
     * second per {@code minDownloadRate} bytes announced for a video or thumbnail.
     */
    public record Http(@DefaultValue("10s") Duration connectTimeout, @DefaultValue("60s") Duration readTimeout,
            @DefaultValue("2m") Duration callDeadline, @DefaultValue("60s") Duration imageDeadline,
            @DefaultValue("5m") Duration downloadDeadline, @DefaultValue("262144") long minDownloadRate) {

        public dev.sorabatch.http.HttpDeadlines deadlines() {
            return new dev.sorabatch.http.HttpDeadlines(callDeadline, imageDeadline, downloadDeadline,
                    minDownloadRate);
        }
    }
}
