"""Combine a sweep's cases into one Dataset, tables and charts.

One entry per case along the ``case`` dimension, with one coordinate per swept parameter
(named by its key path), the headline figures of each case with their units, the
capacities after the plan, the status and reason, and whether the case meets the
targets of the base scenario. :func:`unstack_grid` turns a full grid into one dimension
per parameter.
"""

from __future__ import annotations

import json
from numbers import Number
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from energy_model import technologies as registry
from energy_model.outputs import local_file_locks, write_atomic
from energy_model.sweep.case import STATUS_OK
from energy_model.sweep.spec import Sweep, parameter_label

# The figures the table of cheapest cases shows: name, heading, scale to the heading's unit.
CHEAPEST_COLUMNS = (
    ("total_cost_gbp_per_year", "cost [GBP m/yr]", 1e-6),
    ("renewable_generation_counted_mwh_per_year", "renewables [GWh/yr]", 1e-3),
    ("grid_import_mwh_per_year", "import [GWh/yr]", 1e-3),
    ("co2_t_per_year", "CO2 [kt/yr]", 1e-3),
)
CHEAPEST_CAPACITIES = registry.technologies(level="city", storage=True)
# Relative slack when checking a solved case against a target the solver met exactly.
TARGET_RTOL = 1e-6


def _coordinate(values: list[Any]) -> np.ndarray:
    """Numbers as floats (None as NaN), anything else as text."""
    if all(v is None or (isinstance(v, Number) and not isinstance(v, bool)) for v in values):
        return np.array([np.nan if v is None else float(v) for v in values])
    if all(isinstance(v, bool) for v in values):
        return np.array(values, dtype=bool)
    return np.array([json.dumps(v) if isinstance(v, list | dict) else str(v) for v in values])


def full_year(record: dict[str, Any]) -> bool:
    """Whether a case covered the whole year (a short horizon is scaled up to a year)."""
    weight = (record.get("horizon") or {}).get("year_weight", 1.0)
    return abs(float(weight) - 1.0) < 1e-6


def meets_targets(record: dict[str, Any], sweep: Sweep) -> bool:
    """Whether a solved case meets every target of the base scenario (with ``fixed``)
    that its run can judge.

    The base's targets are the city's commitments, so a case that lowers a target is
    judged against the base's, not its own. The annual targets (renewable generation,
    CO2) are judged only on a case that covers the whole year: a week scaled up to a
    year says nothing about them, and :func:`sweep_warnings` says so.
    """
    if record.get("status") != STATUS_OK:
        return False
    f = record["figures"]
    targets = sweep.base.targets
    ok = True
    if targets.capex_budget_gbp is not None:
        ok &= f["capex_gbp"] <= targets.capex_budget_gbp * (1 + TARGET_RTOL)
    if not full_year(record):
        return bool(ok)
    if targets.renewable_generation is not None:
        goal = targets.renewable_generation.target_mwh_per_year
        ok &= f["renewable_generation_counted_mwh_per_year"] >= goal * (1 - TARGET_RTOL)
    if targets.co2_cap_t_per_year is not None:
        ok &= f["co2_t_per_year"] <= targets.co2_cap_t_per_year * (1 + TARGET_RTOL)
    return bool(ok)


def sweep_warnings(ds: xr.Dataset) -> list[str]:
    """What a reader of the sweep's table and charts must know: annual targets not
    judged on short runs, storage understated at coarse steps or sized on typical days."""
    out = []
    solved = ds["status"].to_numpy() == STATUS_OK
    if "year_weight" in ds and solved.any():
        weight = ds["year_weight"].to_numpy()[solved]
        short = np.abs(weight - 1.0) > 1e-6
        if short.any():
            days = 365.0 / np.nanmax(weight)
            out.append(f"{int(short.sum())} of {int(solved.sum())} solved cases ran on about "
                       f"{days:.0f} days scaled up to a year: the annual targets (renewable "
                       "generation, CO2) cannot be judged on them, so 'meets every target' "
                       "checks only what such a run can (the capital budget). Run the full "
                       "year (drop `fixed: time.*`) to judge them.")
    if "step_hours" in ds and solved.any():
        coarse = np.nanmax(ds["step_hours"].to_numpy()[solved])
        if coarse > 3:
            out.append(f"Cases ran at steps of up to {coarse:g} h: the swings within a day "
                       "that batteries and stores earn from are averaged out, so storage "
                       "sizes are understated. Rerun at 1 h or 3 h before quoting them.")
    if "typical_days" in ds and bool(ds["typical_days"].to_numpy()[solved].any()):
        out.append("Cases ran on typical days: storage and peak plant sized on typical days "
                   "can differ from a full-year run by tens of per cent at almost the same "
                   "cost; confirm the chosen case with a full-year run.")
    return out


