"""How flat is the optimum? Each technology's built capacity moved off the optimum, the rest
re-optimised, and the change in annual cost.

Run: ``python benchmarks/bench_flatness.py [--resolution 3] [--factors 0.75 1.25]``.
A capacity whose moves cost almost nothing is not pinned down by the economics: two runs
that differ a little (typical days, another weather year, a cost estimate) can give it
very different values at the same total cost. One line per technology and factor.
"""

from __future__ import annotations

import argparse
import time

import pyomo.environ as pyo

from energy_model.build import build_model
from energy_model.inputs import prepare_inputs
from energy_model.scenario import load_scenario
from energy_model.solve import solve_model


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scenario", default="stoke-2030")
    p.add_argument("--resolution", type=int, default=3)
    p.add_argument("--factors", type=float, nargs="+", default=[0.75, 1.25])
    p.add_argument("--min-capacity", type=float, default=1.0,
                   help="skip technologies building less than this [MW or MWh]")
    args = p.parse_args()
    s = load_scenario(args.scenario).with_updates({"time.resolution_h": args.resolution})
    m = build_model(s, prepare_inputs(s))
    t0 = time.perf_counter()
    base = solve_model(m, explain=False).objective_gbp_per_year
    print(f"optimum: {base:,.0f} GBP/yr ({len(m.T)} steps of {args.resolution} h, "
          f"{time.perf_counter() - t0:.1f} s)")
    built = {k: pyo.value(m.new_capacity[k]) for k in m.new_capacity}
    print(f"{'technology':<22} {'built':>9} {'factor':>6} {'cost change':>12} "
          f"{'GBP/yr':>12}")
    for k, value in built.items():
        if value < args.min_capacity:
            continue
        var = m.new_capacity[k]
        if var.ub is not None and value >= var.ub - 1e-6:
            print(f"{k:<22} {value:>9.1f}  at its potential: skipped", flush=True)
            continue
        for f in args.factors:
            var.fix(value * f)
            try:
                cost = solve_model(m, explain=False).objective_gbp_per_year
            finally:
                var.unfix()
            print(f"{k:<22} {value:>9.1f} {f:>6.2f} {(cost - base) / base:>12.4%} "
                  f"{cost - base:>12,.0f}", flush=True)


if __name__ == "__main__":
    main()
