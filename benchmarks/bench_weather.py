"""Time and memory to build the built-in weather year and every profile from it.

Run: ``python benchmarks/bench_weather.py``. One line per case: wall time [s] and peak traced
Python/numpy memory [MB]; then the total (target under 5 s) and the process's peak resident
memory. Not a test: it only prints.
"""

from __future__ import annotations

import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PVGIS_CSV = ROOT / "tests" / "weather" / "data" / "tmy_45.000_8.000_2005_2023.csv"


def measure(label: str, step: Callable[[], Any], trace: bool = True) -> tuple[Any, float]:
    """Run ``step``, print its time and peak traced memory, and return its result and time.

    Tracing memory slows imports several-fold, so ``trace=False`` times without it.
    """
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    result = step()
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    tracemalloc.stop()
    memory = f"peak {peak / 1e6:7.1f} MB" if trace else "(memory not traced)"
    print(f"{label:<34s} {elapsed:7.3f} s  {memory}")
    return result, elapsed


def main() -> int:
    weather, import_s = measure("import weather", lambda: __import__("weather"),
                                 trace=False)
    year, year_s = measure("stoke_typical_year(2030)", weather.stoke_typical_year)
    cases: dict[str, Callable[[], Any]] = {
        "pv_capacity_factor open rack": lambda: weather.pv_capacity_factor(year),
        "pv_capacity_factor roof": lambda: weather.pv_capacity_factor(year, mounting="roof"),
        "wind_capacity_factor E-126/4200": lambda: weather.wind_capacity_factor(year),
        "ground_temperature_c": lambda: weather.ground_temperature_c(year),
        "heat_pump_cop air/ground/water": lambda: [
            weather.heat_pump_cop(year["temp_air"].to_series(), 70.0, s)
            for s in ("air", "ground", "water")],
        "heat_demand_profile domestic": lambda: weather.heat_demand_profile(year, 1.0),
        "heat_demand_profile non_domestic": lambda: weather.heat_demand_profile(
            year, 1.0, "non_domestic"),
        "electricity_demand domestic": lambda: weather.electricity_demand_profile(year, 1.0),
        "electricity_demand non_domestic": lambda: weather.electricity_demand_profile(
            year, 1.0, "non_domestic"),
    }
    profiles_s = year_s
    for label, step in cases.items():
        _, elapsed = measure(label, step)
        profiles_s += elapsed
    if PVGIS_CSV.exists():
        measure("read_weather PVGIS TMY csv", lambda: weather.read_weather(PVGIS_CSV, year=2030))
    print(f"{'year + all profiles (target < 5 s)':<34s} {profiles_s:7.3f} s  "
          f"(plus import {import_s:.3f} s)")
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(f"{'process peak resident memory':<34s} {peak_rss_mb:7.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
