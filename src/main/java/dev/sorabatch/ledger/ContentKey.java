package dev.sorabatch.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import dev.sorabatch.csv.VideoRequest;
import dev.sorabatch.service.ModelInputs;

/**
 * A row's content key: the SHA-256 of everything that decides its video, so that a row an earlier run delivered is
 * recognised whatever file, row number, {@code id} or column order it comes with. What goes in: the service (its
 * provider and model, and whether it is the simulator), the prompt, the image URL, the size, seconds and variants,
 * the row's own {@code model}, and the model inputs ({@code aspect_ratio}, {@code resolution},
 * {@code negative_prompt}, {@code seed}, {@code param.*} by name, whether the model's own duration was asked for).
 * Not the {@code id}: it only names the files. The image's bytes are not fetched for the key (it is decided before anything is fetched or sent): the
 * bytes' hash, recorded when they were fetched for the create, is compared separately before a video is reused.
 */
public final class ContentKey {

    /** Changes whenever what goes into the key changes, so that keys of different meanings never match. */
    private static final String VERSION = "sora-batch content key v1";

    private ContentKey() {
    }

    /** @param service the provider and model the row's video comes from, as {@code job} describes them */
    public static String of(String service, VideoRequest request) {
        return of(service, request.prompt(), request.imageUrl(), request.width(), request.height(),
                request.nSeconds(), request.nVariants(), request.model(), request.inputs());
    }

    /** The key of a row as the ledger recorded it (the same as its request's). */
    public static String of(String service, LedgerEntry entry) {
        return of(service, entry.prompt(), entry.imageUrl(), entry.width() == null ? 0 : entry.width(),
                entry.height() == null ? 0 : entry.height(), entry.nSeconds() == null ? 0 : entry.nSeconds(),
                entry.nVariants() == null ? 0 : entry.nVariants(), entry.model(), entry.modelInputs());
    }

    static String of(String service, String prompt, String imageUrl, int width, int height, int nSeconds,
            int nVariants, String model, ModelInputs inputs) {
        ModelInputs in = inputs == null ? ModelInputs.NONE : inputs;
        StringBuilder text = new StringBuilder(VERSION).append('\n');
        field(text, "service", service);
        field(text, "prompt", prompt);
        field(text, "image_url", imageUrl);
        field(text, "size", width + "x" + height);
        field(text, "seconds", Integer.toString(nSeconds));
        field(text, "variants", Integer.toString(nVariants));
        field(text, "model", model == null || model.isBlank() ? null : model);
        field(text, "aspect_ratio", in.aspectRatio());
        field(text, "resolution", in.resolution());
        field(text, "negative_prompt", in.negativePrompt());
        field(text, "seed", in.seed() == null ? null : in.seed().toString());
        field(text, "model_default_duration", Boolean.toString(in.defaultDuration()));
        // by name: the order of the param.* columns in the CSV does not decide the video
        for (Map.Entry<String, String> param : new TreeMap<>(in.params()).entrySet()) {
            field(text, "param." + param.getKey(), param.getValue());
        }
        return sha256(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Length-prefixed, so that no two different rows can write the same text (a prompt holding a newline). */
    private static void field(StringBuilder text, String name, String value) {
        text.append(name).append(value == null ? "=-" : "=" + value.length() + ":" + value).append('\n');
    }

    /** The SHA-256 of {@code bytes}, in lower-case hex. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
