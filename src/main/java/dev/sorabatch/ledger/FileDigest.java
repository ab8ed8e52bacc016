package dev.sorabatch.ledger;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * A file a row's video (or thumbnail) was saved to, as it was when written: its absolute path, size and SHA-256.
 * A later run reuses the video only if the file is still there with the same size and hash. Kept in the ledger's
 * {@code FILE_DIGESTS} column as a JSON array.
 */
public record FileDigest(String path, long size, String sha256, boolean video) {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    static String write(List<FileDigest> files) {
        ArrayNode array = JSON.createArrayNode();
        for (FileDigest file : files) {
            array.addObject().put("path", file.path()).put("size", file.size()).put("sha256", file.sha256())
                    .put("video", file.video());
        }
        return JSON.writeValueAsString(array);
    }

    static List<FileDigest> read(String stored) {
        List<FileDigest> files = new ArrayList<>();
        if (stored == null || stored.isBlank()) {
            return files;
        }
        for (JsonNode file : JSON.readTree(stored)) {
            files.add(new FileDigest(file.path("path").asString(), file.path("size").asLong(),
                    file.path("sha256").asString(), file.path("video").asBoolean(true)));
        }
        return files;
    }
}
