-- wirestory schema, version 2: stable views for analysts. All times are naive UTC.
-- The tables may change shape between versions; these views keep their names, columns and meaning.
-- Every view column carries a comment: scripts/gen_schema_doc.py turns them into docs/schema.md.

-- One row per story (active, merged or withdrawn), with its headline, summary and credit line.
CREATE VIEW stories_v AS
SELECT
    s.story_id,                                -- stable story id, kept from night to night ('S' + 11 hex)
    s.status,                                  -- active | merged | withdrawn
    s.merged_into,                             -- for a merged story: the story that absorbed it
    s.headline,                                -- canonical headline, taken from one member article
    s.summary,                                 -- extractive summary, plain text
    s.credit_line,                             -- wires carrying the story, e.g. '(Reuters, AFP, dpa)'
    s.first_source,                            -- the wire that reported the story first
    s.first_reported_at,                       -- when first_source first reported it
    s.first_seen,                              -- earliest event time of the story's live copy
    s.last_seen,                               -- latest event time of the story's live copy
    CAST(s.first_seen AS DATE) AS first_day,   -- UTC date of first_seen, for grouping by day
    s.n_articles,                              -- member articles, every version and duplicate included
    s.n_sources,                               -- distinct wires among the members
    s.sources,                                 -- the wires, as a list
    s.languages,                               -- languages of the usable copy (ISO 639-1), as a list
    s.language,                                -- main language of the story
    s.created_run,                             -- run that created the story (see runs_v)
    s.updated_run                              -- run that last rewrote the story row or summary
FROM stories s;

-- Each article of each story: every version, duplicate and withdrawn copy, with its role.
CREATE VIEW story_articles_v AS
SELECT
    sa.story_id,                               -- the story the article belongs to now
    sa.article_id,                             -- the article (one version of one wire item)
    sa.role,                                   -- canonical | duplicate | version | withdrawn
    a.source,                                  -- the wire: Reuters, AFP, dpa, AP, ...
    a.item_key,                                -- the wire's own item id; versions share it
    a.version,                                 -- the wire's version number, when it has one
    a.event_time,                              -- version time, else first-created time, else receipt time
    least(a.event_time, coalesce(a.first_created, a.event_time)) AS reported_at, -- earliest time the wire put this copy out
    a.received_at,                             -- when wirestory first ingested it (the run's clock)
    a.pubstatus,                               -- usable | withdrawn
    a.language,                                -- ISO 639-1 language of the copy
    a.headline,                                -- the article's own headline
    a.url,                                     -- link to the copy, when the wire gives one
    d.duplicate_of,                            -- for a duplicate or older version: the article it duplicates
    d.reason AS duplicate_reason,              -- version | exact | near
    d.similarity AS duplicate_similarity,      -- cosine similarity behind a near-duplicate decision
    sa.run_id                                  -- run that last assigned the article to its story
FROM story_articles sa
JOIN articles a USING (article_id)
LEFT JOIN duplicates d USING (article_id);

-- One row per story per wire: when that wire first reported the story and how much it sent.
CREATE VIEW story_sources_v AS
SELECT
    sa.story_id,                               -- the story
    a.source,                                  -- the wire
    min(least(a.event_time, coalesce(a.first_created, a.event_time))) AS first_reported_at, -- the wire's first report of the story
    max(a.event_time) AS last_reported_at,     -- the wire's latest copy on the story
    count(*) AS n_articles,                    -- the wire's member articles, versions and duplicates included
    count(DISTINCT a.item_key) AS n_items,     -- distinct wire items (a resent or updated item counts once)
    count(*) FILTER (WHERE sa.role = 'canonical') AS n_canonical -- of those, canonical copies
FROM story_articles sa
JOIN articles a USING (article_id)
WHERE sa.role <> 'withdrawn'
GROUP BY sa.story_id, a.source;

-- The summary sentence by sentence, each with the article and wire it came from.
CREATE VIEW summary_sentences_v AS
SELECT
    ss.story_id,                               -- the story
    ss.kind,                                   -- summary (in the summary) | exclusive (only one wire has it)
    ss.position,                               -- order within its kind, from 0
    ss.sentence,                               -- the sentence, verbatim from the article body
    ss.source,                                 -- the wire whose article the sentence is taken from
    ss.article_id,                             -- the article it is taken from
    ss.char_start,                             -- start offset of the sentence in articles.body
    ss.char_end,                               -- end offset of the sentence in articles.body
    ss.also_sources,                           -- other wires that carry the same fact
    ss.also_articles,                          -- their articles
    1 + coalesce(len(ss.also_sources), 0) AS n_sources -- wires that carry the fact, the quoted one included
FROM summary_sentences ss;

-- Every duplicate or superseded version, beside what it duplicates.
CREATE VIEW duplicates_v AS
SELECT
    d.article_id,                              -- the duplicate (or older version)
    a.source,                                  -- its wire
    a.headline,                                -- its headline
    a.event_time,                              -- its event time
    d.duplicate_of,                            -- the article it duplicates
    o.source AS original_source,               -- the wire of that article
    o.headline AS original_headline,           -- the headline of that article
    d.reason,                                  -- version (same item, older) | exact (same text) | near (near-copy)
    d.similarity,                              -- cosine similarity for near copies; 1 for exact
    a.source <> o.source AS cross_wire,        -- true when one wire carries another's copy
    sa.story_id,                               -- the story the duplicate belongs to
    d.run_id                                   -- run that recorded the decision
FROM duplicates d
JOIN articles a USING (article_id)
LEFT JOIN articles o ON o.article_id = d.duplicate_of
LEFT JOIN story_articles sa ON sa.article_id = d.article_id;

-- One row per run of `wirestory nightly` or `ingest`, with its main counts unpacked.
CREATE VIEW runs_v AS
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
    r.error                                    -- the error of a failed run
FROM runs r;
