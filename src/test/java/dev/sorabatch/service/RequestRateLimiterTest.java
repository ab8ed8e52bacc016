package dev.sorabatch.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RequestRateLimiterTest {

    @Test
    void neverLetsMoreThanTheQuotaThroughInAnyWindow() throws Exception {
        // 600 per minute = 10 per second; burst 30. Over 1.5 s at most 30 + 1.5 * 9.5 requests may pass.
        RequestRateLimiter limiter = new RequestRateLimiter(600);
        long start = System.nanoTime();
        int passed = 0;
        while (System.nanoTime() - start < 1_500_000_000L) {
            limiter.acquire();
            passed++;
        }
        assertThat(passed).isBetween(20, 45);
    }

    @Test
    void aThrottleAnswerPausesEveryoneAsLongAsAskedAndLowersThePace() throws Exception {
        RequestRateLimiter limiter = new RequestRateLimiter(6000);
        limiter.acquire();

        limiter.onThrottled(Duration.ofMillis(300));
        long start = System.nanoTime();
        limiter.acquire();
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(waitedMillis).isGreaterThanOrEqualTo(290);
        assertThat(limiter.currentRatePerMinute()).isLessThan(6000 * 0.95 * 0.71);
        for (int i = 0; i < 100; i++) {
            limiter.onSuccess();
        }
        assertThat(limiter.currentRatePerMinute()).isCloseTo(5700, org.assertj.core.data.Offset.offset(1.0));
    }

    @Test
    void aDeferrableCallLetsTheWaitingCallsThatCannotWaitGoFirst() throws Exception {
        RequestRateLimiter limiter = new RequestRateLimiter(60); // burst 3, then a token every ~1.05 s
        for (int i = 0; i < 3; i++) {
            limiter.acquire();
        }
        java.util.List<String> order = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Thread download = new Thread(() -> {
            try {
                limiter.acquire(true);
                order.add("download");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread create = new Thread(() -> {
            try {
                limiter.acquire(false);
                order.add("create");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        download.start();
        Thread.sleep(50); // the download waits first; both wait long before the next token
        create.start();
        download.join(5_000);
        create.join(5_000);

        assertThat(order).containsExactly("create", "download");
    }

    @Test
    void zeroMeansUnlimited() throws Exception {
        RequestRateLimiter limiter = new RequestRateLimiter(0);
        long start = System.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            limiter.acquire();
        }
        assertThat(limiter.isUnlimited()).isTrue();
        assertThat(System.nanoTime() - start).isLessThan(1_000_000_000L);
    }
}
