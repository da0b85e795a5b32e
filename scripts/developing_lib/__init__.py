"""The invented developing stories of demo/developing (entry point: scripts/make_developing_set.py)."""
