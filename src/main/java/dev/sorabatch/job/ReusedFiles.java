package dev.sorabatch.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.sorabatch.csv.VideoRequest;
import dev.sorabatch.files.AtomicFiles;
import dev.sorabatch.ledger.FileDigest;
import dev.sorabatch.ledger.ReuseRecords;

/**
 * Puts an earlier row's files where this run's report can list them. Files already in this run's output folder
 * (the same command run again) stay as they are. Files elsewhere (another {@code --output}, a moved folder) get
 * names of this run's own ({@link FileNameRegistry}: never a name a file in the folder already has) and are
 * hard-linked there when the two folders share a file store, else copied, atomically ({@link AtomicFiles}).
 */
final class ReusedFiles {

    /** The files as this run reports them, and the stem they are named by. */
    record Placed(String stem, List<FileDigest> files, List<String> videos, List<String> thumbnails, boolean moved) {
    }

    private final FileNameRegistry names;

    ReusedFiles(FileNameRegistry names) {
        this.names = names;
    }

    /** @param intact the earlier row's files that are unchanged, videos first */
    Placed place(long runId, VideoRequest request, ReuseRecords.Earlier from, List<FileDigest> intact, Path outputDir)
            throws IOException {
        Path folder = outputDir.toAbsolutePath().normalize();
        if (intact.stream().allMatch(file -> folder.equals(Path.of(file.path()).getParent()))) {
            return placed(from.fileStem(), intact, outputDir, false);
        }
        List<FileDigest> videos = intact.stream().filter(FileDigest::video).toList();
        List<FileDigest> thumbnails = intact.stream().filter(file -> !file.video()).toList();
        String stem = names.assign(runId, request, outputDir, List.of(extension(videos, "mp4"),
                extension(thumbnails, "jpg"))).stem();
        int named = Math.max(videos.size(), request.nVariants());
        List<FileDigest> copies = new ArrayList<>();
        for (List<FileDigest> kind : List.of(videos, thumbnails)) {
            for (int i = 0; i < kind.size(); i++) {
                FileDigest file = kind.get(i);
                Path target = folder.resolve(FileStems.fileName(stem, i, named, extension(List.of(file), "mp4")));
                linkOrCopy(Path.of(file.path()), target);
                copies.add(new FileDigest(target.toString(), file.size(), file.sha256(), file.video()));
            }
        }
        return placed(stem, copies, outputDir, true);
    }

    private static Placed placed(String stem, List<FileDigest> files, Path outputDir, boolean moved) {
        List<String> videos = new ArrayList<>();
        List<String> thumbnails = new ArrayList<>();
        for (FileDigest file : files) {
            // named as this run names the files it downloads: under --output as given
            String name = outputDir.resolve(Path.of(file.path()).getFileName().toString()).toString();
            (file.video() ? videos : thumbnails).add(name);
        }
        return new Placed(stem, files, videos, thumbnails, moved);
    }

    /**
     * A hard link costs no space and is made in one step, and fails rather than replace a file; another file store,
     * or one that has no links, gets an atomic copy.
     */
    static void linkOrCopy(Path source, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try {
            Files.createLink(target, source);
            return;
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw e;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // across file stores (EXDEV), or links not allowed there: copy instead
        }
        AtomicFiles.write(target, out -> Files.copy(source, out));
    }

    private static String extension(List<FileDigest> files, String fallback) {
        if (files.isEmpty()) {
            return fallback;
        }
        String name = Path.of(files.get(0).path()).getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? fallback : name.substring(dot + 1);
    }
}
