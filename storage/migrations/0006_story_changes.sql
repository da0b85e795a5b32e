-- wirestory schema, version 6: what changed in each story, night by night.

-- What a run changed in a story's summary, compared with the summary stored before it: the night
-- editor's first read. Written with the summary, in the same transaction; keyed so that a rerun
-- adds nothing.
CREATE TABLE story_changes (
    run_id     VARCHAR NOT NULL,
    story_id   VARCHAR NOT NULL,
    kind       VARCHAR NOT NULL,  -- new_story | new_fact | wire_joined | figure_changed | status_changed
    position   INTEGER NOT NULL,  -- order within its kind, from 0
    detail     VARCHAR,           -- the new sentence, the quantity ('dead') or the topic ('strike')
    source     VARCHAR,           -- the wire behind the change
    article_id VARCHAR,           -- the article the new sentence or figure comes from
    old_value  VARCHAR,           -- the figure or state before (figure_changed, status_changed)
    new_value  VARCHAR,           -- the figure or state now
    PRIMARY KEY (run_id, story_id, kind, position)
);

-- What each run changed in each story it touched: new facts, wires that joined, figures and states.
CREATE VIEW story_changes_v AS
SELECT
    c.run_id,                                  -- the run that made the change (see runs_v)
    c.story_id,                                -- the story
    s.headline,                                -- the story's current headline
    c.kind,                                    -- new_story | new_fact | wire_joined | figure_changed | status_changed
    c.position,                                -- order within its kind, from 0
    c.detail,                                  -- new sentence (new_fact), quantity (figure_changed), topic (status_changed), headline (new_story)
    c.source,                                  -- the wire behind the change
    c.article_id,                              -- the article the sentence or figure comes from
    least(a.event_time, coalesce(a.first_created, a.event_time)) AS reported_at, -- when the wire put that article out
    c.old_value,                               -- figure or state before the run, as text
    c.new_value                                -- figure or state after the run, as text
FROM story_changes c
LEFT JOIN stories s USING (story_id)
LEFT JOIN articles a ON a.article_id = c.article_id;
