package dev.sorabatch.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sorabatch.csv.VideoRequest;
import dev.sorabatch.i18n.Messages;
import dev.sorabatch.ledger.ContentKey;
import dev.sorabatch.ledger.FileDigest;
import dev.sorabatch.ledger.LedgerEntry;
import dev.sorabatch.ledger.ReuseRecords;
import dev.sorabatch.service.ReferenceImage;

/**
 * Records, as a row's video is delivered, what a later run needs to reuse it: the row's content key and each file's
 * size and SHA-256 (read back right after the download, while the file is still in the page cache), and, as its
 * image is fetched for the create, the hash of those bytes. Recorded before the row is marked SUCCEEDED: a crash in
 * between leaves the row to be collected again, never SUCCEEDED with files nobody can check.
 */
public class DeliveryRecorder {

    private static final Logger log = LoggerFactory.getLogger(DeliveryRecorder.class);

    private final ReuseRecords records;
    private final ContentKeys keys;
    private final RunState run;

    public DeliveryRecorder(ReuseRecords records, ContentKeys keys, RunState run) {
        this.records = records;
        this.keys = keys;
        this.run = run;
    }

    /** The bytes already fetched for the create: hashing them costs no further read. */
    public void imageFetched(VideoRequest request, ReferenceImage image) {
        records.recordImage(run.runId(), request.rowNumber(), ContentKey.sha256(image.bytes()));
    }

    void delivered(LedgerEntry entry, JobFiles.Saved saved) {
        List<FileDigest> files = new ArrayList<>();
        try {
            for (String video : saved.videos()) {
                files.add(digest(Path.of(video), true));
            }
            for (String thumbnail : saved.thumbnails()) {
                files.add(digest(Path.of(thumbnail), false));
            }
        } catch (IOException e) {
            // the video is kept and reported; only a later run cannot reuse it
            log.warn(Messages.get("log.reuse-unrecorded", entry.rowNum(), e.toString()));
            return;
        }
        records.recordDelivered(run.runId(), entry.rowNum(), keys.of(entry), files);
    }

    static FileDigest digest(Path file, boolean video) throws IOException {
        Path absolute = file.toAbsolutePath().normalize();
        return new FileDigest(absolute.toString(), Files.size(absolute), RunLauncher.sha256(absolute), video);
    }
}
