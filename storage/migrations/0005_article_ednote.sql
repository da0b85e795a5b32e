-- wirestory schema, version 5: the editor's note of an article version.

-- The wire's note to editors ("Eds: updates with quotes", NewsML-G2 edNote, NITF ed-msg), kept
-- apart from the body so it is neither summarised nor shown as story text.
ALTER TABLE articles ADD COLUMN ednote VARCHAR;
