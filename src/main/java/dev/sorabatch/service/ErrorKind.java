package dev.sorabatch.service;

/** How a failed call affects the run. */
public enum ErrorKind {
    /** Worth another try after a pause: throttling, time-outs, dropped connections, 5xx. */
    TRANSIENT,
    /** This row cannot succeed as it is (bad parameters, moderation, failed job); the run goes on. */
    ROW,
    /** No row can succeed until the operator fixes something (key, endpoint, deployment); the run stops. */
    SYSTEMIC
}
