"""Which articles belong together: duplicates, pair scoring, clustering within a night, linking across nights."""
