-- wirestory schema, version 1. All times are naive UTC.

-- One row per run of `wirestory nightly` (or `ingest`): what it was asked, what it did, how it ended.
CREATE TABLE runs (
    run_id       VARCHAR PRIMARY KEY,   -- 'r' + start time + pid: unique, sortable
    command      VARCHAR NOT NULL,      -- nightly | ingest
    started_at   TIMESTAMP NOT NULL,
    finished_at  TIMESTAMP,
    status       VARCHAR NOT NULL,      -- running | ok | quarantined | failed
    pid          INTEGER,
    window_start TIMESTAMP,
    window_end   TIMESTAMP,
    params       JSON,                  -- effective configuration of the run
    counts       JSON,                  -- per-stage counts and seconds
    error        VARCHAR
);

-- Every input file seen, by content hash: a file delivered twice is read once.
CREATE TABLE files (
    file_hash    VARCHAR PRIMARY KEY,   -- sha256 of the bytes
    path         VARCHAR NOT NULL,      -- where it was first seen
    format       VARCHAR,
    size         BIGINT,
    n_items      INTEGER,
    n_skipped    INTEGER,
    run_id       VARCHAR
);

-- Files (or items) that could not be read, with the reason. Nothing else of the night is lost.
CREATE TABLE quarantine (
    file_hash    VARCHAR NOT NULL,
    path         VARCHAR NOT NULL,
    reason       VARCHAR NOT NULL,
    run_id       VARCHAR,
    PRIMARY KEY (file_hash, path)
);

-- Every version of every wire item, losslessly: the raw bytes are kept beside the parsed fields.
CREATE TABLE articles (
    article_id      VARCHAR PRIMARY KEY, -- hash of source, item key, version, status and text
    source          VARCHAR NOT NULL,    -- the wire: Reuters, AFP, dpa, AP, ...
    item_key        VARCHAR NOT NULL,    -- the wire's own stable id; versions share it
    version         BIGINT,              -- wire's version number (Reuters: opaque, ordered)
    version_created TIMESTAMP,
    first_created   TIMESTAMP,
    received_at     TIMESTAMP NOT NULL,  -- the run's clock when first ingested
    event_time      TIMESTAMP NOT NULL,  -- version_created, else first_created, else received_at
    headline        VARCHAR,
    slugline        VARCHAR,
    byline          VARCHAR,
    dateline        VARCHAR,
    body            VARCHAR,
    language        VARCHAR,
    subjects        VARCHAR[],
    pubstatus       VARCHAR NOT NULL,    -- usable | withdrawn
    embargo_until   TIMESTAMP,
    signals         VARCHAR[],
    related         VARCHAR[],
    url             VARCHAR,
    format          VARCHAR,
    content_hash    VARCHAR NOT NULL,    -- hash of normalised headline + body
    file_hash       VARCHAR,
    raw             BLOB,
    run_id          VARCHAR
);

-- Encoder output cached by text and model: unchanged text is never embedded twice.
CREATE TABLE embeddings (
    content_hash VARCHAR NOT NULL,
    model        VARCHAR NOT NULL,       -- encoder name including its token budget
    dim          INTEGER NOT NULL,
    vector       FLOAT[] NOT NULL,       -- cast to FLOAT[dim] for array_cosine_similarity
    PRIMARY KEY (content_hash, model)
);

-- Each non-canonical article and the canonical article it duplicates, with how that was decided.
CREATE TABLE duplicates (
    article_id   VARCHAR PRIMARY KEY,
    duplicate_of VARCHAR NOT NULL,
    reason       VARCHAR NOT NULL,       -- version | redelivery | exact | near
    similarity   DOUBLE,
    run_id       VARCHAR
);

-- Stories with stable ids. A merged story keeps its row (status merged, merged_into set).
CREATE TABLE stories (
    story_id          VARCHAR PRIMARY KEY,
    status            VARCHAR NOT NULL,  -- active | merged | withdrawn
    merged_into       VARCHAR,
    first_seen        TIMESTAMP,
    last_seen         TIMESTAMP,
    headline          VARCHAR,
    headline_article  VARCHAR,
    summary           VARCHAR,
    credit_line       VARCHAR,
    first_source      VARCHAR,
    first_reported_at TIMESTAMP,
    sources           VARCHAR[],
    languages         VARCHAR[],
    language          VARCHAR,
    n_articles        INTEGER,
    n_sources         INTEGER,
    member_hash       VARCHAR,           -- hash of the member set: the summary is redone only when it changes
    created_run       VARCHAR,
    updated_run       VARCHAR
);

-- Which story each article (every version and duplicate) belongs to now, and in what role.
CREATE TABLE story_articles (
    article_id VARCHAR PRIMARY KEY,
    story_id   VARCHAR NOT NULL,
    role       VARCHAR NOT NULL,       -- canonical | duplicate | version | withdrawn
    run_id     VARCHAR
);

-- Every change of an article's story: merges, splits and moves, never silent.
CREATE TABLE story_lineage (
    old_story_id VARCHAR NOT NULL,
    new_story_id VARCHAR NOT NULL,
    run_id       VARCHAR NOT NULL,
    reason       VARCHAR NOT NULL,       -- merge | split
    n_articles   INTEGER,
    PRIMARY KEY (old_story_id, new_story_id, run_id)
);

-- The summary, sentence by sentence, with provenance. kind 'summary' or 'exclusive' (only here).
CREATE TABLE summary_sentences (
    story_id      VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL,
    position      INTEGER NOT NULL,
    sentence      VARCHAR NOT NULL,
    article_id    VARCHAR NOT NULL,
    source        VARCHAR NOT NULL,
    char_start    INTEGER NOT NULL,      -- span into articles.body
    char_end      INTEGER NOT NULL,
    also_sources  VARCHAR[],
    also_articles VARCHAR[],
    PRIMARY KEY (story_id, kind, position)
);
