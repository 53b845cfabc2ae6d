"""Pathway results: a Dataset with a ``period`` dim, its tables and summary, atomic writes,
and the ``energy-model pathway`` command."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyomo.environ as pyo
import xarray as xr

from energy_model.components.targets import settle_grid_charge
from energy_model.limits import pathway_limits
from energy_model.outputs import write_folder
from energy_model.pathway.model import PathwayModel, period_dataset, spend_gbp
from energy_model.pathway.solve import PathwaySolution
from energy_model.results import add_limits, limit_lines, provenance, write_run_record
from energy_model.scenario import stored_scenario

# Per-period figures taken from each period's own results (see energy_model.results).
PERIOD_FIGURES = (
    ("renewable_generation_all_mwh_per_year", "MWh/yr",
     "renewable electricity plus renewable heat"),
    ("renewable_electricity_mwh_per_year", "MWh/yr",
     "PV, wind and the biogenic share of waste's electricity, less battery losses"),
    ("renewable_heat_mwh_per_year", "MWh/yr",
     "geothermal, heat pumps' ambient heat, biogenic waste heat, less store losses"),
    ("renewable_share_of_electricity", "1", "local renewable electricity over demand"),
    ("renewable_share_of_final_energy", "1", "local renewables over electricity plus heat"),
    ("electricity_demand_mwh_per_year", "MWh/yr", "including heat pumps"),
    ("grid_import_mwh_per_year", "MWh/yr", ""),
    ("co2_t_per_year", "t/yr", "grid import and gas"),
    ("gas_mwh_per_year", "MWh/yr", ""),
)


def pathway_dataset(pm: PathwayModel, solution: PathwaySolution) -> xr.Dataset:
    """Collect a solved pathway into a Dataset with dims period, technology, zone.

    Parameters
    ----------
    pm : PathwayModel
        Solved by :func:`energy_model.pathway.solve_pathway`.
    solution : PathwaySolution

    Returns
    -------
    xarray.Dataset
        Builds, capacities, shares, renewable generation against the milestones,
        spend, households lifted and costs per period; headline figures in ``attrs``.
    """
    m, plan = pm.model, pm.plan
    years = plan.years
    techs = list(m.K)
    zones = list(plan.scenario.zones)
    ds = xr.Dataset(coords={"period": years, "technology": techs, "zone": zones})

    def add(name, dims, data, units, description):
        values = np.asarray(data, dtype=float)
        ds[name] = (dims, np.where(np.abs(values) < 1e-9, 0.0, values))
        ds[name].attrs.update(units=units, description=description)

    blocks = [m.period[y] for y in years]
    for b in blocks:
        settle_grid_charge(b)
    first = blocks[0]
    ds["capacity_unit"] = ("technology", [first.assets[k].unit for k in techs])
    add("weight_years", ("period",), [p.weight_years for p in plan.periods], "yr",
        "years each period stands for")
    add("discount_factor", ("period",), [pm.discount[y] for y in years], "yr",
        "discounted years the period stands for (base year = 1)")
    add("build", ("period", "technology"),
        [[pyo.value(m.build[y, k]) for k in techs] for y in years], "MW or MWh",
        "capacity built in the period (MWh for battery_energy and thermal_store)")
    add("existing_capacity", ("period", "technology"),
        [[b.assets[k].existing for k in techs] for b in blocks], "MW or MWh",
        "capacity from before the plan still in service")
    add("capacity", ("period", "technology"),
        [[pyo.value(b.capacity[k]) for k in techs] for b in blocks], "MW or MWh",
        "capacity in service: existing plus the plan's builds still alive")
    for share, text in (("heat_pump_share", "buildings on heat pumps"),
                        ("heat_network_share", "buildings on the heat network"),
                        ("retrofit_share", "homes given a fabric retrofit")):
        add(share, ("period", "zone"),
            [[pyo.value(getattr(b, share)[z]) for z in zones] for b in blocks], "1", text)
    add("renewable_generation_counted_mwh_per_year", ("period",),
        [pyo.value(b.renewable_generation_mwh) for b in blocks], "MWh/yr",
        "local renewable generation the target counts")
    add("renewable_milestone_mwh_per_year", ("period",),
        [np.nan if p.renewable_milestone_mwh is None else p.renewable_milestone_mwh
         for p in plan.periods], "MWh/yr", "what the period must reach (NaN: no milestone)")
    add("renewable_milestone_shadow_price_gbp_per_mwh", ("period",),
        [abs(solution.duals.get(b.renewable_target, 0.0)) / pm.discount[y]
         if hasattr(b, "renewable_target") else 0.0 for y, b in zip(years, blocks, strict=True)],
        "GBP/MWh", "cost of the milestone's last MWh per year of the period, undiscounted")
    spend = [pyo.value(spend_gbp(pm, y)) for y in years]
    add("capex_gbp", ("period",), spend, "GBP",
        "overnight capital spent in the period (at that period's prices)")
    add("capex_gbp_per_year", ("period",),
        [s / p.weight_years for s, p in zip(spend, plan.periods, strict=True)], "GBP/yr", "")
    add("capex_budget_gbp", ("period",),
        [np.nan if p.capex_budget_gbp is None else p.capex_budget_gbp for p in plan.periods],
        "GBP", "the period's capital budget (NaN: none)")
    add("operating_cost_gbp_per_year", ("period",),
        [pyo.value(pm.operating_cost[y]) for y in years], "GBP/yr",
        "O&M, fuel and grid, undiscounted")
    add("discounted_cost_gbp", ("period",), [pyo.value(pm.period_cost[y]) for y in years],
        "GBP", "the period's operation and the annuities of what it builds, discounted")

    _add_pipes(ds, blocks, years, add)
    per_period = [period_dataset(pm, y, solution.duals) for y in years]
    for key, unit, text in PERIOD_FIGURES:
        add(key, ("period",), [d.attrs.get(key, np.nan) for d in per_period], unit, text)
    if plan.scenario.fuel_poverty is not None:
        lifted = np.array([d.attrs.get("households_lifted_out_of_fuel_poverty", 0.0)
                           for d in per_period])
        add("households_lifted", ("period",), lifted, "households",
            "fuel-poor households lifted by the plan so far (cumulative)")
        add("households_lifted_in_period", ("period",), np.diff(lifted, prepend=0.0),
            "households", "")
        add("households_lifted_milestone", ("period",),
            [np.nan if p.households_lifted_milestone is None else p.households_lifted_milestone
             for p in plan.periods], "households", "(NaN: no milestone)")
        add("fuel_poverty_rate_after", ("period",),
            [d.attrs.get("fuel_poverty_rate_after", np.nan) for d in per_period], "1", "")

    target = plan.scenario.targets.renewable_generation
    spec = plan.spec
    ds.attrs.update(
        scenario_name=plan.scenario.name,
        scenario_yaml=plan.scenario.resolved_yaml(),
        foresight=solution.foresight,
        total_cost_gbp=solution.total_cost_gbp,
        total_cost_gbp__units="GBP",
        base_year=spec.first_year,
        target_year=plan.target_year,
        discount_rate=plan.scenario.finance.discount_rate,
        step_hours=pm.inputs[years[0]].step_hours,
        n_steps=pm.inputs[years[0]].n_steps,
        solve_seconds=solution.solve_seconds,
        **provenance(plan.scenario),
    )
    ds = add_limits(ds, pathway_limits(pm, solution))
    if target is not None:
        ds.attrs["renewable_target_mwh_per_year"] = target.target_mwh_per_year
        ds.attrs["renewable_baseline_mwh_per_year"] = target.baseline_mwh
        ds.attrs["renewable_baseline_year"] = (spec.baseline_year if spec.baseline_year
                                               is not None else spec.first_year)
    return ds


def _add_pipes(ds: xr.Dataset, blocks: list, years: list[int], add) -> None:
    """Per period and pipe: capacity in service [MW]; each pipe's ends (for the maps)."""
    network = getattr(blocks[0], "layout", None)
    network = getattr(network, "network", None)
    if network is None or not network.pipes or not hasattr(blocks[0], "pipe_new_capacity"):
        return
    pipes = list(network.pipes)
    ds.coords["pipe"] = pipes
    existing = np.array([network.pipes[p].existing_capacity_mw for p in pipes])
    add("pipe_existing_capacity_mw", ("pipe",), existing, "MW", "")
    add("pipe_capacity_mw", ("period", "pipe"),
        [existing + np.array([pyo.value(b.pipe_new_capacity[p]) for p in pipes])
         for b in blocks], "MW", "capacity in service in the period: existing plus new")
    ds["pipe_start"] = ("pipe", [network.pipes[p].start for p in pipes])
    ds["pipe_end"] = ("pipe", [network.pipes[p].end for p in pipes])


