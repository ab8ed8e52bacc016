package dev.sorabatch.provider.gemini;

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
 * A Veo operation as the Gemini API answers it (shared/providers-api.md §1.4), read with the streaming parser:
 * {@code name}; {@code done} (missing means not done); {@code error}, a {@code google.rpc.Status} whose {@code code}
 * is the numeric gRPC code; and {@code response.generateVideoResponse} with {@code generatedSamples[].video.uri}
 * (a file, downloaded with the key), {@code raiMediaFilteredCount} and {@code raiMediaFilteredReasons}. A sample whose
 * bytes come inline ({@code video.encodedVideo}, base64, rare on this API) is noted and left unread here, never
 * held: {@link #writeInline} decodes it straight into its file.
 */
record GeminiOperation(String name, boolean done, Integer errorCode, String errorStatus, String errorMessage,
        int filteredCount, List<String> filteredReasons, List<Sample> samples) {

    /** One of {@code generatedSamples[]}: the URI of its file, or none when its video came inline. */
    record Sample(String uri, boolean inline) {
    }

    /** What the parse has found so far. */
    private static final class Found {
        String name;
        boolean done;
        JsonNode error;
        int filtered;
        final List<String> reasons = new ArrayList<>();
        final List<Sample> samples = new ArrayList<>();
    }

    /** Consumes the value of one field, or answers false to have it skipped. */
    @FunctionalInterface
    private interface Field {
        boolean take(String name, JsonToken value);
    }

    static GeminiOperation read(ObjectMapper json, InputStream body) {
        try (JsonParser p = json.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("the operation answer is not a JSON object");
            }
            Found found = new Found();
            fields(p, (field, value) -> switch (field) {
                case "name" -> {
                    found.name = value == JsonToken.VALUE_STRING ? p.getString() : null;
                    yield value.isScalarValue();
                }
                case "done" -> {
                    found.done = value == JsonToken.VALUE_TRUE;
                    yield value.isScalarValue();
                }
                case "error" -> value == JsonToken.START_OBJECT && (found.error = tree(json, p)) != null;
                case "response" -> value == JsonToken.START_OBJECT && response(p, found);
                default -> false;
            });
            JsonNode error = found.error;
            Integer code = error != null && error.path("code").isNumber() ? error.path("code").asInt() : null;
            return new GeminiOperation(found.name, found.done || error != null, code,
                    error == null ? null : error.path("status").asString(null),
                    error == null ? null : error.path("message").asString(null), found.filtered,
                    List.copyOf(found.reasons), List.copyOf(found.samples));
        }
    }

    /**
     * Decodes {@code response.generateVideoResponse.generatedSamples[index].video.encodedVideo} into {@code out} as
     * the answer is read.
     *
     * @return the bytes written, or -1 when that sample has no inline video
     */
    static long writeInline(ObjectMapper json, InputStream body, int index, OutputStream out) {
        try (JsonParser p = json.createParser(body)) {
            p.nextToken();
            boolean there = into(p, "response") && into(p, "generateVideoResponse") && into(p, "generatedSamples")
                    && nth(p, index) && into(p, "video") && into(p, "encodedVideo");
            return there && p.currentToken() == JsonToken.VALUE_STRING ? p.readBinaryValue(out) : -1;
        }
    }

    private static boolean response(JsonParser p, Found found) {
        fields(p, (field, value) -> field.equals("generateVideoResponse") && value == JsonToken.START_OBJECT
                && videoResponse(p, found));
        return true;
    }

    private static boolean videoResponse(JsonParser p, Found found) {
        fields(p, (field, value) -> switch (field) {
            case "generatedSamples" -> value == JsonToken.START_ARRAY && samples(p, found.samples);
            case "raiMediaFilteredCount" -> {
                found.filtered = value.isNumeric() ? p.getValueAsInt() : found.filtered;
                yield value.isScalarValue();
            }
            case "raiMediaFilteredReasons" -> value == JsonToken.START_ARRAY && strings(p, found.reasons);
            default -> false;
        });
        return true;
    }

    private static boolean samples(JsonParser p, List<Sample> samples) {
        for (JsonToken t = p.nextToken(); t != null && t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            String[] uri = new String[1];
            boolean[] inline = new boolean[1];
            fields(p, (field, value) -> field.equals("video") && value == JsonToken.START_OBJECT && fields(p,
                    (videoField, v) -> {
                        if (videoField.equals("uri") && v == JsonToken.VALUE_STRING) {
                            uri[0] = p.getString();
                        }
                        inline[0] |= videoField.equals("encodedVideo") && v == JsonToken.VALUE_STRING;
                        return false; // encodedVideo left unread: the parser skips it without holding it
                    }));
            samples.add(new Sample(uri[0], uri[0] == null && inline[0]));
        }
        return true;
    }

    private static boolean strings(JsonParser p, List<String> into) {
        for (JsonToken t = p.nextToken(); t != null && t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == JsonToken.VALUE_STRING) {
                into.add(p.getString());
            } else {
                p.skipChildren();
            }
        }
        return true;
    }

    /** Hands each field of the object the parser has just opened to {@code field}; skips what it does not take. */
    private static boolean fields(JsonParser p, Field field) {
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (!field.take(name, value)) {
                p.skipChildren();
            }
        }
        return true;
    }

    /** Moves the parser onto the value of {@code name} in the object it is at; false when there is none. */
    private static boolean into(JsonParser p, String name) {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            return false;
        }
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = p.currentName();
            p.nextToken();
            if (field.equals(name)) {
                return true;
            }
            p.skipChildren();
        }
        return false;
    }

    /** Moves the parser onto element {@code index} of the array it is at; false when the array is shorter. */
    private static boolean nth(JsonParser p, int index) {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            return false;
        }
        int i = 0;
        for (JsonToken t = p.nextToken(); t != null && t != JsonToken.END_ARRAY; t = p.nextToken(), i++) {
            if (i == index) {
                return true;
            }
            p.skipChildren();
        }
        return false;
    }

    /** The (small) value the parser is at, as a tree; the parse goes on after it. */
    private static JsonNode tree(ObjectMapper json, JsonParser p) {
        return json.readerFor(JsonNode.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readValue(p);
    }
}
