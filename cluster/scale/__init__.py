"""The embed stage on a distributed engine (Ray Data), for nights that outgrow one machine.

Optional: `pip install wirestory[scale]`. Only `cluster/scale/ray_embed.py` imports ray. The
engine writes (content hash, vector) Parquet files that `load.load_vectors` puts into the
embeddings table, so the normal night runs unchanged and finds every vector cached.
"""
