"""Benchmarks (a package, so that `bench/statistics.py` is `bench.statistics` to type checkers and
not the standard library's `statistics`)."""
