-- wirestory schema, version 7: a run's fingerprint and settings digest in their own columns.

-- The fingerprint (window articles, embargoes, settings digest) lets an unchanged night be skipped;
-- the settings digest (cluster.settings: configuration, every algorithm parameter, the pair model's
-- weights, the code's version) tells which settings a night ran with. Both were counts before.
ALTER TABLE runs ADD COLUMN fingerprint VARCHAR;
ALTER TABLE runs ADD COLUMN settings_digest VARCHAR;
UPDATE runs SET fingerprint = counts ->> 'fingerprint', settings_digest = counts ->> 'algorithm';

-- One row per run of `wirestory nightly` or `ingest`, with its main counts unpacked.
CREATE OR REPLACE VIEW runs_v AS
SELECT
    r.run_id,                                  -- 'r' + start time + pid: unique, sortable
    r.command,                                 -- nightly | ingest
    r.status,                                  -- running | ok | quarantined | failed
    r.started_at,                              -- when the run started
    r.finished_at,                             -- when it ended (NULL while running)
    date_diff('millisecond', r.started_at, r.finished_at) / 1000.0 AS seconds, -- wall time of the run
    r.window_start,                            -- start of the copy window the night re-clustered
    r.window_end,                              -- end of that window (the newest article)
    r.params ->> 'model' AS model,             -- encoder the run used
    TRY_CAST(r.counts ->> 'ingest_files' AS INTEGER) AS n_files, -- input files seen
    TRY_CAST(r.counts ->> 'ingest_new' AS INTEGER) AS n_new_articles, -- new articles stored
    TRY_CAST(r.counts ->> 'ingest_quarantined' AS INTEGER) AS n_quarantined, -- inputs quarantined
    TRY_CAST(r.counts ->> 'link_new_stories' AS INTEGER) AS n_new_stories, -- stories created
    TRY_CAST(r.counts ->> 'summarize_stories' AS INTEGER) AS n_summarized, -- stories (re)summarised
    r.fingerprint,                             -- what the night's result depended on (window + settings)
    r.settings_digest,                         -- digest of every setting and algorithm parameter it ran with
    r.error                                    -- the error of a failed run
FROM runs r;
