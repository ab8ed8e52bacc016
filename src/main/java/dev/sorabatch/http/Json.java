package dev.sorabatch.http;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Lenient reading of service JSON: unknown fields and odd types pass through instead of failing a row. */
public final class Json {

    private Json() {
    }

    public static JsonNode parseOrNull(ObjectMapper json, String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return json.readTree(body);
        } catch (JacksonException notJson) {
            return null;
        }
    }

    public static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        return value.isValueNode() ? value.asString() : value.toString();
    }

    public static Long number(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            // 1712697600, 1712697600.25 and "1712697600" all occur; a fraction is cut, not an error
            return value.isNumber() ? (long) value.doubleValue() : (long) Double.parseDouble(value.asString().trim());
        } catch (RuntimeException notANumber) {
            return null;
        }
    }
}
