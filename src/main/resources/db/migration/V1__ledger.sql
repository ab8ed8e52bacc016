-- Version 1 of the ledger's schema (Flyway). Each statement is IF NOT EXISTS: a repository made before the
-- schema history existed already has some of it (Flyway baselines it at version 0 and applies every version).
--
-- The ledger: one line per input row of a run, written the moment anything paid-for happens. It is what makes a
-- restart finish the remaining rows without submitting any video twice. Portable across H2 and PostgreSQL.
CREATE TABLE IF NOT EXISTS SORA_LEDGER (
    RUN_ID           BIGINT        NOT NULL,
    ROW_NUM          INTEGER       NOT NULL,
    ROW_ID           VARCHAR(1000),
    PROMPT           VARCHAR(40000),
    IMAGE_URL        VARCHAR(4000),
    WIDTH            INTEGER,
    HEIGHT           INTEGER,
    N_SECONDS        INTEGER,
    N_VARIANTS       INTEGER,
    FILE_STEM        VARCHAR(300),
    STATUS           VARCHAR(20)   NOT NULL,
    JOB_ID           VARCHAR(300),
    JOB_STATUS       VARCHAR(40),
    ADOPTED          BOOLEAN       DEFAULT FALSE NOT NULL,
    GENERATION_IDS   VARCHAR(4000),
    VIDEO_FILES      VARCHAR(8000),
    THUMBNAIL_FILES  VARCHAR(8000),
    HTTP_STATUS      INTEGER,
    ERROR_CODE       VARCHAR(300),
    ERROR_MESSAGE    VARCHAR(4000),
    DIAGNOSIS        VARCHAR(4000),
    REQUEST_ID       VARCHAR(300),
    NOTE             VARCHAR(1000),
    ATTEMPTS         INTEGER       DEFAULT 0 NOT NULL,
    POLLS            INTEGER       DEFAULT 0 NOT NULL,
    DOWNLOAD_ROUNDS  INTEGER       DEFAULT 0 NOT NULL,
    DOWNLOADS        INTEGER       DEFAULT 0 NOT NULL,
    SUBMITTING_AT    BIGINT,
    SUBMITTED_AT     BIGINT,
    FINISHED_AT      BIGINT,
    NEXT_POLL_AT     BIGINT,
    JOB_CREATED_AT   BIGINT,
    MODEL            VARCHAR(300),
    ENDPOINT         VARCHAR(100),
    LAST_RUNNING_AT  BIGINT,
    SERVICE_MILLIS   BIGINT,
    JOB_HANDLE       VARCHAR(4000),
    MODEL_INPUTS     VARCHAR(40000),
    COST             DECIMAL(18,6),
    PRICE_KEY        VARCHAR(300),
    -- what the delivered video was made from (ledger.ContentKey), the image's hash and each file's size and hash;
    -- a row that reused an earlier row's video names it (the report's reused_from) and the row that paid for it
    CONTENT_KEY      VARCHAR(64),
    IMAGE_SHA256     VARCHAR(64),
    FILE_DIGESTS     VARCHAR(16000),
    REUSED_FROM      VARCHAR(4000),
    REUSED_RUN_ID    BIGINT,
    REUSED_ROW       INTEGER,
    PRIMARY KEY (RUN_ID, ROW_NUM)
);

CREATE INDEX IF NOT EXISTS SORA_LEDGER_STATUS_IDX ON SORA_LEDGER (RUN_ID, STATUS, NEXT_POLL_AT);

-- One live process per input file: who holds it, and when it last proved it was alive.
CREATE TABLE IF NOT EXISTS SORA_RUN_LOCK (
    INPUT_KEY     VARCHAR(64)   NOT NULL PRIMARY KEY,
    INPUT_PATH    VARCHAR(4000),
    OWNER_HOST    VARCHAR(300)  NOT NULL,
    OWNER_PID     BIGINT        NOT NULL,
    ACQUIRED_AT   BIGINT        NOT NULL,
    HEARTBEAT_AT  BIGINT        NOT NULL
);

-- File names are checked for uniqueness on every row, and orphans are matched by job id: both must stay fast
-- at 100,000 rows.
CREATE INDEX IF NOT EXISTS SORA_LEDGER_STEM_IDX ON SORA_LEDGER (RUN_ID, FILE_STEM);
CREATE INDEX IF NOT EXISTS SORA_LEDGER_JOB_IDX ON SORA_LEDGER (JOB_ID);
-- SORA_LEDGER_CONTENT_IDX (CONTENT_KEY), for finding a video an earlier run delivered, is made by V2, after
-- the columns an earlier version's table lacks are added.

-- The file names each run has given out (lower case and without extension, since names that differ only in case
-- are one file on macOS and Windows), so that no name is given twice in a run, also after a restart; looked up by
-- primary key, so as fast at 100,000 rows as at 10.
CREATE TABLE IF NOT EXISTS SORA_FILE_NAME (
    RUN_ID    BIGINT        NOT NULL,
    NAME_KEY  VARCHAR(320)  NOT NULL,
    ROW_NUM   INTEGER       NOT NULL,
    PRIMARY KEY (RUN_ID, NAME_KEY)
);
