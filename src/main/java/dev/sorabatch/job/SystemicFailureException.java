package dev.sorabatch.job;

/** No row can succeed until the operator fixes something; fails the step, and with it the run (exit 1). */
public class SystemicFailureException extends RuntimeException {
    public SystemicFailureException(String diagnosis, Throwable cause) {
        super(diagnosis, cause);
    }
}
