package dev.sorabatch.pricing;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A row's price: the table's, unless a {@code sora.pricing.*} property gives one. The most specific wins: a price
 * set for the row's model ({@code sora.pricing.models[<model>].per-second}), then the table's entry for its
 * provider, model, resolution and audio, then a price set for its size ({@code sora.pricing.per-second.<WxH>}, as
 * before the table existed: Sora's prices are in no source, so its rows are priced by size). Otherwise unknown.
 */
public final class Prices {

    private final PriceTable table;
    private final Map<String, BigDecimal> perSecondBySize;
    private final Map<String, BigDecimal> perSecondByModel = new TreeMap<>();

    /**
     * @param perSecondBySize {@code sora.pricing.per-second.<WxH>}
     * @param perSecondByModel {@code sora.pricing.models.<model>.per-second} (model names match in any case)
     */
    public Prices(PriceTable table, Map<String, BigDecimal> perSecondBySize, Map<String, BigDecimal> perSecondByModel) {
        this.table = table;
        this.perSecondBySize = Map.copyOf(perSecondBySize);
        perSecondByModel.forEach((model, price) -> this.perSecondByModel.put(normal(model), price));
    }

    public PriceTable table() {
        return table;
    }

    /** {@code sora.pricing.per-second.<WxH>}, for rows an earlier version sent without recording their price. */
    public Map<String, BigDecimal> perSecondBySize() {
        return perSecondBySize;
    }

    public RowCost cost(PriceQuery asked) {
        PriceQuery query = table.withDefaults(asked);
        String model = query.model();
        BigDecimal modelPrice = model == null ? null : perSecondByModel.get(normal(model));
        if (modelPrice != null) {
            return priced(query, model, Rate.perSecond(modelPrice));
        }
        Optional<PriceTable.Entry> entry = table.find(query);
        if (entry.isPresent()) {
            return priced(query, label(query, entry.get().resolutions().isEmpty() ? null : query.resolution(),
                    entry.get().audio()), entry.get().rate());
        }
        BigDecimal sizePrice = query.size() == null ? null : perSecondBySize.get(query.size());
        if (sizePrice != null) {
            return priced(query, query.size(), Rate.perSecond(sizePrice));
        }
        boolean bySize = query.size() != null && !table.hasModel(query.provider(), model)
                && table.pricedBySize(query.provider());
        return new RowCost(null, bySize ? query.size() : label(query, query.resolution(), query.audio()), model,
                null);
    }

    private static RowCost priced(PriceQuery query, String key, Rate rate) {
        BigDecimal amount = rate.videoOf(query.seconds()).multiply(BigDecimal.valueOf(Math.max(1, query.variants())));
        return new RowCost(amount, key, query.model(), rate);
    }

    /** {@code fal-ai/veo3.1 720p audio=on}: the model and what of the row its price depends on. */
    private static String label(PriceQuery query, String resolution, Boolean audio) {
        StringBuilder label = new StringBuilder(query.model() == null ? "(no model)" : query.model());
        if (resolution != null) {
            label.append(' ').append(resolution);
        }
        if (audio != null) {
            label.append(audio ? " audio=on" : " audio=off");
        }
        return label.toString();
    }

    private static String normal(String model) {
        return model.strip().toLowerCase(Locale.ROOT);
    }
}
