package dev.sorabatch.service;

/** The two files each generation has, and the path segment or variant that names them in the API. */
public enum ContentKind {
    VIDEO("video", Operation.DOWNLOAD_VIDEO),
    THUMBNAIL("thumbnail", Operation.DOWNLOAD_THUMBNAIL);

    private final String segment;
    private final Operation operation;

    ContentKind(String segment, Operation operation) {
        this.segment = segment;
        this.operation = operation;
    }

    public String segment() { return segment; }
    public Operation operation() { return operation; }
}
