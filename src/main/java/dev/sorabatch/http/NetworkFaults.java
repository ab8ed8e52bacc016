package dev.sorabatch.http;

import dev.sorabatch.service.ErrorKind;
import dev.sorabatch.service.Operation;
import dev.sorabatch.service.ServiceException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

import javax.net.ssl.SSLException;

import dev.sorabatch.files.AtomicFiles.IncompleteDownloadException;
import dev.sorabatch.files.AtomicFiles.OutputFolderException;

/** Names what went wrong below HTTP in words an operator can act on, and how much it matters. */
public final class NetworkFaults {

    private NetworkFaults() {
    }

    /** The error code of a redirect chain that goes round in circles. */
    public static final String REDIRECT_LOOP = "redirect_loop";
    /** The error code of a call cancelled at its overall deadline. */
    public static final String DEADLINE = "deadline_exceeded";

    /**
     * A download whose answer began and then broke off (the connection cut, fewer bytes than announced): the service
     * answered, the network lost the rest; retried without a growing pause ({@link ServiceException#BODY_CUT}).
     */
    static final class BodyCutException extends IOException {
        private final int status;

        BodyCutException(int status, IOException cause) {
            super(cause.getMessage(), cause);
            this.status = status;
        }
    }

    static ServiceException of(Operation operation, String host, IOException e) {
        if (e instanceof BodyCutException cut) {
            ServiceException plain = of(operation, host, (IOException) cut.getCause());
            return new ServiceException(plain.kind(), operation.label(), cut.status, ServiceException.BODY_CUT,
                    plain.errorMessage(), null, null, null, null, cut.getCause());
        }
        ErrorKind wrongAddress = operation == Operation.FETCH_IMAGE ? ErrorKind.ROW : ErrorKind.SYSTEMIC;
        if (e instanceof CredentialScope.RedirectLoopException loop) {
            // Repeating a loop gives the same loop. A file (image, video) that loops fails its row; the API
            // itself looping fails every call, so the run stops.
            boolean aFile = operation == Operation.FETCH_IMAGE || operation == Operation.DOWNLOAD_VIDEO
                    || operation == Operation.DOWNLOAD_THUMBNAIL;
            return new ServiceException(aFile ? ErrorKind.ROW : ErrorKind.SYSTEMIC, operation.label(), 0,
                    REDIRECT_LOOP, loop.getMessage(), null, null, null, null, e);
        }
        if (e instanceof UnknownHostException) {
            return ServiceException.network(wrongAddress, operation.label(),
                    "cannot resolve host '" + host + "' (DNS lookup failed)", e);
        }
        if (e instanceof SSLException) {
            return ServiceException.network(wrongAddress, operation.label(),
                    "TLS handshake with '" + host + "' failed: " + e.getMessage(), e);
        }
        if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
            return ServiceException.network(ErrorKind.TRANSIENT, operation.label(),
                    "cannot connect to '" + host + "': " + e.getMessage(), e);
        }
        if (e instanceof SocketTimeoutException || e instanceof InterruptedIOException) {
            return ServiceException.network(ErrorKind.TRANSIENT, operation.label(),
                    "timed out waiting for '" + host + "'", e);
        }
        if (e instanceof OutputFolderException local) {
            return ServiceException.network(ErrorKind.SYSTEMIC, Operation.SAVE_FILE.label(), local.getMessage(), e);
        }
        if (e instanceof IncompleteDownloadException) {
            return ServiceException.network(ErrorKind.TRANSIENT, operation.label(), e.getMessage(), e);
        }
        return ServiceException.network(ErrorKind.TRANSIENT, operation.label(),
                "connection to '" + host + "' dropped: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
    }

    /**
     * A call cancelled at its overall deadline: worth another try later (a create's answer counts as lost, so the
     * caller looks for the job before sending it again).
     */
    static ServiceException pastDeadline(Operation operation, String host, java.time.Duration elapsed,
            String property, IOException e) {
        return new ServiceException(ErrorKind.TRANSIENT, operation.label(), 0, DEADLINE, "no complete answer from '"
                + host + "' within " + elapsed.toSeconds() + " s (" + property + ")", null, null, null, null, e);
    }

    /** True when the request may have reached the service before the failure (the create might have happened). */
    public static boolean mayHaveBeenReceived(ServiceException e) {
        Throwable cause = e.getCause();
        return e.httpStatus() == 0 && !(cause instanceof UnknownHostException) && !(cause instanceof OutputFolderException) && !(cause instanceof ConnectException)
                && !(cause instanceof NoRouteToHostException) && !(cause instanceof SSLException);
    }
}
