package dev.sorabatch.http;

import dev.sorabatch.service.ErrorKind;
import dev.sorabatch.service.Operation;
import dev.sorabatch.service.ServiceException;
import java.io.IOException;
import java.util.Locale;

import okhttp3.MediaType;
import okhttp3.Response;

import dev.sorabatch.i18n.Messages;

/**
 * A download that answered 200 with a page instead of the file (a proxy's login page, a gateway's HTML error, a
 * JSON error with the wrong status) must not be saved as the video and reported as succeeded. Only what is plainly
 * not media is refused: a text, HTML, XML or JSON content type, or a body that opens as an HTML or XML document;
 * any binary body passes, so no real video is ever refused for its bytes.
 */
final class MediaAnswer {

    private static final int SNIFF_BYTES = 256;
    private static final String[] MARKUP = { "<!doctype", "<html", "<?xml", "<head", "<body" };

    private MediaAnswer() {
    }

    /** @throws ServiceException (transient: the next download round asks again) when the answer is a page */
    static void check(Operation operation, Response response) throws IOException {
        MediaType type = response.body().contentType();
        String declared = type == null ? "" : (type.type() + "/" + type.subtype()).toLowerCase(Locale.ROOT);
        boolean textType = declared.startsWith("text/") || declared.endsWith("json") || declared.endsWith("xml")
                || declared.endsWith("html");
        String head = response.peekBody(SNIFF_BYTES).string();
        String opening = head.replace("\uFEFF", "").stripLeading().toLowerCase(Locale.ROOT);
        boolean markup = false;
        for (String marker : MARKUP) {
            markup |= opening.startsWith(marker);
        }
        if (textType || markup) {
            String what = declared.isEmpty() ? Messages.get("download.html-page") : declared;
            throw new ServiceException(ErrorKind.TRANSIENT, operation.label(), response.code(), "not_media",
                    Messages.get("download.not-media", what, response.code()),
                    null, ApiErrors.requestId(response),
                    ApiErrors.excerpt(head),
                    null, null);
        }
    }
}
