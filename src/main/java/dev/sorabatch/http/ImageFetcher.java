package dev.sorabatch.http;

import dev.sorabatch.service.ErrorKind;
import dev.sorabatch.service.Operation;
import dev.sorabatch.service.ReferenceImage;
import dev.sorabatch.service.ServiceException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

import dev.sorabatch.i18n.Messages;
import okhttp3.Call;

import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Fetches a row's {@code image_url} before the create, so that a dead link, an HTML error page or a huge file is
 * reported against the row instead of being sent to (and billed by) the service. It never sends a credential
 * (redirects included: {@link CredentialScope#none()}), and the whole fetch has a deadline: a host that drips the
 * image byte by byte fails its row instead of holding the run.
 */
public class ImageFetcher {

    /** The error code of a fetch abandoned because the run is stopping (the row is left to the next run). */
    public static final String STOPPED = "stopped";

    private final OkHttpClient http;
    private final long maxBytes;
    private final Duration deadline;

    public ImageFetcher(OkHttpClient http, long maxBytes) {
        this(http, maxBytes, HttpDeadlines.DEFAULT.image());
    }

    public ImageFetcher(OkHttpClient http, long maxBytes, Duration deadline) {
        this.http = CredentialScope.none().client(http);
        this.maxBytes = maxBytes;
        this.deadline = deadline;
    }

    public ReferenceImage fetch(String imageUrl) {
        return fetch(imageUrl, () -> false);
    }

    /** @param stop abandons the fetch as soon as it says so (a SIGTERM): nothing was sent to the service yet */
    public ReferenceImage fetch(String imageUrl, BooleanSupplier stop) {
        HttpUrl url = HttpUrl.parse(imageUrl);
        if (url == null) {
            throw rowProblem(0, Messages.get("image.not-a-url", imageUrl));
        }
        Request request = new Request.Builder().url(url).header("Accept", "image/jpeg, image/png, image/webp")
                .header("User-Agent", "sora-batch").tag(Operation.class, Operation.FETCH_IMAGE).get().build();
        Call call = http.newCall(request);
        long[] received = { -1 };
        try (CallDeadline watch = CallDeadline.start(call, deadline, stop)) {
            return fetch(call, url, received, watch);
        }
    }

    private ReferenceImage fetch(Call call, HttpUrl url, long[] received, CallDeadline watch) {
        try (Response response = call.execute()) {
            if (!response.isSuccessful()) {
                ErrorKind kind = ApiErrors.classify(Operation.FETCH_IMAGE, response.code());
                throw new ServiceException(kind == ErrorKind.TRANSIENT ? kind : ErrorKind.ROW,
                        Operation.FETCH_IMAGE.label(), response.code(), null,
                        Messages.get("image.http", response.code(), response.message()), null, null, null,
                        ApiErrors.retryAfter(response), null);
            }
            long declared = response.body().contentLength();
            if (declared > maxBytes) {
                throw rowProblem(response.code(), Messages.get("image.too-large", declared, maxBytes));
            }
            received[0] = 0;
            byte[] bytes = readCapped(response.body().byteStream(), received);
            String mediaType = sniff(bytes);
            if (mediaType == null) {
                String declaredType = response.header("Content-Type", "none");
                throw rowProblem(response.code(), Messages.get("image.not-an-image", declaredType, printable(bytes)));
            }
            return new ReferenceImage(fileName(url, mediaType), mediaType, bytes);
        } catch (IOException e) {
            if (watch.stopped()) {
                throw new ServiceException(ErrorKind.ROW, Operation.FETCH_IMAGE.label(), 0, STOPPED,
                        "the run is stopping", null, null, null, null, e);
            }
            if (watch.expired()) {
                long seconds = watch.elapsed().toSeconds();
                String what = received[0] < 0 ? Messages.get("image.deadline.no-answer", url.host(), seconds)
                        : Messages.get("image.deadline.slow", url.host(), received[0], seconds);
                throw new ServiceException(ErrorKind.ROW, Operation.FETCH_IMAGE.label(), 0, NetworkFaults.DEADLINE,
                        what, null, null, null, null, e);
            }
            throw NetworkFaults.of(Operation.FETCH_IMAGE, url.host(), e);
        }
    }

    private byte[] readCapped(InputStream in, long[] received) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = in.read(buffer)) != -1) {
            out.write(buffer, 0, n);
            received[0] = out.size();
            if (out.size() > maxBytes) {
                throw rowProblem(200, Messages.get("image.larger-than", maxBytes));
            }
        }
        return out.toByteArray();
    }

    /** The type from the bytes themselves: servers mislabel, and an HTML error page is not an image. */
    static String sniff(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF) {
            return "image/jpeg";
        }
        if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return "image/png";
        }
        if (b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E'
                && b[10] == 'B' && b[11] == 'P') {
            return "image/webp";
        }
        return null;
    }

    private static String fileName(HttpUrl url, String mediaType) {
        String extension = switch (mediaType) {
            case "image/png" -> "png";
            case "image/webp" -> "webp";
            default -> "jpg";
        };
        List<String> segments = url.pathSegments();
        String last = segments.isEmpty() ? "" : segments.get(segments.size() - 1);
        String stem = last.replaceAll("\\.[A-Za-z0-9]{1,5}$", "").replaceAll("[^A-Za-z0-9._-]", "_");
        if (stem.isBlank() || stem.startsWith(".")) {
            stem = "reference";
        }
        return stem.toLowerCase(Locale.ROOT).length() > 60 ? stem.substring(0, 60) + "." + extension
                : stem + "." + extension;
    }

    private static String printable(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(16, bytes.length); i++) {
            char c = (char) (bytes[i] & 0xff);
            sb.append(c >= 32 && c < 127 ? c : '.');
        }
        return sb.toString();
    }

    private static ServiceException rowProblem(int status, String message) {
        return new ServiceException(ErrorKind.ROW, Operation.FETCH_IMAGE.label(), status, "invalid_image", message,
                null, null, null, null, null);
    }
}
