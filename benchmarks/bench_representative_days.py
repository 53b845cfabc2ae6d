"""Representative days against the full year: time, total cost and capacities.

Run: ``python benchmarks/bench_representative_days.py [--resolution 3] [--days 8 16 32]``.
The reference is the whole year at the same resolution. One line per case, with the
relative cost error and the largest capacity error (over technologies with at least 1 MW
or MWh in the reference).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from energy_model.analysis import solve_scenario
from energy_model.inputs import aggregate, hourly_profiles, load_weather
from energy_model.scenario import load_scenario


def run(scenario, hourly):
    t0 = time.perf_counter()
    inputs = aggregate(hourly, scenario)
    ds = solve_scenario(scenario, inputs)
    return ds, time.perf_counter() - t0


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scenario", default="stoke-2030")
    p.add_argument("--resolution", type=int, default=3)
    p.add_argument("--days", type=int, nargs="+", default=[8, 16, 32])
    args = p.parse_args()
    base = load_scenario(args.scenario).with_updates({"time.resolution_h": args.resolution})
    hourly = hourly_profiles(base, load_weather(base))
    ref, ref_s = run(base, hourly)
    ref_cost = ref.attrs["total_cost_gbp_per_year"]
    ref_cap = ref["capacity"].to_numpy()
    big = ref_cap >= 1.0
    print(f"{'case':<22} {'steps':>6} {'total s':>8} {'cost GBP/yr':>15} {'cost err':>9} "
          f"{'max cap err':>11}  worst technology")
    print(f"{'full year':<22} {ref.sizes['time']:>6} {ref_s:>8.1f} {ref_cost:>15,.0f}")
    for n in args.days:
        s = base.with_updates({"time.representative_days": n})
        ds, secs = run(s, hourly)
        cost = ds.attrs["total_cost_gbp_per_year"]
        cap = ds["capacity"].to_numpy()
        err = np.where(big, np.abs(cap - ref_cap) / np.where(big, ref_cap, 1.0), 0.0)
        worst = str(ds["technology"].to_numpy()[int(err.argmax())])
        print(f"{f'{n} typical days':<22} {ds.sizes['time']:>6} {secs:>8.1f} {cost:>15,.0f} "
              f"{(cost - ref_cost) / ref_cost:>9.2%} {err.max():>11.2%}  {worst}", flush=True)
        names = ds["technology"].to_numpy()
        print("    capacity errors: " + ", ".join(
            f"{k} {e:+.1%}" for k, e, b in zip(names, (cap - ref_cap) / np.where(big, ref_cap, 1),
                                               big, strict=True) if b), flush=True)


if __name__ == "__main__":
    main()
