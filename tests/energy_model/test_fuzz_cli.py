"""A small sample of the fuzz benchmark's bad inputs, end to end through the command line.

``benchmarks/bench_fuzz.py`` generates thousands; here a few of every class (scenario
files, raw YAML text, file kinds, GeoJSON, weather, time series, sweeps, progress, output
folders, cheap runs) must each give a clean refusal (exit 2 with a message) or, where
success is allowed, succeed: never a traceback, a hang or a wrong success.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_fuzz.py"
_spec = importlib.util.spec_from_file_location("bench_fuzz", BENCH)
bench = importlib.util.module_from_spec(_spec)
sys.modules["bench_fuzz"] = bench  # dataclasses look their module up there
_spec.loader.exec_module(bench)

PER_CLASS = 3


def _sample() -> list:
    picked: dict[str, list] = {}
    for case in bench.generate(400, seed=19):
        kind = case.kind.split(":")[0]
        if len(picked.setdefault(kind, [])) < PER_CLASS:
            picked[kind].append(case)
    return [c for cases in picked.values() for c in cases]


SAMPLE = _sample()


def test_the_sample_covers_every_class():
    assert {c.kind.split(":")[0] for c in SAMPLE} == {
        "scenario", "text", "file", "geojson", "weather", "series", "sweep", "progress",
        "output", "run"}


@pytest.mark.parametrize("case", SAMPLE, ids=lambda c: f"{c.key}-{c.kind}")
def test_bad_input_is_refused_cleanly(tmp_path, case):
    result = bench.run_case(case, tmp_path / "a" / "b" / "case", timeout_s=120)
    assert result["outcome"] == "clean", result
    # nothing escaped the case's folder
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a"]
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["b"]
