"""Timing and printing shared by the benchmarks: medians over repetitions after a warm-up."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass
class Timing:
    name: str
    samples: list[float]  # seconds
    queries: int | None = None
    note: str = ""
    size: int | None = None  # bytes of the response body

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples) * 1000

    @property
    def p90_ms(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))] * 1000

    @property
    def min_ms(self) -> float:
        return min(self.samples) * 1000


def measure(name: str, fn: Callable[[int], Any], *, repeat: int = 30, warmup: int = 3, check: Callable[[Any], None] | None = None) -> Timing:
    """Call `fn(i)` `warmup` times untimed, then `repeat` times timed; `check` sees every result."""
    for i in range(warmup):
        result = fn(i)
        if check:
            check(result)
    samples = []
    for i in range(warmup, warmup + repeat):
        start = time.perf_counter()
        result = fn(i)
        samples.append(time.perf_counter() - start)
        if check:
            check(result)
    return Timing(name, samples)


def measure_interleaved(fns: dict[str, Callable[[int], Any]], *, repeat: int = 30, warmup: int = 3,
                        check: Callable[[str, Any], None] | None = None) -> dict[str, Timing]:
    """Like `measure` for several calls at once, taken in turns (A, B, C, A, B, C …), so that a
    burst of load on a shared machine hits all of them alike and their ratios stay fair."""
    samples: dict[str, list[float]] = {name: [] for name in fns}
    for i in range(warmup + repeat):
        for name, fn in fns.items():
            start = time.perf_counter()
            result = fn(i)
            elapsed = time.perf_counter() - start
            if check:
                check(name, result)
            if i >= warmup:
                samples[name].append(elapsed)
    return {name: Timing(name, values) for name, values in samples.items()}


@dataclass
class Row:
    label: str
    value: str
    target: str = ""
    ok: bool | None = None


@dataclass
class Report:
    title: str
    timings: list[Timing] = field(default_factory=list)
    checks: list[Row] = field(default_factory=list)

    def add(self, timing: Timing) -> Timing:
        self.timings.append(timing)
        return timing

    def ratio(self, label: str, numerator: Timing, denominator: Timing, *, at_most: float) -> float:
        value = numerator.median_ms / denominator.median_ms
        self.checks.append(Row(label, f"{value:.2f}×", f"≤ {at_most:.1f}×", value <= at_most))
        # The fastest runs are the least disturbed by other work on the machine: shown for reference.
        self.checks.append(Row("  same, fastest runs", f"{numerator.min_ms / denominator.min_ms:.2f}×"))
        return value

    def check(self, label: str, value: str, target: str = "", ok: bool | None = None) -> None:
        self.checks.append(Row(label, value, target, ok))

    def print(self, out: Callable[[str], Any] = print) -> bool:
        out("")
        out(f"== {self.title} ==")
        if self.timings:
            width = max(len(t.name) for t in self.timings)
            out(f"{'request':<{width}}  {'n':>3}  {'median ms':>9}  {'p90 ms':>7}  {'min ms':>7}  {'queries':>7}  {'HTML KB':>7}  note")
            for t in self.timings:
                q = "" if t.queries is None else str(t.queries)
                kb = "" if t.size is None else f"{t.size / 1024:.1f}"
                out(f"{t.name:<{width}}  {len(t.samples):>3}  {t.median_ms:>9.1f}  {t.p90_ms:>7.1f}  {t.min_ms:>7.1f}  {q:>7}  {kb:>7}  {t.note}")
        all_ok = True
        if self.checks:
            out("")
            width = max(len(c.label) for c in self.checks)
            for c in self.checks:
                verdict = "" if c.ok is None else ("ok" if c.ok else "FAIL")
                all_ok = all_ok and c.ok is not False
                out(f"{c.label:<{width}}  {c.value:>12}  {c.target:<10}  {verdict}")
        return all_ok


# --- Memory of an export, measured in a fresh process -------------------------------------------------

def run_variant(variants: dict[str, Callable[[Any], int]], name: str, handle: Any) -> int:
    """Write one export variant into `handle` (emptied first); returns the rows written."""
    handle.seek(0)
    handle.truncate()
    return variants[name](handle)


def memory_child(variants: dict[str, Callable[[Any], int]], name: str, *, start_up: Callable[[], Any]) -> None:
    """In the subprocess: start-up size (after `start_up()`: imports, the first queries), then one
    export's peak RSS above it and one export's tracemalloc peak, printed as JSON for `memory_of`."""
    import json
    import resource
    import tempfile
    import tracemalloc

    start_up()
    start_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with tempfile.TemporaryFile() as handle:
        rows = run_variant(variants, name, handle)
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        tracemalloc.start()
        run_variant(variants, name, handle)
        _current, traced = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    print(json.dumps({"rows": rows, "rss_mb": (peak_kb - start_kb) / 1024, "traced_mb": traced / 2**20}))


def memory_of(module: str, name: str) -> dict[str, float]:
    """Run `python -m <module> --memory <name>` (which calls `memory_child`) and read its figures."""
    import json
    import os
    import subprocess
    import sys

    base = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run([sys.executable, "-m", module, "--memory", name], cwd=base, env={**os.environ},
                         capture_output=True, text=True, check=False)
    if out.returncode:
        raise SystemExit(f"memory run of {name} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])
