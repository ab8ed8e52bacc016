package dev.sorabatch.job;

import dev.sorabatch.ledger.LedgerEntry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sorabatch.i18n.Messages;
import dev.sorabatch.service.ContentKind;
import dev.sorabatch.diagnosis.Diagnoses;
import dev.sorabatch.service.ErrorKind;
import dev.sorabatch.service.ServiceException;
import dev.sorabatch.service.VideoJob;

/** Saves a succeeded job's videos and thumbnails under the names its row reserved. */
final class JobFiles {

    private static final Logger log = LoggerFactory.getLogger(JobFiles.class);

    record Saved(List<String> videos, List<String> thumbnails) {
    }

    private JobFiles() {
    }

    /**
     * @param downloads counts every download request, also when this throws
     * @throws ServiceException when a video (or a thumbnail, other than a missing one) could not be saved
     */
    static Saved save(LedgerEntry entry, VideoJob job, ServiceConnection sora, Path out, AtomicInteger downloads) {
        List<String> videos = new ArrayList<>();
        List<String> thumbnails = new ArrayList<>();
        int variants = job.generationIds().size();
        // Named as the row's reserved names are (by the variants asked for), even if the service made fewer.
        int named = Math.max(variants, entry.nVariants() == null ? 1 : entry.nVariants());
        for (int i = 0; i < variants; i++) {
            String generation = job.generationIds().get(i);
            for (ContentKind kind : ContentKind.values()) {
                if (kind == ContentKind.THUMBNAIL && !sora.client().traits().thumbnails()) {
                    continue; // the service makes none (fal): nothing to ask for
                }
                Path target = out.resolve(FileStems.fileName(entry.fileStem(), i, named, sora.client().extension(kind)));
                try {
                    sora.retrier().call(() -> {
                        downloads.incrementAndGet();
                        return sora.client().download(generation, kind, target);
                    }, (n, fault, pause) -> log.info(Messages.get("log.download-retry", entry.rowNum(),
                            kind.segment(), generation, fault.getMessage(), pause.toMillis())));
                } catch (ServiceException e) {
                    if (kind == ContentKind.THUMBNAIL && e.kind() == ErrorKind.ROW) {
                        // Some gateways have no thumbnails: the paid-for video must not be lost over one.
                        log.warn(Messages.get("log.no-thumbnail", entry.rowNum(), generation, Diagnoses.received(e)));
                        continue;
                    }
                    throw e;
                }
                (kind == ContentKind.VIDEO ? videos : thumbnails).add(target.toString());
            }
        }
        return new Saved(videos, thumbnails);
    }
}
