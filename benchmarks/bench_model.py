"""Time and memory of the Stoke default: profiles, build, solve, results, per horizon.

Run: ``python benchmarks/bench_model.py [--hours 168 2190 8760] [--resolution 1 3]
[--repeat 2]``. Each case runs in its own process so that peak memory (max RSS) is its
own, ``--repeat`` times, keeping the fastest (the machine may be shared). One line per
case, to compare runs before and after a change:

- ``imports``: starting Python and importing the model (the process's wall time less the
  rest); ``wall``: the whole process, as a user waits for it;
- ``transl``: Pyomo's hand-over to HiGHS (the solve call's time less HiGHS's own wall
  time, ``HiGHS``), of which ``vertex`` is the clean-up that turns the interior-point
  plan into a vertex schedule (:func:`energy_model.solve.vertex_schedule`);
- ``vars`` and ``rows``: the LP handed to HiGHS;
- ``C&D MW``: the largest power with which the battery charges and discharges in the
  same step, ``2-way MW`` the largest heat a pipe carries both ways in one step (a real
  schedule has neither);
- ``nothing``: waiting for doing nothing, solved in a second process alongside the plan
  from 1,000 steps up, as :mod:`energy_model.pipeline` does (in this one below that);
  ``peak MB`` adds the second process's peak to this one's (an upper bound).

``--cli`` times the README's main job itself instead: ``energy-model run SCENARIO``
(``--report`` adds the report; ``--screening N`` designs on N typical days and operates
the design through the year) in a fresh process, printing the wall time, the load
average before it, and the time of each step that the command reports.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time

CASE = r"""
import json, resource, sys, time
import pyomo.environ as pyo
from energy_model.build import build_model
from energy_model.do_nothing import compare_with_do_nothing, start_do_nothing
from energy_model.inputs import aggregate, hourly_profiles, load_weather
from energy_model.results import results_dataset
from energy_model.scenario import load_scenario
from energy_model.solve import solve_model

hours, res, name, build = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
updates = {"time.horizon_hours": hours, "time.resolution_h": res}
s = load_scenario(name)
if s.network is not None:
    updates["network.build_decisions"] = build
s = s.with_updates(updates)
t0 = time.perf_counter()
inputs = aggregate(hourly_profiles(s, load_weather(s)), s)
t1 = time.perf_counter()
pending = start_do_nothing(s, inputs)   # as energy_model.pipeline does
m = build_model(s, inputs)
t2 = time.perf_counter()
sol = solve_model(m)
t3 = time.perf_counter()
ds = results_dataset(m, s, inputs, sol)
t4 = time.perf_counter()
compare_with_do_nothing(ds, s, inputs, pending)
t5 = time.perf_counter()
both = max((min(pyo.value(m.battery_charge[t]), pyo.value(m.battery_discharge[t]))
            for t in m.T), default=0.0) if hasattr(m, "battery_charge") else 0.0
two_way = max((min(pyo.value(m.pipe_flow_forward[k]), pyo.value(m.pipe_flow_backward[k]))
               for k in m.pipe_flow_forward), default=0.0)
