"""Helpers of the Japanese search benchmark (benchmarks/bench_search.py)."""
