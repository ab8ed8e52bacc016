package dev.sorabatch.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class RetrierTest {

    private final List<Duration> pauses = new ArrayList<>();
    private final Retrier retrier = new Retrier(new Retrier.Policy(4, Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofSeconds(60)), pauses::add);

    @Test
    void retriesTransientFaultsWithExponentialCappedBackOff() {
        AtomicInteger calls = new AtomicInteger();

        String result = retrier.call(() -> {
            if (calls.incrementAndGet() < 4) {
                throw fault(ErrorKind.TRANSIENT, 503, null);
            }
            return "ok";
        }, (n, f, p) -> { });

        assertThat(result).isEqualTo("ok");
        assertThat(calls).hasValue(4);
        assertThat(pauses).hasSize(3);
        assertThat(pauses.get(0).toMillis()).isBetween(75L, 100L);
        assertThat(pauses.get(1).toMillis()).isBetween(150L, 200L);
        assertThat(pauses.get(2).toMillis()).isBetween(187L, 250L);
    }

    @Test
    void aDownloadCutShortIsTriedAgainWithoutAGrowingPause() {
        AtomicInteger calls = new AtomicInteger();

        retrier.call(() -> {
            if (calls.incrementAndGet() < 4) {
                throw new ServiceException(ErrorKind.TRANSIENT, "download video", 200, ServiceException.BODY_CUT,
                        "connection to 'cdn.test' dropped: ProtocolException unexpected end of stream", null, null,
                        null, null, null);
            }
            return "ok";
        }, (n, f, p) -> { });

        assertThat(pauses).hasSize(3).allSatisfy(pause -> assertThat(pause.toMillis()).isBetween(75L, 100L));
    }

    @Test
    void waitsAsLongAsTheServiceAsks() {
        AtomicInteger calls = new AtomicInteger();

        retrier.call(() -> {
            if (calls.incrementAndGet() == 1) {
                throw fault(ErrorKind.TRANSIENT, 429, Duration.ofSeconds(7));
            }
            return "ok";
        }, (n, f, p) -> { });

        assertThat(pauses).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void rowAndSystemicFaultsAreNeverRetried() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> retrier.call(() -> {
            calls.incrementAndGet();
            throw fault(ErrorKind.ROW, 400, null);
        }, (n, f, p) -> { })).isInstanceOf(ServiceException.class);
        assertThatThrownBy(() -> retrier.call(() -> {
            calls.incrementAndGet();
            throw fault(ErrorKind.SYSTEMIC, 401, null);
        }, (n, f, p) -> { })).isInstanceOf(ServiceException.class);

        assertThat(calls).hasValue(2);
        assertThat(pauses).isEmpty();
    }

    @Test
    void givesUpAfterTheLastAttemptWithTheLastFault() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> retrier.call(() -> {
            throw fault(ErrorKind.TRANSIENT, 500 + calls.incrementAndGet(), null);
        }, (n, f, p) -> { })).isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.httpStatus()).isEqualTo(504));
    }

    private static ServiceException fault(ErrorKind kind, int status, Duration retryAfter) {
        return new ServiceException(kind, "create video job", status, null, "x", null, null, null, retryAfter, null);
    }
}
