package dev.sorabatch.http;

import okhttp3.Response;
import dev.sorabatch.service.Operation;
import dev.sorabatch.service.ServiceException;

/** How one provider reads its HTTP error answers: its envelope, its codes, what is transient. */
@FunctionalInterface
public interface ErrorReader {

    /** @param body the answer's body as text (capped), possibly empty or not JSON */
    ServiceException read(Operation operation, Response response, String body);
}
