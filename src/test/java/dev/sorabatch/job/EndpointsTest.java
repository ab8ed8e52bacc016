package dev.sorabatch.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The endpoint router: which endpoint a job belongs to, slots per endpoint, endpoints a restart no longer has. */
class EndpointsTest {

    private final Endpoints endpoints = new Endpoints();

    EndpointsTest() {
        endpoints.use(List.of(new Endpoints.Endpoint("east", null, 2), new Endpoints.Endpoint("west", null, 1)));
    }

    @Test
    void aJobUnderANameTheConfigurationDoesNotHaveIsRefusedNotSentToTheFirstEndpoint() {
        assertThat(endpoints.endpoint("west").name()).isEqualTo("west");
        assertThat(endpoints.endpoint(null).name()).isEqualTo("east");
        assertThatThrownBy(() -> endpoints.endpoint("north")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'north'").hasMessageContaining("[east, west]");
        assertThat(endpoints.unknown(java.util.Arrays.asList("east", null, "north", "south")))
                .containsExactly("north", "south");
    }

    @Test
    void jobsInFlightHoldTheirOwnEndpointsSlotsAndThoseOfAGoneEndpointHoldNone() throws InterruptedException {
        endpoints.reset(Map.of("west", 1, "north", 5));

        Endpoints.Endpoint first = endpoints.tryAcquire(Duration.ofMillis(50));
        Endpoints.Endpoint second = endpoints.tryAcquire(Duration.ofMillis(50));
        assertThat(first.name()).isEqualTo("east");
        assertThat(second.name()).isEqualTo("east");
        assertThat(endpoints.tryAcquire(Duration.ofMillis(50))).isNull();
        endpoints.release("north");
        assertThat(endpoints.tryAcquire(Duration.ofMillis(50))).isNull();
        endpoints.release("west");
        assertThat(endpoints.tryAcquire(Duration.ofMillis(50)).name()).isEqualTo("west");
    }
}
