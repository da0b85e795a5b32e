-- wirestory schema, version 3: quarantine per item, and skipped items with their reason.
-- A bad line of a JSONL file, row of a CSV, entry of a feed or item of an envelope is quarantined
-- alone while the rest of its file lands; items a reader skips (pictures, packages, items without
-- text) are recorded too, so every input that gave no article says why. DuckDB cannot change a
-- primary key in place, so the table is rebuilt with every version-2 row kept.

ALTER TABLE quarantine RENAME TO quarantine_v2;

-- Files, or items of files, that could not be read or were skipped, with the reason.
CREATE TABLE quarantine (
    file_hash    VARCHAR NOT NULL,      -- sha256 of the file's bytes (of its path when it could not be read)
    path         VARCHAR NOT NULL,      -- the file
    item         VARCHAR NOT NULL DEFAULT '', -- position in the file: 'line 3', 'row 4', 'entry 5', 'item 2'; '' for the whole file
    kind         VARCHAR NOT NULL DEFAULT 'quarantined', -- quarantined (could not be read) | skipped (read, but carries no text)
    reason       VARCHAR NOT NULL,      -- why
    run_id       VARCHAR,               -- the run that recorded it
    PRIMARY KEY (file_hash, path, item)
);

INSERT INTO quarantine (file_hash, path, reason, run_id) SELECT file_hash, path, reason, run_id FROM quarantine_v2;

DROP TABLE quarantine_v2;
