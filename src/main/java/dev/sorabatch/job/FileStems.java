package dev.sorabatch.job;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.sorabatch.csv.VideoRequest;

/**
 * Names a row's files: its {@code id} made safe for any file system (a hostile id such as {@code ../../etc} never
 * leaves the output folder, accented letters are spelled without their accents, Windows device names such as
 * {@code CON} or {@code nul.txt} get an underscore), or {@code row-0042}. A name already taken gets a suffix until
 * it is free: the row number ({@code clip-row-0002}) when another row of the run has it, a counter
 * ({@code lake-2}) when a file the run did not write is in the output folder.
 */
public final class FileStems {

    /** What a run can save: videos, and JPEG or WebP thumbnails (see the clients' {@code extension}). */
    public static final Set<String> MEDIA_EXTENSIONS = Set.of("mp4", "jpg", "webp");

    private static final int MAX_LENGTH = 100;
    private static final Pattern WINDOWS_DEVICE = Pattern.compile("(?i)(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(?=\\.|$)");
    /** Letters that Unicode does not decompose into a base letter and an accent. */
    private static final Map<Character, String> LETTERS = Map.ofEntries(Map.entry('Æ', "AE"), Map.entry('æ', "ae"),
            Map.entry('Œ', "OE"), Map.entry('œ', "oe"), Map.entry('Ø', "O"), Map.entry('ø', "o"),
            Map.entry('ß', "ss"), Map.entry('Đ', "D"), Map.entry('đ', "d"), Map.entry('Ð', "D"), Map.entry('ð', "d"),
            Map.entry('Ł', "L"), Map.entry('ł', "l"), Map.entry('Þ', "TH"), Map.entry('þ', "th"),
            Map.entry('ı', "i"), Map.entry('Ħ', "H"), Map.entry('ħ', "h"));

    /** Whether a candidate stem is free for a row, and if not, who has it. */
    public enum Taken {
        FREE, BY_ANOTHER_ROW, ON_DISK
    }

    private FileStems() {
    }

    public static String sanitise(String id) {
        if (id == null) {
            return "";
        }
        String safe = transliterate(id).replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("_+", "_")
                .replaceAll("^[._-]+", "");
        safe = safe.length() > MAX_LENGTH ? safe.substring(0, MAX_LENGTH) : safe;
        safe = safe.replaceAll("\\.+$", "");
        Matcher device = WINDOWS_DEVICE.matcher(safe);
        return device.lookingAt() ? safe.substring(0, device.end()) + "_" + safe.substring(device.end()) : safe;
    }

    /** {@code Un café crème} → {@code Un cafe creme}, {@code Ærø} → {@code AEro}, {@code ﬁ} → {@code fi}. */
    static String transliterate(String text) {
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "");
        StringBuilder out = new StringBuilder(decomposed.length());
        for (int i = 0; i < decomposed.length(); i++) {
            char c = decomposed.charAt(i);
            String letter = LETTERS.get(c);
            out.append(letter != null ? letter : String.valueOf(c));
        }
        return out.toString();
    }

    public static String byRow(int row) {
        return String.format("row-%04d", row);
    }

    /**
     * The first free stem for the row: its id (or {@code row-NNNN}); when another row has that, the row number
     * appended; when a file is there, {@code -2}, {@code -3}… until {@code taken} says a candidate is free.
     */
    public static String assign(VideoRequest request, Function<String, Taken> taken) {
        String stem = sanitise(request.rowId());
        if (stem.isEmpty()) {
            stem = byRow(request.rowNumber());
        }
        Taken first = taken.apply(stem);
        if (first == Taken.FREE) {
            return stem;
        }
        String base = stem;
        if (first == Taken.BY_ANOTHER_ROW) {
            base = stem + "-" + byRow(request.rowNumber());
            if (taken.apply(base) == Taken.FREE) {
                return base;
            }
        }
        for (int n = 2;; n++) {
            String candidate = base + "-" + n;
            if (taken.apply(candidate) == Taken.FREE) {
                return candidate;
            }
        }
    }

    /**
     * The names (without extension) that a stem takes: the stem itself, and one per variant when there are
     * several. Two different stems whose lists share no name (ignoring case) never share a file.
     */
    public static List<String> names(String stem, int variants) {
        List<String> names = new ArrayList<>(variants + 1);
        names.add(stem);
        for (int i = 0; variants > 1 && i < variants; i++) {
            names.add(variantName(stem, i, variants));
        }
        return names;
    }

    /** The names of the files a stem's variants are saved under, without extension. */
    public static List<String> fileNames(String stem, int variants) {
        List<String> names = new ArrayList<>(variants);
        for (int i = 0; i < variants; i++) {
            names.add(variantName(stem, i, variants));
        }
        return names;
    }

    /** Names differ only in case on macOS and Windows file systems: compare them this way. */
    public static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    public static String fileName(String stem, int variant, int variants, String extension) {
        return variantName(stem, variant, variants) + "." + extension;
    }

    private static String variantName(String stem, int variant, int variants) {
        return variants > 1 ? stem + "-v" + (variant + 1) : stem;
    }
}