def combine_cases(sweep: Sweep, records: list[dict[str, Any] | None]) -> xr.Dataset:
    """Key results of every case along a ``case`` dimension.

    Parameters
    ----------
    sweep : Sweep
    records : list of dict or None
        The ``case.json`` record of each case of ``sweep``, in order (None: not run).

    Returns
    -------
    xarray.Dataset
        Coordinates ``case`` and one per swept parameter; variables ``status``,
        ``reason``, ``seconds``, ``meets_targets``, one per headline figure (NaN where
        the case was not solved) and ``capacity`` over ``technology``.
    """
    records = [r or {"case": c.case_id, "status": "not run", "reason": "", "seconds": np.nan}
               for r, c in zip(records, sweep.cases, strict=True)]
    ids = [c.case_id for c in sweep.cases]
    ds = xr.Dataset(coords={"case": ids})
    for path in sweep.parameters:
        ds = ds.assign_coords({path: ("case", _coordinate(
            [c.parameters.get(path) for c in sweep.cases]))})
        ds[path].attrs["description"] = "swept parameter (scenario key path)"
    ds["status"] = ("case", np.array([r["status"] for r in records], dtype=str))
    ds["status"].attrs["description"] = "ok, infeasible, failed (or not run)"
    ds["reason"] = ("case", np.array([r.get("reason", "") for r in records], dtype=str))
    ds["seconds"] = ("case", np.array([r.get("seconds", np.nan) for r in records], dtype=float))
    ds["seconds"].attrs.update(units="s", description="wall time of the case on its worker")
    ds["meets_targets"] = ("case", np.array([meets_targets(r, sweep) for r in records]))
    ds["meets_targets"].attrs["description"] = ("solved and meets every target of the base "
                                                "its run can judge (annual targets only on "
                                                "full-year runs)")
    horizons = [r.get("horizon") or {} for r in records]
    for name, default in (("year_weight", np.nan), ("step_hours", np.nan)):
        ds[name] = ("case", np.array([h.get(name, default) for h in horizons], dtype=float))
    ds["year_weight"].attrs["description"] = "the year over the run's horizon (1: full year)"
    ds["typical_days"] = ("case", np.array([bool(h.get("typical_days", False))
                                            for h in horizons]))

    units: dict[str, str] = {}
    for r in records:
        units.update(r.get("units", {}))
    for name, unit in units.items():
        ds[name] = ("case", np.array([r.get("figures", {}).get(name, np.nan)
                                      for r in records], dtype=float))
        ds[name].attrs["units"] = unit
    techs: dict[str, str] = {}
    for r in records:
        techs.update(r.get("capacity_unit", {}))
    if techs:
        ds = ds.assign_coords(technology=list(techs))
        ds["capacity"] = (("case", "technology"), np.array(
            [[r.get("capacity", {}).get(t, np.nan) for t in techs] for r in records],
            dtype=float))
        ds["capacity"].attrs.update(units="MW or MWh", description="capacity after the plan")
        ds["capacity_unit"] = ("technology", np.array(list(techs.values()), dtype=str))
    ds.attrs.update(
        sweep_name=sweep.name, sweep_source=sweep.source, sweep_kind=sweep.spec.kind,
        base_scenario=sweep.base.name, parameters=json.dumps(sweep.parameters),
        fixed=json.dumps(sweep.spec.fixed, default=str),
    )
    target = sweep.base.targets.renewable_generation
    if target is not None:
        ds.attrs["base_renewable_target_mwh_per_year"] = target.target_mwh_per_year
    return ds


def parameters_of(ds: xr.Dataset) -> list[str]:
    """The swept parameters of a combined sweep Dataset."""
    return list(json.loads(ds.attrs["parameters"]))


