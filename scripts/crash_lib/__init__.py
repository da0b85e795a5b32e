"""The crash harness of issue 7 (entry point: scripts/crash_harness.py): running and killing nights,
comparing databases by content."""
