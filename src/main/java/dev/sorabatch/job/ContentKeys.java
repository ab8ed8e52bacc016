package dev.sorabatch.job;

import java.util.TreeSet;

import dev.sorabatch.csv.VideoRequest;
import dev.sorabatch.ledger.ContentKey;
import dev.sorabatch.ledger.LedgerEntry;
import dev.sorabatch.service.VideoService;

/**
 * The content keys of this run's rows ({@link ContentKey}), with the service part taken from the endpoints the run
 * uses: each one's provider and model (the row's own model, else the endpoint's deployment), and whether it is the
 * simulator. Which endpoint a row goes to is decided only when it is sent, so every endpoint counts: several of one
 * deployment are one service, and a row is reused across resources of the same provider and model.
 */
public class ContentKeys {

    private final Endpoints endpoints;
    private final RunState run;

    public ContentKeys(Endpoints endpoints, RunState run) {
        this.endpoints = endpoints;
        this.run = run;
    }

    public String of(VideoRequest request) {
        return ContentKey.of(service(request.model()), request);
    }

    public String of(LedgerEntry entry) {
        return ContentKey.of(service(entry.model()), entry);
    }

    String service(String rowModel) {
        TreeSet<String> services = new TreeSet<>();
        for (Endpoints.Endpoint endpoint : endpoints.all()) {
            VideoService client = endpoint.connection().client();
            String model = rowModel != null && !rowModel.isBlank() ? rowModel : client.deployment();
            services.add(client.provider().id() + "/" + model);
        }
        return (run.simulated() ? "simulator " : "") + String.join(",", services);
    }
}
