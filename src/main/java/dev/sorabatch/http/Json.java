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

    private static final java.util.regex.Pattern INTEGER = java.util.regex.Pattern.compile("-?\\d{1,18}");
    private static final java.util.regex.Pattern DECIMAL = java.util.regex.Pattern.compile(
            "-?\\d+\\.\\d+([eE][-+]?\\d+)?|-?\\d+[eE][-+]?\\d+");

    /**
     * A {@code param.} cell as the JSON value it reads as: a whole number, a decimal, {@code true}/{@code false}, a
     * JSON array or object, otherwise the text itself ({@code "5"} stays a number: a model that wants the string
     * gets it from the columns sora-batch maps).
     */
    public static JsonNode typed(String value, ObjectMapper json) {
        String text = value.strip();
        if (INTEGER.matcher(text).matches()) {
            return json.getNodeFactory().numberNode(Long.parseLong(text));
        }
        if (DECIMAL.matcher(text).matches()) {
            return json.getNodeFactory().numberNode(new java.math.BigDecimal(text).doubleValue());
        }
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return json.getNodeFactory().booleanNode(Boolean.parseBoolean(text.toLowerCase(java.util.Locale.ROOT)));
        }
        if (text.startsWith("[") || text.startsWith("{")) {
            JsonNode parsed = parseOrNull(json, text);
            if (parsed != null && (parsed.isArray() || parsed.isObject())) {
                return parsed;
            }
        }
        return json.getNodeFactory().stringNode(text);
    }

}
