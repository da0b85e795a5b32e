-- wirestory schema, version 4: the archive's term statistics for window-independent term weights.

-- How many story-founding articles contain each word (lower-cased word tokens), counted once per
-- article when it first enters a story. With the general-language seed shipped in the `wordfreq`
-- package it gives every word an IDF that does not depend on the night's window
-- (cluster/background.py). The row with term '' holds the number of articles counted.
CREATE TABLE term_df (
    term VARCHAR PRIMARY KEY,   -- lower-cased word; '' = the count of articles behind the table
    df   BIGINT NOT NULL        -- articles that contain the word
);
