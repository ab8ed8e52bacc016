package dev.sorabatch.job;

import dev.sorabatch.csv.VideoRequest;

/**
 * Names a row's files: its {@code id} made safe for any file system (a hostile id such as {@code ../../etc} never
 * leaves the output folder), or {@code row-0042}; an id used twice gets the row number appended, so no two rows
 * overwrite each other's video.
 */
public final class FileStems {

    private static final int MAX_LENGTH = 100;

    private FileStems() {
    }

    public static String sanitise(String id) {
        if (id == null) {
            return "";
        }
        String safe = id.replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("_+", "_").replaceAll("^[._-]+", "");
        safe = safe.replaceAll("\\.+$", "");
        return safe.length() > MAX_LENGTH ? safe.substring(0, MAX_LENGTH) : safe;
    }

    public static String byRow(int row) {
        return String.format("row-%04d", row);
    }

    /** @param taken tells whether a stem is already used by another row of the run */
    public static String assign(VideoRequest request, java.util.function.Predicate<String> taken) {
        String stem = sanitise(request.rowId());
        if (stem.isEmpty()) {
            stem = byRow(request.rowNumber());
        }
        if (taken.test(stem)) {
            stem = stem + "-" + byRow(request.rowNumber());
        }
        return stem;
    }

    public static String fileName(String stem, int variant, int variants, String extension) {
        return (variants > 1 ? stem + "-v" + (variant + 1) : stem) + "." + extension;
    }
}
