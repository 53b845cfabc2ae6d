"""HiGHS's LP solvers on the Stoke default: time and objective for each, one line per case.

Run: ``python benchmarks/bench_solvers.py [--hours 2190] [--resolution 1]``. Each case runs
in its own process. ``run_crossover`` off leaves an interior-point solution without a basis;
the duals (prices, shadow prices) then come from the interior point.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

CASES = {
    "simplex": {"solver": "simplex"},
    "ipm": {"solver": "ipm"},
    "ipm-no-crossover": {"solver": "ipm", "run_crossover": "off"},
    "ipm-no-crossover-tol1e-6": {"solver": "ipm", "run_crossover": "off",
                                 "ipm_optimality_tolerance": 1e-6},
    "pdlp": {"solver": "pdlp"},
    "hipdlp": {"solver": "hipdlp"},
    "ipx-no-crossover": {"solver": "ipx", "run_crossover": "off"},
    "ipm-no-crossover-objscale-10": {"solver": "ipm", "run_crossover": "off",
                                     "user_objective_scale": -10},
}

CASE = r"""
import json, resource, sys, time
from energy_model import highs
from energy_model.build import build_model
from energy_model.inputs import prepare_inputs
from energy_model.scenario import load_scenario
from energy_model.solve import solve_model

hours, res, options = int(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3])
highs.HIGHS_OPTIONS.update(options)
s = load_scenario("stoke-2030").with_updates({"time.horizon_hours": hours,
                                               "time.resolution_h": res})
inputs = prepare_inputs(s)
m = build_model(s, inputs)
t0 = time.perf_counter()
sol = solve_model(m, explain=False)
dt = time.perf_counter() - t0
print(json.dumps(dict(seconds=dt, objective=sol.objective_gbp_per_year,
                      peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)))
"""


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--hours", type=int, default=2190)
    p.add_argument("--resolution", type=int, default=1)
    p.add_argument("--cases", nargs="+", default=list(CASES))
    args = p.parse_args()
    print(f"{'case':<18} {'hours':>5} {'res':>3} {'solve s':>8} {'peak MB':>8}  objective GBP/yr")
    for name in args.cases:
        out = subprocess.run([sys.executable, "-c", CASE, str(args.hours), str(args.resolution),
                              json.dumps(CASES[name])], capture_output=True, text=True)
        if out.returncode:
            print(f"{name:<18} failed: {out.stderr.strip().splitlines()[-1]}", flush=True)
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{name:<18} {args.hours:>5} {args.resolution:>3} {r['seconds']:>8.1f} "
              f"{r['peak_mb']:>8.0f}  {r['objective']:,.2f}", flush=True)


if __name__ == "__main__":
    main()
