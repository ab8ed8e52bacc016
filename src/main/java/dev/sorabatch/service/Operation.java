package dev.sorabatch.service;

/** The calls sora-batch makes; a 404 means something different for each. */
public enum Operation {
    CREATE("create video job"),
    POLL("poll video job"),
    LIST("list video jobs"),
    DELETE("delete video job"),
    DOWNLOAD_VIDEO("download video"),
    DOWNLOAD_THUMBNAIL("download thumbnail"),
    FETCH_IMAGE("fetch image_url"),
    SAVE_FILE("save file");

    private final String label;

    Operation(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Calls whose failure says the endpoint itself is wrong, not one job. */
    public boolean addressesTheService() {
        return this == CREATE || this == LIST;
    }
}
