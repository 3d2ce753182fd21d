"""Benchmarks, run on demand and never in the test suite: `.venv/bin/python -m bench [name ...]`.

Each benchmark measures its target and a baseline in the same run on the same machine, and prints
medians and their ratio, so the figures compare like with like whatever the machine. They use their
own database (`BENCH_DATABASE_URL`, default `var/bench.sqlite3`), seeded once and reused.
"""
