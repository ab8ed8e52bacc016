package dev.sorabatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

import dev.sorabatch.csv.VideoRequest;
import dev.sorabatch.http.ImageFetcher;
import dev.sorabatch.service.CreateVideoRequest;
import dev.sorabatch.service.ModelInputs;
import dev.sorabatch.service.ReferenceImage;
import dev.sorabatch.service.Retrier;
import dev.sorabatch.service.ServiceTraits;
import dev.sorabatch.service.VideoJob;
import dev.sorabatch.service.VideoService;

/** A service that fetches a row's image itself (fal) gets the URL as given, and the row's model inputs. */
class VideoSubmitterImageUrlTest {

    @Test
    void theImageUrlIsPassedOnUnfetchedWithTheModelInputs() {
        List<CreateVideoRequest> sent = new ArrayList<>();
        VideoService byUrl = (VideoService) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { VideoService.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "traits" -> new ServiceTraits(true, false, EnumSet.of(ServiceTraits.Input.TEXT,
                            ServiceTraits.Input.IMAGE_URL), null, null, false);
                    case "create" -> {
                        sent.add((CreateVideoRequest) args[0]);
                        yield new VideoJob("req-1", "IN_QUEUE", null, null, null, List.of(), null, null, null, null,
                                null, null, 1, null, null, false, false, null);
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        ImageFetcher neverFetches = new ImageFetcher(new okhttp3.OkHttpClient(), 1) {
            @Override
            public ReferenceImage fetch(String imageUrl, BooleanSupplier stop) {
                throw new AssertionError("the image must not be fetched: the service fetches it");
            }
        };
        ServiceConnection fal = new ServiceConnection(byUrl, neverFetches, new Retrier(new Retrier.Policy(1,
                Duration.ZERO, Duration.ZERO, Duration.ZERO)));
        VideoSubmitter submitter = new VideoSubmitter(new OrphanFinder(null), new RunState(), Duration.ZERO,
                Duration.ZERO, Duration.ZERO);
        ModelInputs inputs = new ModelInputs("9:16", "720p", null, 3L, Map.of("cfg_scale", "0.5"), false);

        submitter.submit(fal, new VideoRequest(1, null, "a fox", "https://images.test/fox.png", 0, 0, 5, 1,
                "fal-ai/kling-video/v2.1/standard/image-to-video", inputs), System.currentTimeMillis(),
                new AtomicInteger());

        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).image()).isNull();
        assertThat(sent.get(0).imageUrl()).isEqualTo("https://images.test/fox.png");
        assertThat(sent.get(0).inputs()).isEqualTo(inputs);
    }
}
