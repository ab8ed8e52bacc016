package dev.sorabatch.provider.openai;

import dev.sorabatch.csv.CsvRow;
import dev.sorabatch.csv.InputColumns;
import dev.sorabatch.csv.InvalidRowException;
import dev.sorabatch.csv.RowRules;
import dev.sorabatch.csv.VideoRequest;
import dev.sorabatch.i18n.Messages;
import dev.sorabatch.provider.sora.SoraLimits;
import dev.sorabatch.service.Provider;

/**
 * The Videos API: sizes and durations are left to the service (models and gateways accept values the published
 * enums do not list), but each must be a sensible number; one video per request.
 */
public final class VideosRowRules implements RowRules {

    @Override
    public void check(CsvRow row, VideoRequest request) {
        RowRules.refuseModelInputs(row, request.inputs(), Provider.OPENAI_VIDEOS.id());
        if (request.width() < 1 || request.height() < 1) {
            throw new InvalidRowException(row, row.value(InputColumns.SIZE) != null ? InputColumns.SIZE
                    : "width/height", Messages.get("row.size-videos", request.width() + "x" + request.height()));
        }
        if (request.nSeconds() < 1 || request.nSeconds() > SoraLimits.MAX_VIDEOS_SECONDS) {
            throw new InvalidRowException(row, InputColumns.secondsColumn(row), Messages.get("row.seconds-videos",
                    request.nSeconds(), SoraLimits.MAX_VIDEOS_SECONDS));
        }
        if (request.nVariants() != 1) {
            throw new InvalidRowException(row, InputColumns.N_VARIANTS, Messages.get("row.variants-videos",
                    request.nVariants()));
        }
    }
}
