"""Time and memory of the Stoke default: profiles, build, solve, results, per horizon.

Run: ``python benchmarks/bench_model.py [--hours 168 2190 8760] [--resolution 1]``.
Each case runs in its own process so that peak memory (max RSS) is its own. One line per
case, to compare runs before and after a change. ``transl`` is Pyomo's hand-over to HiGHS
(the solve call's time less HiGHS's own wall time, ``HiGHS``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

CASE = r"""
import json, resource, sys, time
import pyomo.environ as pyo
from energy_model.build import build_model
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
m = build_model(s, inputs)
t2 = time.perf_counter()
sol = solve_model(m)
t3 = time.perf_counter()
results_dataset(m, s, inputs, sol)
t4 = time.perf_counter()
nvars = sum(1 for _ in m.component_data_objects(pyo.Var))
ncons = sum(1 for _ in m.component_data_objects(pyo.Constraint, active=True))
print(json.dumps(dict(profiles_s=t1 - t0, build_s=t2 - t1, solve_s=t3 - t2,
                      solver_wall_s=sol.solve_seconds, results_s=t4 - t3, total_s=t4 - t0,
                      peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      variables=nvars, constraints=ncons,
                      objective_gbp=sol.objective_gbp_per_year, mip_gap=sol.mip_gap)))
"""


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--hours", type=int, nargs="+", default=[168, 2190, 8760])
    p.add_argument("--resolution", type=int, nargs="+", default=[1])
    p.add_argument("--scenario", default="stoke-2030")
    p.add_argument("--build-decisions", nargs="+", default=["continuous"],
                   choices=["continuous", "binary"], help="heat network pipe decisions")
    args = p.parse_args()
    print(f"{'scenario':<12} {'hours':>5} {'res':>3} {'steps':>5} {'vars':>8} {'cons':>8} "
          f"{'profiles':>8} {'build':>7} {'transl':>7} {'HiGHS':>7} {'results':>7} {'total':>7} "
          f"{'peak MB':>8} {'pipes':>10}  objective GBP/yr (MIP gap)")
    cases = [(h, r, b) for b in args.build_decisions for h in args.hours for r in args.resolution]
    for hours, res, build in cases:
        start = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", CASE, str(hours), str(res), args.scenario, build],
            capture_output=True, text=True)
        if out.returncode:
            print(f"{args.scenario:<12} {hours:>5} {res:>3} {build} failed after "
                  f"{time.perf_counter() - start:.1f} s: {out.stderr.strip().splitlines()[-1]}")
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        gap = "" if r["mip_gap"] is None else f" (gap {r['mip_gap']:.2e})"
        print(f"{args.scenario:<12} {hours:>5} {res:>3} {hours // res:>5} {r['variables']:>8} "
              f"{r['constraints']:>8} {r['profiles_s']:>7.1f}s {r['build_s']:>6.1f}s "
              f"{r['solve_s'] - r['solver_wall_s']:>6.1f}s {r['solver_wall_s']:>6.1f}s "
              f"{r['results_s']:>6.1f}s {r['total_s']:>6.1f}s "
              f"{r['peak_mb']:>8.0f} {build:>10}  {r['objective_gbp']:,.0f}{gap}", flush=True)


if __name__ == "__main__":
    main()
