"""wirestory's data layer: article records, wire-format readers, the DuckDB schema and queries.

Nothing here imports `cluster`: the algorithms depend on the data, never the other way round.
"""