def planned_trajectory(ds: xr.Dataset) -> dict[int, float]:
    """Planned renewable generation counted by year [MWh/yr], one entry per period."""
    values = ds["renewable_generation_counted_mwh_per_year"].to_numpy()
    return {int(y): float(v) for y, v in zip(ds["period"].to_numpy(), values, strict=True)}


def period_table(ds: xr.Dataset) -> pd.DataFrame:
    """One row per period: the figures of the Dataset with a ``period`` dim only."""
    columns = {name: ds[name].to_numpy() for name in ds.data_vars
               if ds[name].dims == ("period",)}
    return pd.DataFrame(columns, index=pd.Index(ds["period"].to_numpy(), name="period"))


def build_table(ds: xr.Dataset) -> pd.DataFrame:
    """Builds and capacities as a tidy table: period, technology, unit, build, capacity."""
    rows = []
    for y in ds["period"].to_numpy():
        for k in ds["technology"].to_numpy():
            rows.append((int(y), str(k), str(ds["capacity_unit"].sel(technology=k).item()),
                         float(ds["build"].sel(period=y, technology=k)),
                         float(ds["capacity"].sel(period=y, technology=k))))
    return pd.DataFrame(rows, columns=["period", "technology", "unit", "build", "capacity"])


def format_pathway(ds: xr.Dataset) -> str:
    """A text summary: builds per period, generation against milestones, spend, lifts
    (figures below the build thresholds of :mod:`energy_model.built` as nothing)."""
    from energy_model.built import as_built

    ds = as_built(ds)
    a = ds.attrs
    years = [int(y) for y in ds["period"].to_numpy()]
    lines = [f"Pathway {a['scenario_name']} ({a['foresight']} foresight): periods "
             f"{', '.join(map(str, years))}; {a['n_steps']} steps of {a['step_hours']:g} h "
             "per period", "", "Built per period (MW, MWh for stores):"]
    built = ds["build"]
    shown = [k for k in ds["technology"].to_numpy() if float(built.sel(technology=k).sum()) > 0]
    lines.append(f"  {'technology':<22}" + "".join(f"{y:>9}" for y in years))
    for k in shown:
        lines.append(f"  {k:<22}" + "".join(f"{float(built.sel(period=y, technology=k)):9.1f}"
                                            for y in years))
    if not shown:
        lines.append("  nothing")
    lines += ["", f"  {'':<22}" + "".join(f"{y:>9}" for y in years)]

    def row(label: str, values, fmt: str) -> None:
        lines.append(f"  {label:<22}" + "".join(
            f"{'-':>9}" if v != v else format(v, fmt).rjust(9) for v in values))

    row("renewables [GWh/yr]", ds["renewable_generation_counted_mwh_per_year"] / 1e3, ".1f")
    row("milestone [GWh/yr]", ds["renewable_milestone_mwh_per_year"].to_numpy() / 1e3, ".1f")
    row("renewable share el.", ds["renewable_share_of_electricity"].to_numpy() * 100, ".1f")
    row("spend [GBP m]", ds["capex_gbp"].to_numpy() / 1e6, ".1f")
    if "households_lifted" in ds:
        row("households lifted", ds["households_lifted"].to_numpy(), ",.0f")
    row("CO2 [kt/yr]", ds["co2_t_per_year"].to_numpy() / 1e3, ".1f")
    row("operation [GBP m/yr]", ds["operating_cost_gbp_per_year"].to_numpy() / 1e6, ".1f")
    lines += ["", f"Total cost, discounted to {a['base_year']}: GBP "
              f"{a['total_cost_gbp'] / 1e6:,.1f} m (discount rate {a['discount_rate']:.1%})"]
    lines += ["", "What limits this plan: " + str(a.get("limits_sentence", ""))]
    lines += limit_lines(ds)
    return "\n".join(lines)



