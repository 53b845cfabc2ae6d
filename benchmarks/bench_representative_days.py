"""Representative days against the full year: time, total cost, capacities, and the cost of
building the typical-day plan in the real year.

Run: ``python benchmarks/bench_representative_days.py [--resolution 1] [--days 16 32 48]``.
The reference is the whole year at the same resolution. One line per case, with the
relative cost error and the largest capacity error (over technologies with at least 1 MW
or MWh in the reference), then every capacity error, then:

* ``regret``: the typical-day design (capacities, pipes, heating shares, retrofits) fixed
  in the full-year model and operated there, against the full-year optimum. A large
  capacity error with a small regret means the optimum is flat in that direction. The
  full-year model is elastic: where the design cannot meet demand or a target, ``unmet``
  says by how much (MWh/yr of heat or electricity, or units of the target), and the
  penalty is left out of the regret (so the energy left unmet costs nothing there, and
  the regret is a lower bound); ``operate s`` is that solve's time, and the elastic
  model's build, done once, is printed under the full year: with the typical days' own
  time, these are what a two-stage plan (design on typical days, operate the year) takes;
* the representation error of the typical days (annual, peak, RMS in calendar order and
  RMS sorted, in %) for the profiles that drive the plan.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pyomo.environ as pyo

from energy_model.analysis import operate_design
from energy_model.build import build_model
from energy_model.inputs import aggregate, hourly_profiles, load_weather
from energy_model.scenario import load_scenario
from energy_model.solve import design_of, solve_model


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scenario", default="stoke-2030")
    p.add_argument("--resolution", type=int, default=3)
    p.add_argument("--days", type=int, nargs="+", default=[16, 32, 48])
    p.add_argument("--no-regret", action="store_true", help="skip the full-year re-solves")
    args = p.parse_args()
    base = load_scenario(args.scenario).with_updates({"time.resolution_h": args.resolution})
    hourly = hourly_profiles(base, load_weather(base))
    t0 = time.perf_counter()
    ref_inputs = aggregate(hourly, base)
    ref_model = build_model(base, ref_inputs)
    ref_cost = solve_model(ref_model).objective_gbp_per_year
    ref_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    elastic = None if args.no_regret else build_model(base, ref_inputs, elastic=True)
    elastic_s = time.perf_counter() - t0
    names = list(ref_model.capacity)
    ref_cap = np.array([pyo.value(ref_model.capacity[k]) for k in names])
    big = ref_cap >= 1.0
    print(f"{'case':<22} {'steps':>6} {'total s':>8} {'cost GBP/yr':>15} {'cost err':>9} "
          f"{'max cap err':>11} {'regret':>8} {'unmet':>8} {'operate s':>9}  worst technology")
    print(f"{'full year':<22} {len(ref_model.T):>6} {ref_s:>8.1f} {ref_cost:>15,.0f}",
          flush=True)
    if elastic is not None:
        print(f"(the full year's elastic model, built once for the regrets: {elastic_s:.1f} s)")
    for n in args.days:
        s = base.with_updates({"time.representative_days": n})
        t0 = time.perf_counter()
        inputs = aggregate(hourly, s)
        m = build_model(s, inputs)
        cost = solve_model(m).objective_gbp_per_year
        secs = time.perf_counter() - t0
        cap = np.array([pyo.value(m.capacity[k]) for k in names])
        err = np.where(big, (cap - ref_cap) / np.where(big, ref_cap, 1.0), 0.0)
        worst = names[int(np.abs(err).argmax())]
        regret, unmet, operate_s = np.nan, np.nan, np.nan
        if elastic is not None:
            t0 = time.perf_counter()
            operating_cost, unmet = operate_design(elastic, design_of(m))
            operate_s = time.perf_counter() - t0
            regret = (operating_cost - ref_cost) / ref_cost
        print(f"{f'{n} typical days':<22} {len(m.T):>6} {secs:>8.1f} {cost:>15,.0f} "
              f"{(cost - ref_cost) / ref_cost:>9.2%} {np.abs(err).max():>11.2%} "
              f"{regret:>8.3%} {unmet:>8,.0f} {operate_s:>9.1f}  {worst}", flush=True)
        print("    capacity errors: " + ", ".join(
            f"{k} {e:+.1%}" for k, e, b in zip(names, err, big, strict=True) if b))
        print("    typical days against the year [%]: " + "; ".join(
            f"{name} " + " ".join(f"{v:+.1f}" for v in row)
            for name, row in inputs.representation_error.iterrows()), flush=True)


if __name__ == "__main__":
    main()
