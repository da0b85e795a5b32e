"""The quality run (entry point: scripts/quality.py): its measurements and the page docs/quality.md."""