def zone_changes(ds: xr.Dataset) -> pd.DataFrame:
    """Where the pathway acts, per period and zone: homes newly on the network, on heat
    pumps and retrofitted (whole homes; fewer than the build threshold is none)."""
    from energy_model.built import BUILT_HOMES, as_built, whole_households

    ds = as_built(ds)
    zones = stored_scenario(ds).zones
    homes = np.array([float(zones[str(z)].households) for z in ds["zone"].to_numpy()])
    rows = []
    for share, what in (("heat_network_share", "homes joining the heat network"),
                        ("heat_pump_share", "homes getting a heat pump"),
                        ("retrofit_share", "homes retrofitted")):
        if share not in ds:
            continue
        level = ds[share].to_numpy() * homes
        added = np.diff(level, axis=0, prepend=level[:1] * 0.0)
        for i, year in enumerate(ds["period"].to_numpy()):
            for j, zone in enumerate(ds["zone"].to_numpy()):
                count = whole_households(max(added[i, j], 0.0))
                if count >= BUILT_HOMES:
                    rows.append((int(year), str(zone), what, int(count)))
    return pd.DataFrame(rows, columns=["year", "zone", "change", "homes"])


def network_periods_writer(ds: xr.Dataset, network) -> dict:
    """``{"network_map.png": writer}``: a map per period, when the pathway has pipes."""
    if network is None or "pipe" not in ds.dims:
        return {}
    import networks as nw
    from energy_model.built import as_built

    shown = as_built(ds)
    pipes = [str(p) for p in shown["pipe"].to_numpy()]
    capacity = {int(y): dict(zip(pipes, shown["pipe_capacity_mw"].sel(period=y).to_numpy()
                                 .tolist(), strict=True))
                for y in shown["period"].to_numpy()}
    notes: dict[int, dict[str, list[str]]] = {}
    short = {"homes joining the heat network": "on network", "homes getting a heat pump":
             "heat pumps", "homes retrofitted": "retrofits"}
    for r in zone_changes(ds).itertuples():
        if r.change != "homes joining the heat network":
            continue  # heat pumps and retrofits are in the report's table, not on the map
        notes.setdefault(r.year, {}).setdefault(r.zone, []).append(
            f"+{r.homes:,} {short[r.change]}")
    text = {y: {z: "\n".join(v) for z, v in by.items()} for y, by in notes.items()}
    title = f"Heat network by period, {ds.attrs.get('scenario_name', '')}"
    return {"network_map.png": lambda path: nw.plot_network_periods(
        network, path, capacity, text, title=title)}


