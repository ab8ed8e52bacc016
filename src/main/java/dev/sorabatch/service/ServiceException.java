package dev.sorabatch.service;

import java.time.Duration;

/**
 * A call to the Sora service (or to a row's image URL) that did not give what was asked, with everything the
 * service said about it. The message never contains credentials.
 */
public class ServiceException extends RuntimeException {

    private final ErrorKind kind;
    private final String operation;
    private final int httpStatus;
    private final String errorCode;
    private final String errorMessage;
    private final String innerCode;
    private final String requestId;
    private final String bodyExcerpt;
    private final Duration retryAfter;

    public ServiceException(ErrorKind kind, String operation, int httpStatus, String errorCode, String errorMessage,
            String innerCode, String requestId, String bodyExcerpt, Duration retryAfter, Throwable cause) {
        super(describe(operation, httpStatus, errorCode, errorMessage, requestId), cause);
        this.kind = kind;
        this.operation = operation;
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
        this.errorMessage = errorMessage;
        this.innerCode = innerCode;
        this.requestId = requestId;
        this.bodyExcerpt = bodyExcerpt;
        this.retryAfter = retryAfter;
    }

    /** A failure below HTTP: no status, no body. */
    /**
     * The error code of a download whose answer broke off after it began: the service answered, the network lost
     * the rest, so a retry need not wait longer each time.
     */
    public static final String BODY_CUT = "body_cut";

    public static ServiceException network(ErrorKind kind, String operation, String what, Throwable cause) {
        return new ServiceException(kind, operation, 0, null, what, null, null, null, null, cause);
    }

    private static String describe(String operation, int status, String code, String message, String requestId) {
        StringBuilder sb = new StringBuilder(operation);
        if (status > 0) {
            sb.append(": HTTP ").append(status);
        } else {
            sb.append(": no HTTP answer");
        }
        if (code != null) {
            sb.append(" ").append(code);
        }
        if (message != null) {
            sb.append(": ").append(message);
        }
        if (requestId != null) {
            sb.append(" (apim-request-id ").append(requestId).append(")");
        }
        return sb.toString();
    }

    public ErrorKind kind() { return kind; }
    public String operation() { return operation; }
    public int httpStatus() { return httpStatus; }
    public String errorCode() { return errorCode; }
    public String errorMessage() { return errorMessage; }
    public String innerCode() { return innerCode; }
    public String requestId() { return requestId; }
    public String bodyExcerpt() { return bodyExcerpt; }
    public Duration retryAfter() { return retryAfter; }
    public boolean isTransient() { return kind == ErrorKind.TRANSIENT; }
}
