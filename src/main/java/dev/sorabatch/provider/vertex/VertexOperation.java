package dev.sorabatch.provider.vertex;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A Veo long-running operation as {@code fetchPredictOperation} answers it (shared/providers-api.md §2.4), read with
 * the streaming parser: an inline video ({@code bytesBase64Encoded}, tens of MB) is skipped here, never held, and
 * decoded straight into its file by {@link #writeVideo}. A missing {@code done} means not done.
 */
record VertexOperation(String name, boolean done, Integer errorCode, String errorStatus, String errorMessage,
        int filteredCount, List<String> filteredReasons, List<Video> videos) {

    /** One of {@code response.videos[]}: in Cloud Storage ({@code gcsUri}) or inline in the answer. */
    record Video(String gcsUri, String mimeType) {
    }

    static VertexOperation read(ObjectMapper json, InputStream body) {
        try (JsonParser p = json.createParser(body)) {
            String name = null;
            boolean done = false;
            JsonNode error = null;
            int filtered = 0;
            List<String> reasons = new ArrayList<>();
            List<Video> videos = new ArrayList<>();
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "name" -> name = value.isScalarValue() ? p.getString() : skip(p);
                    case "done" -> done = value == JsonToken.VALUE_TRUE;
                    case "error" -> error = tree(json, p);
                    case "response" -> {
                        if (value != JsonToken.START_OBJECT) {
                            skip(p);
                            break;
                        }
                        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                            String inner = p.currentName();
                            JsonToken v = p.nextToken();
                            if (inner.equals("raiMediaFilteredCount") && v.isNumeric()) {
                                filtered = p.getValueAsInt();
                            } else if (inner.equals("raiMediaFilteredReasons") && v == JsonToken.START_ARRAY) {
                                tree(json, p).forEach(r -> reasons.add(r.asString()));
                            } else if (inner.equals("videos") && v == JsonToken.START_ARRAY) {
                                readVideos(p, videos);
                            } else {
                                p.skipChildren();
                            }
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            Integer code = error == null || !error.path("code").isNumber() ? null : error.path("code").asInt();
            return new VertexOperation(name, done || error != null, code,
                    error == null ? null : textOrNull(error.path("status")),
                    error == null ? null : textOrNull(error.path("message")), filtered, List.copyOf(reasons),
                    List.copyOf(videos));
        }
    }

    /**
     * Decodes {@code response.videos[index].bytesBase64Encoded} of the answer into {@code out} as it is read.
     *
     * @return the bytes written, or -1 when the answer has no such inline video
     */
    static long writeVideo(ObjectMapper json, InputStream body, int index, OutputStream out) throws IOException {
        try (JsonParser p = json.createParser(body)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String field = p.currentName();
                if (p.nextToken() != JsonToken.START_OBJECT || !field.equals("response")) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                    String inner = p.currentName();
                    if (p.nextToken() != JsonToken.START_ARRAY || !inner.equals("videos")) {
                        p.skipChildren();
                        continue;
                    }
                    for (int i = 0; p.nextToken() == JsonToken.START_OBJECT; i++) {
                        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                            String name = p.currentName();
                            JsonToken v = p.nextToken();
                            if (i == index && name.equals("bytesBase64Encoded") && v == JsonToken.VALUE_STRING) {
                                return p.readBinaryValue(out);
                            }
                            p.skipChildren();
                        }
                    }
                    return -1;
                }
            }
            return -1;
        }
    }

    private static void readVideos(JsonParser p, List<Video> videos) {
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String gcsUri = null;
            String mime = null;
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if (field.equals("gcsUri") && v == JsonToken.VALUE_STRING) {
                    gcsUri = p.getString();
                } else if (field.equals("mimeType") && v == JsonToken.VALUE_STRING) {
                    mime = p.getString();
                } else {
                    p.skipChildren(); // bytesBase64Encoded: left unread, so never held
                }
            }
            videos.add(new Video(gcsUri, mime));
        }
    }

    /** The value at {@code p} (a small one: an error, the reasons) as a tree; the parse goes on after it. */
    private static JsonNode tree(ObjectMapper json, JsonParser p) {
        return json.readerFor(JsonNode.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readValue(p);
    }

    private static void expect(JsonToken token, JsonToken expected) {
        if (token != expected) {
            throw new IllegalArgumentException("the operation answer is not a JSON object");
        }
    }

    private static String skip(JsonParser p) {
        p.skipChildren();
        return null;
    }

    private static String textOrNull(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? null : node.asString();
    }
}
