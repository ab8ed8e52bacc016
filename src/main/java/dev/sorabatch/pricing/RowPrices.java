package dev.sorabatch.pricing;

import java.math.BigDecimal;
import java.util.Map;

import dev.sorabatch.csv.VideoRequest;

/**
 * The prices of a run's rows: each validated row as a {@link PriceQuery} of the run's provider, and the row's own
 * model or else the one the run sends. The one place a row's fields become a price's.
 */
public final class RowPrices {

    private final Prices prices;
    private final String provider;
    private final String defaultModel;

    public RowPrices(Prices prices, String provider, String defaultModel) {
        this.prices = prices;
        this.provider = provider;
        this.defaultModel = defaultModel;
    }

    public RowCost cost(VideoRequest request) {
        return prices.cost(query(request));
    }

    public Map<String, BigDecimal> perSecondBySize() {
        return prices.perSecondBySize();
    }

    public PriceQuery query(VideoRequest request) {
        String model = request.model() != null && !request.model().isBlank() ? request.model().strip() : defaultModel;
        // a row that names no resolution or audio is priced at the model's documented defaults
        dev.sorabatch.service.ModelInputs inputs = request.inputs();
        String audio = inputs.params().get("generate_audio");
        return new PriceQuery(provider, model, request.width(), request.height(), inputs.resolution(),
                request.nSeconds(), request.nVariants(), audio == null ? null
                        : Boolean.valueOf(audio.strip().equalsIgnoreCase("true")));
    }

    /** A row of an earlier version's ledger, which kept no price: by its size, as that version priced it. */
    public static RowCost bySizeOnly(Map<String, BigDecimal> perSecondBySize, Integer width, Integer height,
            int secondsOfVideo) {
        String size = width + "x" + height;
        BigDecimal price = perSecondBySize.get(size);
        return new RowCost(price == null ? null : price.multiply(BigDecimal.valueOf(secondsOfVideo)), size, null,
                price == null ? null : Rate.perSecond(price));
    }
}
