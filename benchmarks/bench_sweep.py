"""Wall time of a 16-case sweep at 1 and 2 workers, and its overhead against a plain loop.

Run: ``python benchmarks/bench_sweep.py [--horizon-hours 168] [--resolution 3]``.

The 16 cases are a 4 x 4 grid of battery energy capex and grid import price on a summer
week of the Stoke default. Three ways of solving them:

* a plain loop in this process: ``prepare_inputs``, build, solve and results per case,
  as a script would (the profiles are computed afresh for every case);
* the same loop through the sweep's case function (the worker's code, whose profiles are
  reused between cases that differ only in costs), without Dask: cold (``cold s``, each
  LP solved afresh) and as the workers run it (``func s``, each LP solved by simplex from
  the previous case's optimal basis);
* ``run_sweep`` on a LocalCluster of 1 and of 2 worker processes (cluster start-up timed
  apart), writing every case's results and the combined outputs as the CLI does.

One line per case (seconds per case in each), then the totals, the speed-up from 1 to 2
workers and the overhead per case of the sweep against the loop of the same function.
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
import time
from pathlib import Path

CAPEX = "technologies.battery.energy_capex_gbp_per_kwh"
PRICE = "grid.import_price_gbp_per_mwh"


def sweep_spec(horizon_hours: int, resolution_h: int) -> dict:
    """The benchmark's 16-case grid."""
    return {
        "name": "bench-sweep",
        "base": "stoke-2030",
        "fixed": {"time.start_hour": 4344, "time.horizon_hours": horizon_hours,
                  "time.resolution_h": resolution_h},
        "grid": {CAPEX: [40, 100, 160, 240], PRICE: [150, 200, 270.3, 350]},
    }


def plain_loop(sweep) -> tuple[float, dict[str, float], dict[str, float]]:
    """Solve each case as a script would; wall time, seconds and objective per case."""
    from energy_model.build import build_model
    from energy_model.inputs import prepare_inputs
    from energy_model.results import results_dataset
    from energy_model.scenario import scenario_from_dict
    from energy_model.solve import solve_model

    seconds, objective = {}, {}
    start = time.perf_counter()
    for case in sweep.cases:
        t0 = time.perf_counter()
        s = scenario_from_dict(case.scenario_data, base_dir=case.base_dir)
        inputs = prepare_inputs(s)
        m = build_model(s, inputs)
        ds = results_dataset(m, s, inputs, solve_model(m))
        seconds[case.case_id] = time.perf_counter() - t0
        objective[case.case_id] = ds.attrs["total_cost_gbp_per_year"]
    return time.perf_counter() - start, seconds, objective


def case_function_loop(sweep, warm_start: bool) -> tuple[float, dict[str, float]]:
    """Solve each case with the worker's function in this process (its profile cache too),
    with or without starting each solve from the previous case's basis."""
    from energy_model.sweep import case as case_module

    case_module._weather_cache.clear()
    case_module._hourly_cache.clear()
    case_module._warm_start = None
    seconds = {}
    start = time.perf_counter()
    for case in sweep.cases:
        record = case_module.solve_case(case.case_id, case.scenario_data, case.base_dir,
                                        warm_start=warm_start)
        seconds[case.case_id] = record["seconds"]
    return time.perf_counter() - start, seconds


def dask_sweep(sweep, workers: int, out: Path):
    """Start a LocalCluster of ``workers`` processes; time its start and the sweep on it."""
    from distributed import Client, LocalCluster

    from energy_model.sweep import run_sweep

    t0 = time.perf_counter()
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=logging.ERROR)
    client = Client(cluster)
    startup = time.perf_counter() - t0
    try:
        t1 = time.perf_counter()
        ds = run_sweep(sweep, out, scheduler=client, progress=False, force=True)
        wall = time.perf_counter() - t1
    finally:
        client.close()
        cluster.close()
    return startup, wall, ds


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--horizon-hours", type=int, default=168)
    p.add_argument("--resolution", type=int, default=3)
    args = p.parse_args()
    import warnings

    warnings.filterwarnings("ignore")
    from energy_model.sweep import load_sweep
    from energy_model.sweep.case import warm_up

    sweep = load_sweep(sweep_spec(args.horizon_hours, args.resolution))
    n = len(sweep.cases)
    warm_up()
    loop_wall, loop_s, objective = plain_loop(sweep)
    cold_wall, cold_s = case_function_loop(sweep, warm_start=False)
    func_wall, func_s = case_function_loop(sweep, warm_start=True)
    runs = {}
    with tempfile.TemporaryDirectory() as tmp:
        for workers in (1, 2):
            runs[workers] = dask_sweep(sweep, workers, Path(tmp) / f"w{workers}")
    print(f"16-case sweep: Stoke, {args.horizon_hours} h from 1 July in {args.resolution}-h "
          f"steps; {os.cpu_count()} cores")
    print(f"{'case':<9} {'capex GBP/kWh':>13} {'import GBP/MWh':>14} {'loop s':>7} "
          f"{'cold s':>7} {'func s':>7} {'1 wkr s':>7} {'2 wkr s':>7}  "
          "objective GBP/yr (same in all)")
    for i, case in enumerate(sweep.cases):
        same = all(abs(float(runs[w][2]["total_cost_gbp_per_year"][i]) - objective[case.case_id])
                   <= 1e-6 * abs(objective[case.case_id]) for w in runs)
        print(f"{case.case_id:<9} {case.parameters[CAPEX]:>13g} {case.parameters[PRICE]:>14g} "
              f"{loop_s[case.case_id]:7.2f} {cold_s[case.case_id]:7.2f} "
              f"{func_s[case.case_id]:7.2f} "
              f"{float(runs[1][2]['seconds'][i]):7.2f} {float(runs[2][2]['seconds'][i]):7.2f}  "
              f"{objective[case.case_id]:,.0f} ({'yes' if same else 'NO'})")
    print(f"plain loop (profiles every case): {loop_wall:6.2f} s  ({loop_wall / n:.2f} s/case)")
    print(f"loop of the case function, cold:  {cold_wall:6.2f} s  ({cold_wall / n:.2f} s/case)")
    print(f"loop of the case function:        {func_wall:6.2f} s  ({func_wall / n:.2f} s/case; "
          f"each solve from the previous case's basis: {cold_wall / func_wall:.2f}x)")
    for w, (startup, wall, ds) in runs.items():
        a = ds.attrs
        print(f"sweep, {w} worker{'s' if w > 1 else ' '}:                 {wall:6.2f} s  "
              f"({wall / n:.2f} s/case) = worker imports {a['warm_up_seconds']:.2f} s + cases "
              f"{a['cases_seconds']:.2f} s + combined outputs and charts "
              f"{a['outputs_seconds']:.2f} s; cluster start {startup:.2f} s apart")
    cases = {w: ds.attrs["cases_seconds"] for w, (_, _, ds) in runs.items()}
    print(f"speed-up 1 -> 2 workers: {runs[1][1] / runs[2][1]:.2f}x whole sweep, "
          f"{cases[1] / cases[2]:.2f}x the cases alone")
    print(f"overhead per case at 1 worker against the loop of the same function: "
          f"{(runs[1][1] - func_wall) / n:+.3f} s whole sweep, "
          f"{(cases[1] - func_wall) / n:+.3f} s the cases alone (dispatch and writing "
          "each case's results)")


if __name__ == "__main__":
    main()
