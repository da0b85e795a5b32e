"""Benchmark suite for the nightly pipeline (issue 8): synthetic wire nights, timing, reporting.

Entry point: `.venv/bin/python scripts/bench --help`.
"""
