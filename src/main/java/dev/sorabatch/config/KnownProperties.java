package dev.sorabatch.config;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The property names sora-batch reads, derived from the types they bind to (records' components, JavaBeans'
 * setters, lists and maps), so that a new setting is known the moment it is added. Each name is kept as a pattern in
 * two forms Spring's relaxed binding accepts: a property name ({@code sora.max-in-flight}, {@code sora.maxInFlight},
 * {@code sora.endpoints[0].api-key}) and an environment variable ({@code SORA_MAX_IN_FLIGHT},
 * {@code SORA_ENDPOINTS_0_API_KEY}).
 */
public final class KnownProperties {

    /** A known name: how it is shown ({@code sora.endpoints[0].api-key}), and whether it ends in a map key. */
    public record Name(String shown, Pattern property, Pattern environment, boolean mapKey) {

        /** The map key of a matching property name, e.g. the size of {@code sora.pricing.per-second.480x480}. */
        public String keyOf(String uniform) {
            java.util.regex.Matcher m = property.matcher(uniform);
            if (!mapKey || !m.matches()) {
                return null;
            }
            return m.group("key") != null ? m.group("key") : m.group("bracketed");
        }

        public String keyOfEnvironment(String squashed) {
            java.util.regex.Matcher m = environment.matcher(squashed);
            return mapKey && m.matches() ? m.group("key") : null;
        }
    }

    private final List<Name> names = new ArrayList<>();

    /** Every name under {@code prefix} that binding to {@code type} reads. */
    public KnownProperties add(String prefix, Type type) {
        walk(List.of(new Segment(prefix, Kind.ELEMENT)), type, 0);
        return this;
    }

    /** A single name read on its own (an {@code @Value} placeholder). */
    public KnownProperties addName(String name) {
        walk(List.of(new Segment(name, Kind.ELEMENT)), String.class, 0);
        return this;
    }

    public List<Name> names() {
        return names;
    }

    /** The canonical form of a property name for matching: lower case, no dashes or underscores inside elements. */
    public static String uniform(String name) {
        return name.toLowerCase(java.util.Locale.ROOT).replace("-", "").replace("_", "");
    }

    /** The form of an environment variable's name for matching: lower case, no separators at all. */
    public static String squashed(String name) {
        return name.toLowerCase(java.util.Locale.ROOT).replaceAll("[-_.\\[\\]]", "");
    }

    private enum Kind { ELEMENT, INDEX, KEY }

    private record Segment(String text, Kind kind) {
    }

    private void walk(List<Segment> path, Type type, int depth) {
        Class<?> raw = raw(type);
        if (depth > 8 || raw == null) {
            return;
        }
        if (Collection.class.isAssignableFrom(raw) || raw.isArray()) {
            Type element = raw.isArray() ? raw.getComponentType() : argument(type, 0);
            record(path); // an empty list, or a comma-separated one
            walk(with(path, new Segment("[#]", Kind.INDEX)), element, depth + 1);
            return;
        }
        if (Map.class.isAssignableFrom(raw)) {
            walk(with(path, new Segment("<key>", Kind.KEY)), argument(type, 1), depth + 1);
            return;
        }
        if (!isNested(raw)) {
            record(path);
            return;
        }
        record(path); // a group set as a whole (an empty value in YAML)
        if (raw.isRecord()) {
            for (RecordComponent component : raw.getRecordComponents()) {
                walk(with(path, new Segment(kebab(component.getName()), Kind.ELEMENT)), component.getGenericType(),
                        depth + 1);
            }
            return;
        }
        for (Method method : raw.getMethods()) {
            if (method.getName().startsWith("set") && method.getParameterCount() == 1
                    && !Modifier.isStatic(method.getModifiers()) && method.getName().length() > 3) {
                String property = Character.toLowerCase(method.getName().charAt(3)) + method.getName().substring(4);
                walk(with(path, new Segment(kebab(property), Kind.ELEMENT)), method.getGenericParameterTypes()[0],
                        depth + 1);
            }
        }
    }

    private void record(List<Segment> path) {
        StringBuilder shown = new StringBuilder();
        StringBuilder property = new StringBuilder();
        StringBuilder environment = new StringBuilder();
        boolean key = false;
        for (Segment segment : path) {
            switch (segment.kind()) {
                case ELEMENT -> {
                    for (String element : segment.text().split("\\.")) {
                        if (!shown.isEmpty()) {
                            shown.append('.');
                            property.append("\\.");
                        }
                        shown.append(element);
                        property.append(Pattern.quote(uniform(element)));
                        environment.append(Pattern.quote(squashed(element)));
                    }
                }
                case INDEX -> {
                    shown.append("[0]");
                    property.append("\\[\\d+\\]");
                    environment.append("\\d+");
                }
                case KEY -> {
                    shown.append(".<key>");
                    // one map per name is all the types have; in brackets a key keeps its dots (a model's name)
                    String dotted = key ? "" : "?<key>";
                    String bracketed = key ? "" : "?<bracketed>";
                    property.append("(?:\\.(" + dotted + "[^.\\[\\]]+)|\\[(" + bracketed + "[^\\[\\]]+)\\])");
                    environment.append("(" + dotted + ".+)");
                    key = true;
                }
            }
        }
        names.add(new Name(shown.toString(), Pattern.compile(property.toString()),
                Pattern.compile(environment.toString()), key));
    }

    private static List<Segment> with(List<Segment> path, Segment next) {
        List<Segment> longer = new ArrayList<>(path);
        longer.add(next);
        return longer;
    }

    /** Types of this application are groups of properties; everything else (String, Duration, enums) is a value. */
    private static boolean isNested(Class<?> raw) {
        return !raw.isEnum() && !raw.isPrimitive() && raw.getPackageName().startsWith("dev.sorabatch");
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        return Object.class;
    }

    private static Type argument(Type type, int index) {
        return type instanceof ParameterizedType p && p.getActualTypeArguments().length > index
                ? p.getActualTypeArguments()[index] : Object.class;
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
