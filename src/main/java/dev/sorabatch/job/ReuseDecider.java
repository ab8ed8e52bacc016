package dev.sorabatch.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.infrastructure.item.ItemProcessor;

import dev.sorabatch.csv.VideoRequest;
import dev.sorabatch.files.AtomicFiles;
import dev.sorabatch.i18n.Messages;
import dev.sorabatch.ledger.ContentKey;
import dev.sorabatch.ledger.FileDigest;
import dev.sorabatch.ledger.Ledger;
import dev.sorabatch.ledger.LedgerEntry;
import dev.sorabatch.ledger.ReuseRecords;
import dev.sorabatch.service.ServiceException;

/**
 * Reuse by content, between the row validator and the submit writer: a valid row whose video an earlier run in
 * this job repository delivered (the same content key: {@link ContentKeys}), with its video files still there
 * with the size and hash recorded when they were written, is not sent. It is recorded SUCCEEDED with those files
 * (linked or copied into this run's output folder when they are elsewhere) and filtered out of the chunk, so the
 * writer, the budgets and the service never see it. The decision is in the ledger before the next row is read, so
 * a restart agrees with it; a row this run already recorded otherwise goes on to the writer, which knows it.
 * A row that failed or was skipped earlier has no delivered video, so it is sent again; so is one whose earlier
 * video was deleted or changed, or whose image is no longer the one the earlier video was made from.
 */
public class ReuseDecider implements ItemProcessor<VideoRequest, VideoRequest> {

    private static final Logger log = LoggerFactory.getLogger(ReuseDecider.class);
    /** Earlier rows looked at for one row: enough for a CSV run many times, few enough to stay fast. */
    private static final int CANDIDATES = 20;

    private final Ledger ledger;
    private final ReuseRecords records;
    private final ContentKeys keys;
    private final RunState run;
    private final RunPaths paths;
    private final Endpoints endpoints;
    private final ReusedFiles files;
    private final ReuseOrigins origins;
    private final UnansweredEarlier unanswered;
    /** The paid-for rows a row of this run already reuses: a CSV that asks twice for a video gets two. */
    private Set<String> taken;
    private long takenRun = -1;

    public ReuseDecider(Ledger ledger, ReuseRecords records, ContentKeys keys, RunState run, RunPaths paths,
            Endpoints endpoints, FileNameRegistry names, org.springframework.batch.core.repository.JobRepository jobs) {
        this.ledger = ledger;
        this.records = records;
        this.keys = keys;
        this.run = run;
        this.paths = paths;
        this.endpoints = endpoints;
        this.files = new ReusedFiles(names);
        this.origins = new ReuseOrigins(jobs);
        this.unanswered = new UnansweredEarlier(records, keys);
    }

    /** @return the row to send, or null when an earlier run's video stands for it */
    @Override
    public VideoRequest process(VideoRequest request) throws Exception {
        if (!run.reusesEarlierVideos() || run.isStopRequested()) {
            return request;
        }
        long runId = run.runId();
        Optional<LedgerEntry> known = ledger.find(runId, request.rowNumber());
        if (known.isPresent()) {
            return known.get().reused() ? null : request;
        }
        String key = keys.of(request);
        Set<String> reusedHere = taken(runId);
        ImageNow image = new ImageNow(request);
        String changed = null;
        for (ReuseRecords.Earlier earlier : records.earlier(key, runId, request.rowNumber(), CANDIDATES)) {
            String origin = ReuseRecords.origin(earlier.originRunId(), earlier.originRow());
            if (reusedHere.contains(origin)) {
                continue;
            }
            List<FileDigest> intact = new ArrayList<>();
            String gone = unchanged(earlier.files(), intact);
            if (gone != null || earlier.imageSha256() != null && !earlier.imageSha256().equals(image.sha256())) {
                changed = changed != null ? changed : gone != null ? Messages.get("log.reuse-file-changed", gone)
                        : Messages.get("log.reuse-image-changed", request.imageUrl());
                continue;
            }
            if (reuse(runId, request, key, earlier, intact)) {
                reusedHere.add(origin);
                return null;
            }
        }
        if (changed != null) {
            log.info(Messages.get("log.reuse-not", request.rowNumber(), VideoSubmitter.label(request), changed));
        }
        LedgerEntry lost = run.resendsUnanswered() ? null : unanswered.of(runId, key);
        if (lost != null) {
            String from = origins.describe(lost.runId(), lost.rowNum(), paths.input());
            ledger.resends().carryUnanswered(lost.runId(), lost.rowNum(), runId, request.rowNumber(), dev.sorabatch.ledger.Failure.described("unanswered_create",
                    Messages.get("reuse.unanswered-earlier", from), Messages.get("reuse.unanswered-earlier.diagnosis",
                            from)));
            log.warn(Messages.get("log.row-failed", request.rowNumber(), VideoSubmitter.label(request),
                    Messages.get("reuse.unanswered-earlier", from)));
            return null;
        }
        return request;
    }

