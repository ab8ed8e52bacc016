package dev.sorabatch.pricing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The dated price table shipped with sora-batch ({@code pricing/prices.yml}): per provider and model, a price per
 * second of video (or a base price and a price per second after it), for the resolutions and audio setting it
 * names; the models' documented defaults where a price depends on them; and the providers priced by size alone.
 * Every entry names its source and the date the source stated it; a table without them does not load.
 */
public final class PriceTable {

    public static final String RESOURCE = "pricing/prices.yml";

    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}(-\\d{2})?");

    /**
     * One price.
     *
     * @param resolutions the resolutions it is for (lower case); empty: any
     * @param audio the audio setting it is for; null: either
     */
    public record Entry(String provider, String model, List<String> resolutions, Boolean audio, Rate rate,
            String source, String date) {

        boolean matches(PriceQuery query) {
            return same(provider, query.provider()) && same(model, query.model())
                    && (resolutions.isEmpty() || query.resolution() != null
                            && resolutions.contains(query.resolution().strip().toLowerCase(Locale.ROOT)))
                    && (audio == null || audio.equals(query.audio()));
        }
    }

    /** What a model generates when the row does not say. */
    public record ModelDefaults(String provider, String model, String resolution, Boolean audio, String source,
            String date) {
    }

    /** A provider whose price depends on the size alone and for which no source lists one. */
    public record SizePriced(String provider, String source, String date) {
    }

    private static volatile PriceTable builtIn;

    private final String currency;
    private final String asOf;
    private final List<Entry> entries;
    private final List<ModelDefaults> defaults;
    private final List<SizePriced> sizePriced;

    private PriceTable(String currency, String asOf, List<Entry> entries, List<ModelDefaults> defaults,
            List<SizePriced> sizePriced) {
        this.currency = currency;
        this.asOf = asOf;
        this.entries = List.copyOf(entries);
        this.defaults = List.copyOf(defaults);
        this.sizePriced = List.copyOf(sizePriced);
    }

    /** The table shipped in the jar, read once. */
    public static PriceTable builtIn() {
        PriceTable table = builtIn;
        if (table == null) {
            try (InputStream in = PriceTable.class.getClassLoader().getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " is missing from the class path");
                }
                table = load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            builtIn = table;
        }
        return table;
    }

    /** @throws IllegalStateException naming the entry that lacks its source, date or price */
    public static PriceTable load(InputStream yaml) {
        Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        String currency = text(root, "currency", "the table");
        if (!RowCost.CURRENCY.equals(currency)) {
            throw new IllegalStateException(RESOURCE + ": currency " + currency + " is not " + RowCost.CURRENCY);
        }
        String asOf = date(root, "as-of", "the table");
        List<Entry> entries = new ArrayList<>();
        for (Map<String, Object> e : list(root, "prices")) {
            String where = "price of " + e.get("model");
            BigDecimal base = decimal(e, "base-price", where, false);
            Rate rate = new Rate(decimal(e, "per-second", where, true), base,
                    base == null ? 0 : Integer.parseInt(text(e, "base-seconds", where)));
            List<String> resolutions = new ArrayList<>();
            if (e.get("resolutions") instanceof List<?> values) {
                values.forEach(v -> resolutions.add(String.valueOf(v).toLowerCase(Locale.ROOT)));
            }
            entries.add(new Entry(text(e, "provider", where), text(e, "model", where), resolutions,
                    (Boolean) e.get("audio"), rate, text(e, "source", where), date(e, "date", where)));
        }
        List<ModelDefaults> defaults = new ArrayList<>();
        for (Map<String, Object> d : list(root, "defaults")) {
            String where = "defaults of " + d.get("model");
            defaults.add(new ModelDefaults(text(d, "provider", where), text(d, "model", where),
                    d.get("resolution") == null ? null : String.valueOf(d.get("resolution")),
                    (Boolean) d.get("audio"), text(d, "source", where), date(d, "date", where)));
        }
        List<SizePriced> sizePriced = new ArrayList<>();
        for (Map<String, Object> p : list(root, "size-priced")) {
            String where = "size-priced " + p.get("provider");
            sizePriced.add(new SizePriced(text(p, "provider", where), text(p, "source", where),
                    date(p, "date", where)));
        }
        return new PriceTable(currency, asOf, entries, defaults, sizePriced);
    }

    public String currency() {
        return currency;
    }

    /** The date of the table as a whole: when its newest source was read. */
    public String asOf() {
        return asOf;
    }

    public List<Entry> entries() {
        return entries;
    }

    public List<ModelDefaults> defaults() {
        return defaults;
    }

    public List<SizePriced> sizePriced() {
        return sizePriced;
    }

    public boolean pricedBySize(String provider) {
        return sizePriced.stream().anyMatch(p -> same(p.provider(), provider));
    }

    /** The query with the model's documented resolution and audio filled in where the row gives none. */
    public PriceQuery withDefaults(PriceQuery query) {
        return defaults.stream().filter(d -> same(d.provider(), query.provider()) && same(d.model(), query.model()))
                .findFirst().map(d -> query.withDefaults(d.resolution(), d.audio())).orElse(query);
    }

    /** The entry for a query whose defaults are filled in. */
    public Optional<Entry> find(PriceQuery query) {
        return entries.stream().filter(e -> e.matches(query)).findFirst();
    }

    /** Whether any entry is for this provider and model (whatever its resolution or audio). */
    public boolean hasModel(String provider, String model) {
        return entries.stream().anyMatch(e -> same(e.provider(), provider) && same(e.model(), model));
    }

    static boolean same(String a, String b) {
        return a != null && b != null && a.strip().equalsIgnoreCase(b.strip());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> root, String name) {
        Object value = root.get(name);
        return value instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
    }

    private static String text(Map<String, Object> map, String name, String where) {
        Object value = map.get(name);
        if (value == null || String.valueOf(value).isBlank()) {
            throw new IllegalStateException(RESOURCE + ": " + where + " has no " + name);
        }
        return String.valueOf(value).strip();
    }

    /** YAML reads {@code 2026-12-01} as a date and {@code 2026-09} as text: both are kept as written. */
    private static String date(Map<String, Object> map, String name, String where) {
        Object value = map.get(name);
        String date = value instanceof Date d ? d.toInstant().atOffset(ZoneOffset.UTC).toLocalDate().toString()
                : value == null ? "" : String.valueOf(value).strip();
        if (!DATE.matcher(date).matches()) {
            throw new IllegalStateException(RESOURCE + ": " + where + " has no " + name + " (YYYY-MM-DD or YYYY-MM)");
        }
        return date;
    }

    private static BigDecimal decimal(Map<String, Object> map, String name, String where, boolean required) {
        Object value = map.get(name);
        if (value == null) {
            if (required) {
                throw new IllegalStateException(RESOURCE + ": " + where + " has no " + name);
            }
            return null;
        }
        return new BigDecimal(String.valueOf(value));
    }
}
