"""Measuring the product against labelled corpora: clustering, pairs, summaries, developing stories."""
