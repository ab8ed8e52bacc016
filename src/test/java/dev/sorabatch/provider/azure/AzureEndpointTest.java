package dev.sorabatch.provider.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AzureEndpointTest {

    private static final String JOBS = "https://my-res.openai.azure.com/openai/v1/video/generations/jobs?api-version=preview";

    @Test
    void fullJobsUrlFromTheQuickstartAndResourceBaseNameTheSameApi() {
        AzureEndpoint full = AzureEndpoint.parse(JOBS);
        AzureEndpoint base = AzureEndpoint.parse("https://my-res.openai.azure.com");
        AzureEndpoint withSlash = AzureEndpoint.parse("  https://my-res.openai.azure.com/openai/v1/ ");

        assertThat(full.jobs().toString()).isEqualTo(JOBS);
        assertThat(base.jobs()).isEqualTo(full.jobs());
        assertThat(withSlash.jobs()).isEqualTo(full.jobs());
    }

    @Test
    void buildsEveryPathOfTheJobsApi() {
        AzureEndpoint endpoint = AzureEndpoint.parse("https://my-res.openai.azure.com");

        assertThat(endpoint.job("task_1").toString())
                .isEqualTo("https://my-res.openai.azure.com/openai/v1/video/generations/jobs/task_1?api-version=preview");
        assertThat(endpoint.listJobs(50).toString()).isEqualTo(
                "https://my-res.openai.azure.com/openai/v1/video/generations/jobs?api-version=preview&limit=50");
        assertThat(endpoint.generationContent("gen_1", "video").toString()).isEqualTo(
                "https://my-res.openai.azure.com/openai/v1/video/generations/gen_1/content/video?api-version=preview");
    }

    @Test
    void keepsAGatewayPrefixAndAnExplicitApiVersion() {
        AzureEndpoint endpoint = AzureEndpoint.parse("http://127.0.0.1:8080/proxy/openai/v1/video/generations/jobs?api-version=v1");

        assertThat(endpoint.jobs().toString())
                .isEqualTo("http://127.0.0.1:8080/proxy/openai/v1/video/generations/jobs?api-version=v1");
        assertThat(endpoint.describe()).isEqualTo("http://127.0.0.1:8080/proxy");
    }

    @Test
    void missingOrMalformedEndpointSaysWhatAGoodValueLooksLike() {
        assertThatThrownBy(() -> AzureEndpoint.parse(""))
                .hasMessageContaining("AZURE_SORA_ENDPOINT is not set").hasMessageContaining("https://");
        assertThatThrownBy(() -> AzureEndpoint.parse("my-res.openai.azure.com"))
                .hasMessageContaining("is not a URL").hasMessageContaining("https://my-resource.openai.azure.com");
    }
}
