package dev.sorabatch.report;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.core.SerializableString;
import tools.jackson.core.io.CharacterEscapes;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * One report row as the data of its card, in JSON for the report's {@code <script type="application/json">}: the
 * report's columns under their own names (empty ones left out), the error without what the diagnosis already says,
 * and its videos as links relative to the report.
 */
final class ReportCards {

    /** Copied as they are: the input's columns (for the failed rows' CSV) and what the card shows. */
    private static final List<String> COLUMNS = List.of("row", "id", "prompt", "image_url", "status", "job_id",
            "generation_ids", "http_status", "diagnosis", "attempts", "submitted_at", "finished_at", "duration_s",
            "width", "height", "n_seconds", "n_variants", "apim_request_id", "cost");

    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
            .characterEscapes(new ScriptSafe()).build()).build();

    private final Path base;

    /** @param base the folder of the HTML report, which its links are relative to */
    ReportCards(Path base) {
        this.base = base;
    }

    String json(Map<String, String> row) {
        return JSON.writeValueAsString(card(row));
    }

    Map<String, Object> card(Map<String, String> row) {
        Map<String, Object> card = new LinkedHashMap<>();
        for (String column : COLUMNS) {
            String value = row.get(column);
            if (value != null && !value.isEmpty()) {
                card.put(column, column.equals("row") ? Integer.valueOf(value) : value);
            }
        }
        String error = error(row.get("error_code"), row.get("error_message"), row.get("diagnosis"));
        if (!error.isEmpty()) {
            card.put("error", error);
        }
        List<Map<String, String>> videos = videos(row.get("video_files"), row.get("thumbnail_files"));
        if (!videos.isEmpty()) {
            card.put("videos", videos);
        }
        return card;
    }

    /** {@code code: message}, without the message when the diagnosis already quotes it. */
    static String error(String code, String message, String diagnosis) {
        boolean told = message != null && !message.isBlank() && diagnosis != null && diagnosis.contains(message.strip());
        String shown = told ? "" : message;
        if (code == null || code.isEmpty()) {
            return shown == null ? "" : shown;
        }
        return shown == null || shown.isEmpty() ? code : code + ": " + shown;
    }

    private List<Map<String, String>> videos(String videoFiles, String thumbnailFiles) {
        String[] videos = files(videoFiles);
        String[] thumbnails = files(thumbnailFiles);
        List<Map<String, String>> list = new ArrayList<>();
        for (int i = 0; i < videos.length; i++) {
            Map<String, String> video = new LinkedHashMap<>();
            video.put("src", href(base, videos[i]));
            video.put("name", Path.of(videos[i]).getFileName().toString());
            if (i < thumbnails.length) {
                video.put("poster", href(base, thumbnails[i]));
                video.put("posterName", Path.of(thumbnails[i]).getFileName().toString());
            }
            list.add(video);
        }
        return list;
    }

    private static String[] files(String list) {
        return list == null || list.isBlank() ? new String[0] : list.split(";");
    }

    /** A file of the report as a link relative to the report, every path segment percent-encoded. */
    static String href(Path base, String file) {
        Path target = Path.of(file).toAbsolutePath().normalize();
        String relative = base.relativize(target).toString().replace('\\', '/');
        try {
            return new URI(null, null, relative, null).getRawPath();
        } catch (URISyntaxException e) {
            return relative;
        }
    }

    /**
     * JSON that can sit inside a {@code <script>} element: {@code <}, {@code >} and {@code &} written as JSON's
     * backslash-u escapes, so no value can close the element ({@code </script>}) or open a comment ({@code <!--}).
     * Jackson's own escaping hook; JSON.parse in the page reads them back as the characters.
     */
    private static final class ScriptSafe extends CharacterEscapes {

        private final int[] escapes = standardAsciiEscapesForJSON();

        ScriptSafe() {
            escapes['<'] = ESCAPE_STANDARD;
            escapes['>'] = ESCAPE_STANDARD;
            escapes['&'] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return escapes;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return null;
        }
    }
}
