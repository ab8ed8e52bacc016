package dev.sorabatch.sora;

/** The two files each generation has, their path segment and the file extension they are saved under. */
public enum ContentKind {
    VIDEO("video", "mp4", Operation.DOWNLOAD_VIDEO),
    THUMBNAIL("thumbnail", "jpg", Operation.DOWNLOAD_THUMBNAIL);

    private final String segment;
    private final String extension;
    private final Operation operation;

    ContentKind(String segment, String extension, Operation operation) {
        this.segment = segment;
        this.extension = extension;
        this.operation = operation;
    }

    public String segment() { return segment; }
    public String extension() { return extension; }
    public Operation operation() { return operation; }
}