def unstack_grid(ds: xr.Dataset) -> xr.Dataset:
    """A full grid's ``case`` dimension as one dimension per swept parameter."""
    params = parameters_of(ds)
    return ds.set_index(case=params).unstack("case")


def sweep_table(ds: xr.Dataset) -> pd.DataFrame:
    """One row per case: parameters, status, figures and capacities (units in the names)."""
    table = pd.DataFrame({"case": ds["case"].to_numpy()})
    for p in parameters_of(ds):
        table[p] = ds[p].to_numpy()
    for name in ("status", "meets_targets", "seconds"):
        table[name] = ds[name].to_numpy()
    for name, var in ds.data_vars.items():
        if var.dims == ("case",) and name not in table and name != "reason":
            table[name] = var.to_numpy()
    if "capacity" in ds:
        for t, unit in zip(ds["technology"].to_numpy(), ds["capacity_unit"].to_numpy(),
                           strict=True):
            table[f"capacity_{str(unit).lower()}/{t}"] = ds["capacity"].sel(technology=t)
    # one line per case: the reason's own lines joined
    table["reason"] = [" | ".join(str(r).splitlines()) for r in ds["reason"].to_numpy()]
    return table


def cheapest_cases(ds: xr.Dataset, n: int = 10) -> pd.DataFrame:
    """The ``n`` cheapest cases that meet every target, cheapest first."""
    table = sweep_table(ds)
    keep = table[table["meets_targets"].astype(bool)]
    if "total_cost_gbp_per_year" not in keep:
        return keep.iloc[:0]
    keep = keep.sort_values("total_cost_gbp_per_year").head(n)
    columns = ["case", *parameters_of(ds)]
    columns += [c for c, _, _ in CHEAPEST_COLUMNS if c in keep]
    columns += [c for c in keep.columns if c.split("/")[-1] in CHEAPEST_CAPACITIES]
    return keep[columns].reset_index(drop=True)


def format_cheapest(ds: xr.Dataset, n: int = 10) -> str:
    """The table of the cheapest cases meeting every target, as text."""
    table = cheapest_cases(ds, n)
    counts = pd.Series(ds["status"].to_numpy()).value_counts()
    head = (f"Sweep {ds.attrs['sweep_name']} on {ds.attrs['base_scenario']}: "
            f"{ds.sizes['case']} cases, "
            + ", ".join(f"{k} {v}" for k, v in counts.items())
            + f"; {int(ds['meets_targets'].sum())} meet every target their run can judge")
    notes = "".join(f"\nNote: {w}" for w in sweep_warnings(ds))
    if table.empty:
        return head + "\nNo case meets every target." + notes
    shown = pd.DataFrame({"case": table["case"]})
    for p in parameters_of(ds):
        shown[parameter_label(p)] = table[p]
    for col, heading, scale in CHEAPEST_COLUMNS:
        if col in table:
            shown[heading] = table[col] * scale
    for col in table.columns:
        if col.split("/")[-1] in CHEAPEST_CAPACITIES:
            unit = col.split("/")[0].removeprefix("capacity_").replace("mwh", "MWh").replace(
                "mw", "MW")
            shown[f"{col.split('/')[-1]} [{unit}]"] = table[col]
    text = shown.to_string(index=False, float_format=lambda x: f"{x:,.1f}")
    judged = ("every target" if not notes or "cannot be judged" not in notes
              else "every target their run can judge (see the note)")
    return f"{head}\nCheapest cases that meet {judged}:\n{text}{notes}"


def write_outputs(ds: xr.Dataset, sweep: Sweep, out_dir: Path) -> None:
    """Write ``sweep.nc``, ``sweep.csv``, ``cheapest.csv`` and ``cheapest.txt`` (the charts:
    :func:`energy_model.sweep.plots.plot_sweep`)."""
    out = Path(out_dir)
    tmp = out / ".sweep.nc.tmp"
    with local_file_locks():
        ds.to_netcdf(tmp)
    tmp.replace(out / "sweep.nc")
    write_atomic(out / "sweep.csv", sweep_table(ds).to_csv(index=False))
    write_atomic(out / "cheapest.csv", cheapest_cases(ds).to_csv(index=False))
    write_atomic(out / "cheapest.txt", format_cheapest(ds) + "\n")
