"""wirestory's computation: embed, dedup, cluster, link, summarise, the nightly pipeline, the CLI."""
