package dev.sorabatch.cli;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.sorabatch.config.SoraProperties;
import dev.sorabatch.sora.AzureEndpoint;
import dev.sorabatch.sora.CreateVideoRequest;
import dev.sorabatch.sora.Diagnoses;
import dev.sorabatch.sora.SoraApiException;
import dev.sorabatch.sora.SoraConnection;

/**
 * {@code doctor}: the troubleshooting guide's checklist, done by the tool. One line per check, OK or the cause and
 * the fix; exit 0 only when a real run would start. Secrets are named, never shown.
 */
final class Doctor {

    private final SoraProperties properties;
    private final SoraConnectionFactory connections;
    private final PrintStream out;
    private final List<String> failures = new ArrayList<>();

    Doctor(SoraProperties properties, SoraConnectionFactory connections, PrintStream out) {
        this.properties = properties;
        this.connections = connections;
        this.out = out;
    }

    /** Checks the configured service, or the given simulated one. */
    int check(SoraConnection simulated) {
        SoraConnection sora = simulated;
        if (sora == null) {
            boolean endpointSet = properties.endpoint() != null && !properties.endpoint().isBlank();
            boolean keySet = properties.apiKey() != null && !properties.apiKey().isBlank();
            line(endpointSet, "AZURE_SORA_ENDPOINT is set", "AZURE_SORA_ENDPOINT is not set: put "
                    + "AZURE_SORA_ENDPOINT=https://<resource>.openai.azure.com in the environment or .env.local");
            line(keySet, "AZURE_API_KEY is set", "AZURE_API_KEY is not set: put one of the resource's two keys "
                    + "(portal → Keys and Endpoint) in the environment or .env.local");
            if (!endpointSet || !keySet) {
                return finish();
            }
            AzureEndpoint endpoint;
            try {
                endpoint = AzureEndpoint.parse(properties.endpoint());
            } catch (IllegalArgumentException e) {
                line(false, "", e.getMessage());
                return finish();
            }
            String host = endpoint.base().host();
            line(true, "endpoint " + endpoint.describe() + " (api-version " + endpoint.apiVersion() + ")", "");
            if (!endpoint.base().isHttps()) {
                warn("the endpoint uses http, not https: only a local gateway or simulator should");
            }
            if (!host.toLowerCase(Locale.ROOT).endsWith(".openai.azure.com")
                    && !host.toLowerCase(Locale.ROOT).endsWith(".cognitiveservices.azure.com")
                    && !host.equals("127.0.0.1") && !host.equals("localhost")) {
                warn("'" + host + "' is not an Azure OpenAI host (*.openai.azure.com): check for a typo if this is "
                        + "not a gateway");
            }
            try {
                InetAddress address = InetAddress.getByName(host);
                line(true, "DNS: " + host + " resolves to " + address.getHostAddress(), "");
            } catch (UnknownHostException e) {
                line(false, "", "DNS: '" + host + "' does not resolve: check the resource name in "
                        + "AZURE_SORA_ENDPOINT, and this machine's DNS or proxy");
                return finish();
            }
            try {
                sora = connections.forService();
            } catch (UsageException e) {
                line(false, "", e.getMessage());
                return finish();
            }
        }
        String deployment = sora.client().deployment();
        try {
            long started = System.nanoTime();
            var jobs = sora.client().list(20);
            long running = jobs.stream().filter(j -> !j.isTerminal()).count();
            line(true, String.format(Locale.ROOT, "connection and key accepted: listing jobs answered in %d ms "
                    + "(%d recent, %d still running)", (System.nanoTime() - started) / 1_000_000, jobs.size(),
                    running), "");
            if (running >= properties.maxInFlight()) {
                warn(running + " jobs are running at the service already: a run will wait for them first");
            }
        } catch (SoraApiException e) {
            line(false, "", "listing jobs failed: " + Diagnoses.of(e, deployment));
            return finish();
        }
        try {
            // A request the service must refuse (an impossible size): it names the deployment, costs nothing.
            sora.client().create(new CreateVideoRequest("sora-batch doctor: deployment check", 1, 1, 1, 1, null));
            warn("the service accepted a 1x1 video request; deployment '" + deployment + "' exists");
        } catch (SoraApiException e) {
            if (e.httpStatus() == 400 || e.httpStatus() == 422) {
                line(true, "deployment '" + deployment + "' exists (it refused a deliberately invalid request; no "
                        + "video was generated)", "");
            } else {
                line(false, "", "deployment '" + deployment + "': " + Diagnoses.of(e, deployment));
            }
        }
        return finish();
    }

    private void line(boolean ok, String okText, String failText) {
        if (ok) {
            out.println("  OK    " + okText);
        } else {
            out.println("  FAIL  " + failText);
            failures.add(failText);
        }
    }

    private void warn(String text) {
        out.println("  WARN  " + text);
    }

    private int finish() {
        if (failures.isEmpty()) {
            out.println("sora-batch doctor: a run would start.");
            return ExitCodes.ALL_SUCCEEDED;
        }
        out.println("sora-batch doctor: " + failures.size() + " problem(s); a run would not start. Fix them and run "
                + "doctor again.");
        return ExitCodes.USAGE;
    }
}