print(json.dumps(dict(profiles_s=t1 - t0, build_s=t2 - t1,
                      solve_s=t3 - t2, solver_wall_s=sol.solve_seconds,
                      vertex_s=sol.vertex_seconds, results_s=t4 - t3, nothing_s=t5 - t4,
                      total_s=t5 - t0,
                      peak_mb=sum(resource.getrusage(who).ru_maxrss for who in (
                          resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024,
                      variables=sol.columns, rows=sol.rows, simultaneous_mw=both,
                      two_way_mw=two_way,
                      objective_gbp=sol.objective_gbp_per_year, mip_gap=sol.mip_gap)))
"""


def time_cli(scenario: str, resolution: int | None, extra: list[str], repeat: int) -> None:
    """Time ``energy-model run SCENARIO [extra]`` as a user runs it; print one line per run."""
    steps = re.compile(r"^(.*): done in ([0-9.]+) s$")
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as out:
            cmd = [sys.executable, "-m", "energy_model.cli", "run", scenario, "--out",
                   f"{out}/results"] + (["--resolution", f"{resolution}h"] if resolution
                                        else []) + extra
            load = os.getloadavg()[0]
            start = time.perf_counter()
            done = subprocess.run(cmd, capture_output=True, text=True)
            wall = time.perf_counter() - start
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        if done.returncode:
            print(f"failed after {wall:.1f} s: {done.stderr.strip().splitlines()[-1]}")
            return
        found = [steps.match(line) for line in done.stderr.splitlines()]
        parts = ", ".join(f"{m[1].split(' (')[0].split(':')[0]} {float(m[2]):.1f} s"
                          for m in found if m)
        print(f"{' '.join(cmd[3:5] + extra)}: wall {wall:.1f} s "
              f"(load {load:.1f}), peak {peak_mb:.0f} MB; {parts}", flush=True)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--hours", type=int, nargs="+", default=[168, 2190, 8760])
    p.add_argument("--resolution", type=int, nargs="+", default=None,
                   help="hours per step (default 1; with --cli, the scenario's own)")
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--scenario", default="stoke-2030")
    p.add_argument("--build-decisions", nargs="+", default=["continuous"],
                   choices=["continuous", "binary"], help="heat network pipe decisions")
    p.add_argument("--cli", action="store_true",
                   help="time `energy-model run SCENARIO` itself (the README's main job)")
    p.add_argument("--report", action="store_true", help="with --cli: add --report")
    p.add_argument("--screening", type=int, default=None, metavar="N",
                   help="with --cli: add --typical-days N --operate-year (design on N "
                        "typical days, operate the design through the year)")
    args = p.parse_args()
    if args.cli:
        name = args.scenario if args.scenario.endswith(".yaml") else \
            f"scenarios/{args.scenario}.yaml"
        res = args.resolution[0] if args.resolution else None
        extra = (["--report"] if args.report else []) + (
            ["--typical-days", str(args.screening), "--operate-year"] if args.screening else [])
        time_cli(name, res, extra, args.repeat)
        return
    print(f"{'scenario':<12} {'hours':>5} {'res':>3} {'steps':>5} {'vars':>7} {'rows':>7} "
          f"{'imports':>7} {'profiles':>8} {'build':>6} {'transl':>6} {'HiGHS':>6} "
          f"{'vertex':>6} {'results':>7} {'nothing':>7} {'total':>6} {'wall':>6} {'peak MB':>7} "
          f"{'C&D MW':>7} {'2-way MW':>8} {'pipes':>10}  objective GBP/yr (MIP gap)")
    cases = [(h, r, b) for b in args.build_decisions for h in args.hours
             for r in args.resolution or [1]]
    for hours, res, build in cases:
        runs = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            out = subprocess.run(
                [sys.executable, "-c", CASE, str(hours), str(res), args.scenario, build],
                capture_output=True, text=True)
            wall = time.perf_counter() - start
            if out.returncode:
                print(f"{args.scenario:<12} {hours:>5} {res:>3} {build} failed after {wall:.1f} s:"
                      f" {out.stderr.strip().splitlines()[-1]}")
                break
            runs.append({**json.loads(out.stdout.strip().splitlines()[-1]), "wall_s": wall})
        if not runs:
            continue
        r = min(runs, key=lambda run: run["wall_s"])
        imports = r["wall_s"] - r["total_s"]   # interpreter start and imports
        gap = "" if r["mip_gap"] is None else f" (gap {r['mip_gap']:.2e})"
        print(f"{args.scenario:<12} {hours:>5} {res:>3} {hours // res:>5} {r['variables']:>7} "
              f"{r['rows']:>7} {imports:>6.1f}s {r['profiles_s']:>7.1f}s {r['build_s']:>5.1f}s "
              f"{r['solve_s'] - r['solver_wall_s']:>5.1f}s {r['solver_wall_s']:>5.1f}s "
              f"{r['vertex_s']:>5.1f}s {r['results_s']:>6.1f}s {r['nothing_s']:>6.1f}s "
              f"{r['total_s']:>5.1f}s "
              f"{r['wall_s']:>5.1f}s {r['peak_mb']:>7.0f} {r['simultaneous_mw']:>7.1e} "
              f"{r['two_way_mw']:>8.1e} "
              f"{build:>10}  {r['objective_gbp']:,.2f}{gap}", flush=True)


if __name__ == "__main__":
    main()
