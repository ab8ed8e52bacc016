package dev.sorabatch.ledger;

import dev.sorabatch.service.ServiceException;

/** What the report says about a row that did not succeed. */
public record Failure(Integer httpStatus, String errorCode, String errorMessage, String diagnosis, String requestId) {

    public static Failure of(ServiceException e, String diagnosis) {
        return new Failure(e.httpStatus() > 0 ? e.httpStatus() : null,
                e.innerCode() != null && e.errorCode() != null ? e.errorCode() + "/" + e.innerCode()
                        : e.errorCode() != null ? e.errorCode() : e.innerCode(),
                e.errorMessage() != null ? e.errorMessage() : e.getMessage(), diagnosis, e.requestId());
    }

    public static Failure described(String code, String message, String diagnosis) {
        return new Failure(null, code, message, diagnosis, null);
    }
}
