"""An electricity-only city built and solved by this project and by PyPSA + HiGHS, side by side.

Run: ``pip install -e ".[bench]" && python benchmarks/bench_pypsa.py [--cases 744:1 8760:3]``.

The case: ground PV, wind and a battery (power and energy sized apart) on one bus with the
grid, an electricity demand and a renewable target that binds (30 % of the demand from
local PV and wind). Technology costs come from ``scenarios/technologies-2030.yaml``; the
weather is the built-in Stoke year. The import price (40 GBP/MWh), the potentials and
the target are assumptions of this benchmark only (L), chosen so that wind pays for itself
and the target needs PV that does not: at the retail price of the Stoke default every
renewable potential pays for itself and no target binds.

Both sides get the same hourly profiles, computed once and not timed. Timed, each in its
own process (so that each peak memory is its own): build (this project: the Pyomo model;
PyPSA: the network and its linopy model), solve (the hand-over to HiGHS and HiGHS), and
reading the results back (this project: its results Dataset; PyPSA: the solution written
into the network). PyPSA is solved twice: with HiGHS's defaults (as PyPSA users run it)
and with the options this project chooses for the LP. Objectives are checked to agree.
Each case is run ``--repeat`` times and the fastest run kept (the machine is shared).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

SETUP = r"""
import json, resource, sys, time
import numpy as np
import yaml
from energy_model.inputs import prepare_inputs
from energy_model.scenario import builtin_scenario_dir, deep_merge, scenario_from_dict

hours, res = int(sys.argv[1]), int(sys.argv[2])
tech = yaml.safe_load((builtin_scenario_dir() / "technologies-2030.yaml").read_text())
demand_mwh = 500_000.0
case = {
    "name": "electricity-only",
    "weather": {"source": "builtin:stoke", "year": 2030},
    "time": {"resolution_h": res, "horizon_hours": hours},
    "grid": {"import_price_gbp_per_mwh": 40.0, "import_limit_mw": 500.0,
             "export_limit_mw": 500.0},
    "zones": {"city": {"households": 0, "domestic_electricity_mwh_per_year": demand_mwh,
                       "domestic_heat_mwh_per_year": 0}},
    "technologies": {"ground_pv": {"potential_mw": 600.0}, "wind": {"potential_mw": 30.0},
                     "battery": {}},
    "targets": {"renewable_generation": {"baseline_mwh_per_year": demand_mwh,
                                         "multiplier": 0.3, "counts": ["ground_pv", "wind"]}},
}
data = deep_merge({"finance": tech["finance"], "technologies": {
    k: v for k, v in tech["technologies"].items() if k in case["technologies"]}}, case)
s = scenario_from_dict(data, "bench_pypsa")
inputs = prepare_inputs(s)
"""

PROJECT = SETUP + r"""
from energy_model.build import build_model
from energy_model.results import results_dataset
from energy_model.solve import solve_model
t0 = time.perf_counter()
m = build_model(s, inputs)
t1 = time.perf_counter()
sol = solve_model(m)
t2 = time.perf_counter()
ds = results_dataset(m, s, inputs, sol)
t3 = time.perf_counter()
print(json.dumps(dict(build_s=t1 - t0, solve_s=t2 - t1, results_s=t3 - t2, total_s=t3 - t0,
                      objective=sol.objective_gbp_per_year,
                      target_price=ds.attrs.get("renewable_target_shadow_price_gbp_per_mwh"),
                      peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)))
"""

PYPSA = SETUP + r"""
import logging
import pandas as pd
import pypsa
from energy_model.build import build_model
from energy_model.components.capacity import annuity_factor
from energy_model.solve import algorithm_for

logging.disable(logging.WARNING)
options = {"output_flag": False}
if sys.argv[3] == "project-options":
    options.update(algorithm_for(build_model(s, inputs)))
t = s.technologies
r = s.finance.discount_rate


def annual(capex_gbp_per_kw, lifetime, fixed_om):
    return 1000.0 * capex_gbp_per_kw * (annuity_factor(r, lifetime) + fixed_om)


