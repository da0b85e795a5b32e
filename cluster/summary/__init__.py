"""A story's canonical summary: sentences, current figures, corroboration, what changed, and the writer that stores it."""
