package dev.sorabatch.provider.azure;

import dev.sorabatch.csv.CsvRow;
import dev.sorabatch.csv.InputColumns;
import dev.sorabatch.csv.InvalidRowException;
import dev.sorabatch.csv.RowRules;
import dev.sorabatch.csv.VideoRequest;
import dev.sorabatch.i18n.Messages;
import dev.sorabatch.provider.sora.SoraLimits;
import dev.sorabatch.service.Provider;

/** Azure Sora 1 accepts a fixed list of resolutions, 1 to 20 seconds, and fewer variants as size grows. */
public final class AzureRowRules implements RowRules {

    @Override
    public void check(CsvRow row, VideoRequest request) {
        RowRules.refuseModelInputs(row, request.inputs(), Provider.AZURE_SORA.id());
        int width = request.width();
        int height = request.height();
        if (!SoraLimits.supports(width, height)) {
            String column = row.value(InputColumns.SIZE) != null ? InputColumns.SIZE
                    : row.value(InputColumns.WIDTH) != null || row.value(InputColumns.HEIGHT) == null
                    ? "width/height" : InputColumns.HEIGHT;
            throw new InvalidRowException(row, column, Messages.get("row.resolution", width + "x" + height,
                    String.join(", ", SoraLimits.RESOLUTIONS)));
        }
        int seconds = request.nSeconds();
        if (seconds < SoraLimits.MIN_SECONDS || seconds > SoraLimits.MAX_SECONDS) {
            throw new InvalidRowException(row, InputColumns.secondsColumn(row), Messages.get("row.seconds", seconds,
                    SoraLimits.MIN_SECONDS, SoraLimits.MAX_SECONDS));
        }
        int maxVariants = SoraLimits.maxVariants(width, height);
        int variants = request.nVariants();
        if (variants < 1 || variants > maxVariants) {
            throw new InvalidRowException(row, InputColumns.N_VARIANTS, Messages.get("row.variants", variants,
                    width + "x" + height, maxVariants));
        }
    }
}
