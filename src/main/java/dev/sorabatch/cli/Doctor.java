package dev.sorabatch.cli;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.sorabatch.config.SoraProperties;
import dev.sorabatch.i18n.Messages;
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
            properties.dotenv().describedProblems().forEach(this::warn);
            boolean endpointSet = properties.endpoint() != null && !properties.endpoint().isBlank();
            boolean keySet = properties.apiKey() != null && !properties.apiKey().isBlank();
            line(endpointSet, Messages.get("doctor.endpoint-set"), Messages.get("doctor.endpoint-missing"));
            line(keySet, Messages.get("doctor.key-set"), Messages.get("doctor.key-missing"));
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
            line(true, Messages.get("doctor.endpoint", endpoint.describe(), endpoint.apiVersion()), "");
            if (!endpoint.base().isHttps()) {
                warn(Messages.get("doctor.http"));
            }
            if (!host.toLowerCase(Locale.ROOT).endsWith(".openai.azure.com")
                    && !host.toLowerCase(Locale.ROOT).endsWith(".cognitiveservices.azure.com")
                    && !host.equals("127.0.0.1") && !host.equals("localhost")) {
                warn(Messages.get("doctor.not-azure-host", host));
            }
            try {
                InetAddress address = InetAddress.getByName(host);
                line(true, Messages.get("doctor.dns-ok", host, address.getHostAddress()), "");
            } catch (UnknownHostException e) {
                line(false, "", Messages.get("doctor.dns-fail", host));
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
            line(true, Messages.get("doctor.key-ok", (System.nanoTime() - started) / 1_000_000, jobs.size(), running),
                    "");
            if (running >= properties.maxInFlight()) {
                warn(Messages.get("doctor.busy", running));
            }
        } catch (SoraApiException e) {
            line(false, "", Messages.get("doctor.list-failed", Diagnoses.of(e, deployment)));
            return finish();
        }
        try {
            // A request the service must refuse (an impossible size): it names the deployment, costs nothing.
            sora.client().create(new CreateVideoRequest("sora-batch doctor: deployment check", 1, 1, 1, 1, null));
            warn(Messages.get("doctor.accepted-1x1", deployment));
        } catch (SoraApiException e) {
            if (e.httpStatus() == 400 || e.httpStatus() == 422) {
                line(true, Messages.get("doctor.deployment-ok", deployment), "");
            } else {
                line(false, "", Messages.get("doctor.deployment-fail", deployment, Diagnoses.of(e, deployment)));
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
            out.println(Messages.get("doctor.ready"));
            return ExitCodes.ALL_SUCCEEDED;
        }
        out.println(Messages.get("doctor.not-ready", failures.size()));
        return ExitCodes.USAGE;
    }
}