def write_pathway(ds: xr.Dataset, out_dir: str | Path, force: bool = False,
                  network=None) -> Path:
    """Write ``results.nc``, ``pathway.csv``, ``builds.csv``, ``summary.txt``,
    ``scenario.yaml`` and ``run.json`` atomically (a temporary folder, then a rename).

    Parameters
    ----------
    ds : xarray.Dataset
        From :func:`pathway_dataset`.
    out_dir : str or Path
    force : bool
        Replace an existing folder; without it an existing folder is an error.
    network : HeatNetwork, optional
        The pathway's heat network: adds ``network_map.png``, a map per period.

    Returns
    -------
    Path
    """

    def write(tmp: Path) -> None:
        ds.to_netcdf(tmp / "results.nc")
        period_table(ds).to_csv(tmp / "pathway.csv")
        build_table(ds).to_csv(tmp / "builds.csv", index=False)
        (tmp / "summary.txt").write_text(format_pathway(ds) + "\n", encoding="utf-8")
        write_run_record(tmp, ds.attrs)
        for name, extra in network_periods_writer(ds, network).items():
            extra(tmp / name)

    return write_folder(out_dir, write, force)


def run_pathway(scenario_path: str, myopic: bool = False, resolution_h: int | None = None,
                out: str | None = None, force: bool = False,
                time_limit_s: float | None = None) -> tuple[Path, xr.Dataset]:
    """Load, plan, build, solve and write a pathway scenario.

    Returns
    -------
    (Path, xarray.Dataset)
        The results folder and the pathway Dataset.
    """
    from energy_model.pathway.model import build_pathway
    from energy_model.pathway.solve import solve_pathway
    from energy_model.pathway.spec import pathway_plan
    from energy_model.pipeline import load_for_run, output_folder

    scenario = load_for_run(scenario_path, resolution_h)
    out_dir = Path(out) if out else Path("results") / (scenario.name
                                                       + ("-myopic" if myopic else ""))
    with output_folder(out_dir, force):
        plan = pathway_plan(scenario)
        _say(f"Pathway {scenario.name}: periods {plan.years}, resolution "
             f"{scenario.time.resolution_h} h, {'myopic' if myopic else 'perfect'} foresight")
        start = time.perf_counter()
        pm = build_pathway(plan)
        _say(f"Built in {time.perf_counter() - start:.1f} s "
             f"({pm.model.nvariables():,} variables); solving with HiGHS...")
        solution = solve_pathway(pm, myopic=myopic, time_limit_s=time_limit_s)
        _say(f"Solved in {solution.solve_seconds:.1f} s")
        ds = pathway_dataset(pm, solution)
        layout = getattr(pm.model.period[plan.years[0]], "layout", None)
        path = write_pathway(ds, out_dir, force=force,
                             network=getattr(layout, "network", None))
    return path, ds


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)