    /**
     * Places the files, then records the row: a crash in between leaves at most a copy nobody reports (the resumed
     * run decides again and names its own copy anew), never a reported file that is not there.
     *
     * @return false when the earlier files could not be read (the row is then sent, or another earlier row used)
     */
    private boolean reuse(long runId, VideoRequest request, String key, ReuseRecords.Earlier earlier,
            List<FileDigest> intact) {
        ReusedFiles.Placed placed;
        try {
            placed = files.place(runId, request, earlier, intact, run.outputDir());
        } catch (AtomicFiles.OutputFolderException e) {
            // this run could not save its own downloads either: stop, as a download would
            run.abort(e.getMessage());
            throw new SystemicFailureException(e.getMessage(), e);
        } catch (IOException e) {
            log.info(Messages.get("log.reuse-not", request.rowNumber(), VideoSubmitter.label(request), e.toString()));
            return false;
        }
        String from = origins.describe(earlier.originRunId(), earlier.originRow(), paths.input());
        String job = earlier.jobId() != null ? earlier.jobId() : "-";
        String note = placed.moved()
                ? Messages.get("report.reused-copied", from, job, Path.of(intact.get(0).path()).getParent())
                : Messages.get("report.reused", from, job);
        records.recordReused(runId, request, key, new ReuseRecords.Reuse(earlier, from, placed.stem(),
                placed.files(), String.join(";", placed.videos()), String.join(";", placed.thumbnails()), note));
        log.info(Messages.get("log.row-reused", request.rowNumber(), VideoSubmitter.label(request), from,
                String.join(", ", placed.videos())));
        return true;
    }

    /**
     * Fills {@code intact} with the files that are as they were written (size, then SHA-256): where they were
     * written, or, when that folder was moved or renamed and this run writes into it, under the same name in this
     * run's output folder. Thumbnails that are not intact are left out. Returns the first video that is missing or
     * changed, or null when every video is intact.
     */
    private String unchanged(List<FileDigest> recorded, List<FileDigest> intact) {
        for (FileDigest file : recorded) {
            Path written = Path.of(file.path());
            Path here = run.outputDir().toAbsolutePath().normalize().resolve(written.getFileName().toString());
            Path found = same(written, file) ? written : !here.equals(written) && same(here, file) ? here : null;
            if (found != null) {
                intact.add(new FileDigest(found.toString(), file.size(), file.sha256(), file.video()));
            } else if (file.video()) {
                return file.path();
            }
        }
        return intact.stream().anyMatch(FileDigest::video) ? null : "-";
    }

    private static boolean same(Path path, FileDigest file) {
        try {
            return Files.isRegularFile(path) && Files.size(path) == file.size()
                    && RunLauncher.sha256(path).equals(file.sha256());
        } catch (IOException e) {
            return false;
        }
    }

    private Set<String> taken(long runId) {
        if (takenRun != runId) {
            taken = records.originsReusedBy(runId);
            takenRun = runId;
        }
        return taken;
    }

    /**
     * The hash of the row's image as its URL serves it now, fetched at most once and only when an earlier row
     * recorded one (services that take the bytes): the same URL may serve another image than the earlier video's.
     * Null when it cannot be fetched: the row is then sent, and its create reports why.
     */
    private final class ImageNow {
        private final VideoRequest request;
        private String sha256;
        private boolean fetched;

        ImageNow(VideoRequest request) {
            this.request = request;
        }

        String sha256() {
            if (!fetched && request.imageUrl() != null) {
                fetched = true;
                try {
                    sha256 = ContentKey.sha256(endpoints.all().get(0).connection().images()
                            .fetch(request.imageUrl(), run::isStopRequested).bytes());
                } catch (ServiceException e) {
                    sha256 = null;
                }
            }
            return sha256;
        }
    }
}
