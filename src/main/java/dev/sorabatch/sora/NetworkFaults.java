package dev.sorabatch.sora;

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

    static SoraApiException of(Operation operation, String host, IOException e) {
        ErrorKind wrongAddress = operation == Operation.FETCH_IMAGE ? ErrorKind.ROW : ErrorKind.SYSTEMIC;
        if (e instanceof UnknownHostException) {
            return SoraApiException.network(wrongAddress, operation.label(),
                    "cannot resolve host '" + host + "' (DNS lookup failed)", e);
        }
        if (e instanceof SSLException) {
            return SoraApiException.network(wrongAddress, operation.label(),
                    "TLS handshake with '" + host + "' failed: " + e.getMessage(), e);
        }
        if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
            return SoraApiException.network(ErrorKind.TRANSIENT, operation.label(),
                    "cannot connect to '" + host + "': " + e.getMessage(), e);
        }
        if (e instanceof SocketTimeoutException || e instanceof InterruptedIOException) {
            return SoraApiException.network(ErrorKind.TRANSIENT, operation.label(),
                    "timed out waiting for '" + host + "'", e);
        }
        if (e instanceof OutputFolderException local) {
            return SoraApiException.network(ErrorKind.SYSTEMIC, Operation.SAVE_FILE.label(), local.getMessage(), e);
        }
        if (e instanceof IncompleteDownloadException) {
            return SoraApiException.network(ErrorKind.TRANSIENT, operation.label(), e.getMessage(), e);
        }
        return SoraApiException.network(ErrorKind.TRANSIENT, operation.label(),
                "connection to '" + host + "' dropped: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
    }

    /** True when the request may have reached the service before the failure (the create might have happened). */
    public static boolean mayHaveBeenReceived(SoraApiException e) {
        Throwable cause = e.getCause();
        return e.httpStatus() == 0 && !(cause instanceof UnknownHostException) && !(cause instanceof OutputFolderException) && !(cause instanceof ConnectException)
                && !(cause instanceof NoRouteToHostException) && !(cause instanceof SSLException);
    }
}
