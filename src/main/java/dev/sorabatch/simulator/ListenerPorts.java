package dev.sorabatch.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The ports the simulator's listeners had last time, kept next to the state file and asked for again, so that a
 * killed {@code --simulate} run resumes against the same addresses: a service whose answers name absolute URLs
 * (fal's status and result URLs, kept in the ledger) must still be found there. A port taken meanwhile is given up
 * for a free one.
 */
final class ListenerPorts {

    private final Path file;
    private final List<Integer> remembered;
    private final List<Integer> used = new ArrayList<>();

    /** @param stateFile null: nothing kept, every listener on a free port */
    ListenerPorts(Path stateFile) {
        this.file = stateFile == null ? null : stateFile.resolveSibling(stateFile.getFileName() + ".ports");
        this.remembered = read(file);
    }

    synchronized LoopbackHttpServer open(LoopbackHttpServer.Handler handler) {
        int index = used.size();
        LoopbackHttpServer server = null;
        if (index < remembered.size()) {
            LoopbackHttpServer again = new LoopbackHttpServer(handler);
            try {
                server = again.start(remembered.get(index));
            } catch (UncheckedIOException taken) {
                again.close();
            }
        }
        if (server == null) {
            server = new LoopbackHttpServer(handler).start(0);
        }
        used.add(server.port());
        write();
        return server;
    }

    private void write() {
        if (file == null) {
            return;
        }
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.writeString(file, String.join(" ", used.stream().map(String::valueOf).toList()) + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Integer> read(Path file) {
        List<Integer> ports = new ArrayList<>();
        if (file == null || !Files.isRegularFile(file)) {
            return ports;
        }
        try {
            for (String word : Files.readString(file, StandardCharsets.UTF_8).strip().split("\\s+")) {
                Integer port = Wire.integer(word);
                if (port != null && port > 0 && port < 65536) {
                    ports.add(port);
                }
            }
        } catch (IOException e) {
            return List.of(); // the ports are a convenience: free ones will do
        }
        return ports;
    }
}
