"""Uncertainty run on the Stoke default: time per sample and in all, and the warm start's gain.

Run: ``python benchmarks/bench_uncertainty.py [--samples 64] [--workers 2]
[--typical-days 32] [--compare 6] [--out DIR]``.

1. ``run_uncertainty`` on the Stoke default (its ranges, a seeded Latin hypercube of
   ``--samples``) at ``--typical-days`` typical days on a LocalCluster of ``--workers``
   processes, as ``energy-model uncertainty`` runs it: each case solved warm-started and
   the default plan re-operated under it. Prints the wall time in all, per sample, and
   the mean worker seconds per sample.
2. The warm start's gain: the first ``--compare`` samples solved one after another in
   this process with the workers' own function, cold (every LP from scratch) and warm
   (from the previous optimal basis), with the same results.
3. What the run finds: the no-regret list, the three assumptions that move the plan
   most and the default plan's worst-case regret.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np


def compare_warm_start(n: int, samples: int, typical_days: int) -> tuple[float, float, float]:
    """Seconds for ``n`` samples cold and warm in this process, and the largest relative
    difference in their total cost."""
    import energy_model.uncertainty.case as worker
    from energy_model.scenario import find_scenario, load_scenario
    from energy_model.sweep import load_sweep
    from energy_model.uncertainty.run import case_plan, default_design

    path = find_scenario("stoke-2030")
    scenario = load_scenario(path)
    fixed = {"time.representative_days": typical_days}
    design, _ = default_design(scenario.with_updates(fixed), lambda _: None)
    plan = case_plan(scenario, samples, seed=0)
    sweep = load_sweep({"name": "bench", "base": str(path.resolve()), "fixed": fixed,
                        "cases": plan["cases"][1:n + 1]})
    seconds, costs = {}, {}
    for mode in ("cold", "warm"):
        worker._elastic_warm_start = None
        import energy_model.sweep.case as sweep_case

        sweep_case._warm_start = None
        # the profiles of the first case are cached by both runs alike
        worker.uncertainty_case("prime", sweep.cases[0].scenario_data, sweep.cases[0].base_dir,
                                design=design, warm_start=mode == "warm")
        t0 = time.perf_counter()
        costs[mode] = [worker.uncertainty_case(
            c.case_id, c.scenario_data, c.base_dir, design=design,
            warm_start=mode == "warm")["figures"]["total_cost_gbp_per_year"]
            for c in sweep.cases]
        seconds[mode] = time.perf_counter() - t0
    diff = float(np.max(np.abs(np.subtract(costs["cold"], costs["warm"]))
                        / np.abs(costs["cold"])))
    return seconds["cold"], seconds["warm"], diff


def main() -> None:
    """Run the benchmark and print its figures."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--samples", type=int, default=64)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--typical-days", type=int, default=32)
    p.add_argument("--compare", type=int, default=6,
                   help="samples solved cold and warm in this process (0 to skip)")
    p.add_argument("--out", default=None, help="keep the run's folder here")
    args = p.parse_args()

    from energy_model.uncertainty.run import run_uncertainty
    from energy_model.uncertainty.summary import format_summary, moves_most

    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="bench-uncertainty-"))
    t0 = time.perf_counter()
    ds = run_uncertainty("stoke-2030", out, samples=args.samples, seed=0,
                         typical_days=args.typical_days, workers=args.workers, force=True)
    wall = time.perf_counter() - t0
    import xarray as xr

    with xr.open_dataset(out / "sweep.nc") as sweep:
        worker_s = sweep["seconds"].to_numpy()
        timings = {k: float(sweep.attrs.get(k, np.nan)) for k in (
            "warm_up_seconds", "cases_seconds", "outputs_seconds")}
    n_cases = len(worker_s)
    print(f"\nStoke default, {args.samples} samples + the default case, "
          f"{args.typical_days} typical days, {args.workers} workers")
    print(f"  total wall time {wall:.0f} s (cases {timings['cases_seconds']:.0f} s, "
          f"cluster warm-up {timings['warm_up_seconds']:.1f} s)")
    print(f"  per sample: {wall / n_cases:.1f} s of wall time; "
          f"{np.nanmean(worker_s):.1f} s on its worker (median {np.nanmedian(worker_s):.1f} s,"
          f" max {np.nanmax(worker_s):.1f} s)")
    if args.compare:
        cold, warm, diff = compare_warm_start(args.compare, args.samples, args.typical_days)
        print(f"  warm start, {args.compare} samples in one process: cold {cold:.1f} s, "
              f"warm {warm:.1f} s, speed-up x{cold / warm:.2f} "
              f"(total costs agree to {diff:.1e})")
    print()
    print(format_summary(ds))
    print("Three assumptions that move the plan most: "
          + "; ".join(f"{p} (score {s:.2f})" for p, s in moves_most(ds, 3)))
    print(f"\nResults in {out}/")


if __name__ == "__main__":
    main()
