"""Benchmarks of the hot paths; `make bench` runs them all (see bench/__main__.py)."""
