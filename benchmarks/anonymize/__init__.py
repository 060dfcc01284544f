"""Benchmark of the anonymize engine against plain Presidio and presidio-structured."""
