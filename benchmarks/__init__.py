"""Benchmarks: `make bench` runs them and prints figures with same-run baselines."""