t0 = time.perf_counter()
n = pypsa.Network()
n.set_snapshots(pd.DatetimeIndex(inputs.time.tz_convert(None)))
weight = np.asarray(inputs.step_weight_h, float)
n.snapshot_weightings["objective"] = weight
n.snapshot_weightings["generators"] = weight
n.snapshot_weightings["stores"] = inputs.step_hours
n.add("Bus", "city")
n.add("Bus", "battery")
n.add("Load", "demand", bus="city", p_set=sum(inputs.electricity_demand_mw.values()))
for g in ("ground_pv", "wind"):
    spec = getattr(t, g)
    n.add("Generator", g, bus="city", p_nom_extendable=True, p_nom_max=spec.potential_mw,
          p_max_pu=inputs.capacity_factor[g],
          capital_cost=annual(spec.capex_gbp_per_kw, spec.lifetime_years,
                              spec.fixed_om_fraction_per_year),
          marginal_cost=spec.variable_om_gbp_per_mwh)
n.add("Generator", "import", bus="city", p_nom=s.grid.import_limit_mw,
      marginal_cost=inputs.import_price_gbp_per_mwh)
n.add("Generator", "export", bus="city", p_nom=s.grid.export_limit_mw, p_min_pu=-1.0,
      p_max_pu=0.0, marginal_cost=inputs.export_price_gbp_per_mwh)
b = t.battery
n.add("Store", "battery", bus="battery", e_nom_extendable=True, e_cyclic=True,
      capital_cost=annual(b.energy_capex_gbp_per_kwh, b.energy_lifetime_years,
                          b.fixed_om_fraction_per_year))
n.add("Link", "charge", bus0="city", bus1="battery", efficiency=b.charge_efficiency,
      p_nom_extendable=True, capital_cost=annual(b.power_capex_gbp_per_kw,
                                                 b.power_lifetime_years,
                                                 b.fixed_om_fraction_per_year))
n.add("Link", "discharge", bus0="battery", bus1="city", efficiency=b.discharge_efficiency,
      p_nom_extendable=True)
target = s.targets.renewable_generation.target_mwh_per_year
lm = n.optimize.create_model(include_objective_constant=False)
p = lm.variables["Generator-p"].sel(name=["ground_pv", "wind"])
w = pd.Series(weight, index=n.snapshots).rename_axis("snapshot").to_xarray()
lm.add_constraints((p * w).sum() >= target, name="renewable_target")
p_nom = lm.variables["Link-p_nom"]
# one power rating: discharge output D <= P, charge input C <= P (a link limits its input)
lm.add_constraints(p_nom.sel(name="discharge") * b.discharge_efficiency
                   - p_nom.sel(name="charge") == 0, name="battery_power")
t1 = time.perf_counter()
status, condition = n.optimize.solve_model(solver_name="highs", solver_options=options)
t2 = time.perf_counter()
assert status == "ok", condition
result = dict(battery_mwh=float(n.stores.e_nom_opt["battery"]),
              pv_mw=float(n.generators.p_nom_opt["ground_pv"]))
t3 = time.perf_counter()
print(json.dumps(dict(build_s=t1 - t0, solve_s=t2 - t1, results_s=t3 - t2, total_s=t3 - t0,
                      objective=float(n.objective),
                      peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)))
"""


def run(code: str, *args: str) -> dict:
    """Run one case in its own process; its last printed line, as a dict."""
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"case {args} failed:\n{out.stderr.strip()}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def fastest(code: str, repeat: int, *args: str) -> dict:
    """The run with the smallest total time out of ``repeat``."""
    return min((run(code, *args) for _ in range(repeat)), key=lambda r: r["total_s"])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cases", nargs="+", default=["744:1", "8760:3"],
                   help="horizon_hours:resolution_h")
    p.add_argument("--repeat", type=int, default=2)
    args = p.parse_args()
    print(f"{'case':<8} {'who':<22} {'build':>7} {'solve':>7} {'results':>7} {'total':>7} "
          f"{'peak MB':>8} {'vs project':>10}  objective GBP/yr")
    for case in args.cases:
        hours, res = case.split(":")
        rows = {"energy-model": fastest(PROJECT, args.repeat, hours, res),
                "pypsa (HiGHS default)": fastest(PYPSA, args.repeat, hours, res, "default"),
                "pypsa (project options)": fastest(PYPSA, args.repeat, hours, res,
                                                   "project-options")}
        ours = rows["energy-model"]
        for who, r in rows.items():
            gap = abs(r["objective"] - ours["objective"]) / abs(ours["objective"])
            print(f"{case:<8} {who:<22} {r['build_s']:>6.2f}s {r['solve_s']:>6.2f}s "
                  f"{r['results_s']:>6.2f}s {r['total_s']:>6.2f}s {r['peak_mb']:>8.0f} "
                  f"{r['total_s'] / ours['total_s']:>9.2f}x  {r['objective']:,.0f}"
                  f" (differs by {gap:.1e})", flush=True)


if __name__ == "__main__":
    main()
