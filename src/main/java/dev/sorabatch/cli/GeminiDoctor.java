package dev.sorabatch.cli;

import dev.sorabatch.config.ServiceChoice;
import dev.sorabatch.config.SoraProperties;
import dev.sorabatch.diagnosis.Diagnoses;
import dev.sorabatch.i18n.Messages;
import dev.sorabatch.job.ServiceConnection;
import dev.sorabatch.provider.gemini.GeminiVeoClient;
import dev.sorabatch.service.ServiceException;
import okhttp3.HttpUrl;

/**
 * {@code doctor}'s checks of Veo on the Gemini API, on {@link Doctor}'s lines: the API root and model, which key
 * variable is set (named, never shown; which one wins when both are), DNS of the API; then the key and the model by
 * the one free call that checks both, {@code models.get}.
 */
final class GeminiDoctor {

    private final Doctor doctor;
    private final SoraProperties properties;
    private final SoraConnectionFactory connections;

    GeminiDoctor(Doctor doctor, SoraProperties properties, SoraConnectionFactory connections) {
        this.doctor = doctor;
        this.properties = properties;
        this.connections = connections;
    }

    /** The configured API and key; the connection, or null when a check failed. */
    ServiceConnection service() {
        ServiceChoice choice = connections.choice();
        boolean keySet = choice.apiKey() != null && !choice.apiKey().isBlank();
        doctor.line(true, Messages.get("doctor.gemini-endpoint", choice.endpoint(), choice.model()), "");
        doctor.line(keySet, Messages.get("doctor.variable-set", choice.keyVariable()),
                Messages.get("doctor.gemini-key-missing"));
        if (properties.gemini().bothKeys()) {
            doctor.warn(Messages.get("doctor.gemini-both-keys"));
        }
        HttpUrl base = HttpUrl.parse(choice.endpoint() == null ? "" : choice.endpoint().strip());
        if (base == null) {
            doctor.line(false, "", Messages.get("config.vertex-not-url", "sora.gemini.base-url", choice.endpoint(),
                    GeminiVeoClient.DEFAULT_BASE_URL));
            return null;
        }
        return keySet && doctor.reachable(base, "sora.gemini.base-url") ? doctor.connect() : null;
    }

    /** The key accepted and the model served: {@code GET {base}/models/{model}}, which generates nothing. */
    void keyAndModel(ServiceConnection gemini) {
        GeminiVeoClient client = (GeminiVeoClient) gemini.client();
        String variable = connections.choice().keyVariable();
        try {
            long started = System.nanoTime();
            String name = client.checkModel();
            doctor.line(true, Messages.get("doctor.gemini-key-ok", variable, client.deployment(), name,
                    (System.nanoTime() - started) / 1_000_000), "");
        } catch (ServiceException e) {
            doctor.line(false, "", Messages.get("doctor.gemini-key-fail", client.deployment(),
                    Diagnoses.of(e, client)));
        }
    }
}
