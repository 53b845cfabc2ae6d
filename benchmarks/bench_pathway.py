"""Time the Stoke pathway: build and solve, perfect foresight and myopic.

    python benchmarks/bench_pathway.py [--resolution 24] [--horizon-days 365]

Prints the build and solve times, the model size and what is built in each period.
"""

from __future__ import annotations

import argparse
import time

import pyomo.environ as pyo

from energy_model.pathway import build_pathway, pathway_plan, solve_pathway
from energy_model.scenario import load_scenario


def bench(resolution_h: int, horizon_days: int | None, myopic: bool) -> None:
    """Build and solve the Stoke pathway once and print its timings and builds."""
    updates = {"time.resolution_h": resolution_h}
    if horizon_days:
        updates["time.horizon_hours"] = horizon_days * 24
    scenario = load_scenario("stoke-pathway-2030").with_updates(updates)
    start = time.perf_counter()
    plan = pathway_plan(scenario)
    pm = build_pathway(plan)
    built_s = time.perf_counter() - start
    solution = solve_pathway(pm, myopic=myopic)
    total_s = time.perf_counter() - start
    print(f"{'myopic' if myopic else 'perfect'} foresight, {resolution_h} h steps: "
          f"{pm.model.nvariables():,} variables; inputs and build {built_s:.1f} s, "
          f"solve {solution.solve_seconds:.1f} s, total {total_s:.1f} s; "
          f"cost GBP {solution.total_cost_gbp / 1e6:,.1f} m")
    for y in plan.years:
        built = {k: pyo.value(pm.model.build[y, k]) for k in pm.model.K}
        shown = ", ".join(f"{k} {v:.1f}" for k, v in built.items() if v > 1e-3) or "nothing"
        print(f"  {y}: {shown}")


def main() -> None:
    """Parse the arguments and run both foresights."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--resolution", type=int, default=24, help="hours per step")
    p.add_argument("--horizon-days", type=int, default=None, help="days modelled per period")
    args = p.parse_args()
    for myopic in (False, True):
        bench(args.resolution, args.horizon_days, myopic)


if __name__ == "__main__":
    main()
