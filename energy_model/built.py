"""Built or not built, decided once: the thresholds below which a figure is not a build.

A solver's plan holds slivers: a pipe of 3e-6 MW, 0.09 MW of a pipe nobody would lay,
1 MWh a year of network heat delivered to a town, 0.52 of a household lifted. They are
round-off or economically meaningless, and an officer reading them as builds is misled.
:func:`as_built` returns a copy of a results dataset in which every figure below its
threshold is zero (and households are whole), and every output people read (the map, the
report's tables and headline, ``summary.txt``, the pathway report and ``compare``) is drawn
from that copy. ``results.nc`` keeps the solver's values, so balances still close there.

The thresholds, one per kind of quantity:

========================  ===============  ==============================================
quantity                  threshold        rule
========================  ===============  ==============================================
power capacity            0.1 MW           plant, battery power and pipes: new capacity
                                           below it is not built (and a pipe without
                                           capacity carries no heat, has no size)
storage energy            0.1 MWh          batteries and thermal stores
homes in a zone           10 homes         a zone's share on heat pumps, on the network
                                           or retrofitted that reaches fewer homes is 0;
                                           a zone no built pipe reaches is not on the
                                           network
annual energy delivered   10 MWh/yr        less than one home's heat in a year
households lifted         whole numbers    rounded down: a part of a household is not
                                           lifted; none in a zone where nothing counts
                                           as built
capital                   its build        capital of an item not built is not shown;
                                           a pathway period spending under GBP 10,000
                                           spends nothing
========================  ===============  ==============================================
"""

from __future__ import annotations

import math

import numpy as np
import xarray as xr

from networks.graph import BUILT_MW

__all__ = ["BUILT_GBP", "BUILT_HOMES", "BUILT_MW", "BUILT_MWH", "BUILT_MWH_PER_YEAR",
           "THRESHOLDS_TEXT", "as_built", "built_value", "whole_households"]

BUILT_MWH = 0.1
"""Storage energy [MWh] below which a store is not built."""
BUILT_MWH_PER_YEAR = 10.0
"""Annual energy [MWh/yr] below which nothing is delivered (less than one home's heat)."""
BUILT_HOMES = 10
"""Homes below which a zone's share on a heating option or retrofitted is shown as 0."""
BUILT_GBP = 10_000.0
"""Capital [GBP] a pathway period spends below which it buys nothing that counts."""

THRESHOLDS_TEXT = (f"Round-off is not shown as a build: new capacity below {BUILT_MW:g} MW "
                   f"(or {BUILT_MWH:g} MWh of storage), a zone's heating option or retrofit "
                   f"reaching fewer than {BUILT_HOMES} homes, a zone no built pipe reaches, "
                   f"and network heat below {BUILT_MWH_PER_YEAR:g} MWh/yr count as nothing "
                   "built; households are "
                   "whole numbers, rounded down.")

# capital items counted in homes, not MW: the zone share that carries each
_HOMES_ITEMS = {"individual_heat_pump": "heat_pump_share",
                "heat_network": "heat_network_share", "retrofit": "retrofit_share"}


def built_value(value: float, unit: str) -> float:
    """``value`` if it counts as built in ``unit`` ("MW", "MWh", "MWh/yr", "homes"), else 0."""
    threshold = {"MW": BUILT_MW, "MWh": BUILT_MWH, "MWh/yr": BUILT_MWH_PER_YEAR,
                 "homes": BUILT_HOMES, "households": BUILT_HOMES}[unit]
    return float(value) if abs(float(value)) >= threshold else 0.0


def whole_households(value: float | np.ndarray) -> float | np.ndarray:
    """Households as whole numbers, rounded down (round-off of 1e-6 is forgiven)."""
    out = np.floor(np.asarray(value, dtype=float) + 1e-6)
    return float(out) if out.ndim == 0 else out


def _zone_households(ds: xr.Dataset) -> np.ndarray | None:
    """Households per zone from the scenario the results carry, or None."""
    from energy_model.scenario import stored_scenario

    scenario = stored_scenario(ds)
    if scenario is None or "zone" not in ds.dims:
        return None
    zones = scenario.zones
    return np.array([float(zones[str(z)].households) if str(z) in zones else 0.0
                     for z in ds["zone"].to_numpy()])


def as_built(ds: xr.Dataset) -> xr.Dataset:
    """A copy of a results dataset with every figure below its build threshold set to 0.

    Parameters
    ----------
    ds : xarray.Dataset
        From :func:`energy_model.results.results_dataset` (or a file of it).

    Returns
    -------
    xarray.Dataset
        The same variables; capacities, pipe sizes and flows, zone shares, network heat
        delivered, capital and households lifted follow the thresholds of this module.
        ``attrs["build_thresholds"]`` says them in words. Applying it twice changes nothing.
    """
    ds = ds.copy(deep=True)
    ds.attrs["build_thresholds"] = THRESHOLDS_TEXT
    if "new_capacity" in ds and "capacity_unit" in ds:
        units = ds["capacity_unit"].to_numpy().astype(str)
        limit = np.where(units == "MWh", BUILT_MWH, BUILT_MW)
        new = ds["new_capacity"].to_numpy()
        ds["new_capacity"].values = np.where(np.abs(new) < limit, 0.0, new)
        ds["capacity"].values = ds["existing_capacity"].to_numpy() + ds["new_capacity"].to_numpy()
    if "period" in ds.dims:
        _pathway(ds)
    if "pipe" in ds.dims:
        _pipes(ds)
    if "zone" in ds.dims:
        _zones(ds)
    if "capital_item" in ds.dims:
        _capital(ds)
    return ds


def _pathway(ds: xr.Dataset) -> None:
    """A pathway's builds per period, pipes in service per period, capital per period."""
    if "build" in ds and "capacity_unit" in ds:
        units = ds["capacity_unit"].to_numpy().astype(str)
        limit = np.where(units == "MWh", BUILT_MWH, BUILT_MW)
        build = ds["build"].to_numpy()
        ds["build"].values = np.where(np.abs(build) < limit, 0.0, build)
    if "pipe_capacity_mw" in ds and "period" in ds["pipe_capacity_mw"].dims:
        existing = ds["pipe_existing_capacity_mw"].to_numpy()
        capacity = ds["pipe_capacity_mw"].to_numpy()
        ds["pipe_capacity_mw"].values = np.where(capacity - existing < BUILT_MW, existing,
                                                 capacity)
    if "capex_gbp" in ds and "period" in ds["capex_gbp"].dims:
        for name in ("capex_gbp", "capex_gbp_per_year"):
            if name in ds:
                ds[name].values = np.where(ds["capex_gbp"].to_numpy() < BUILT_GBP, 0.0,
                                           ds[name].to_numpy())


def _pipes(ds: xr.Dataset) -> None:
    if "pipe_new_capacity_mw" not in ds:
        return
    new = ds["pipe_new_capacity_mw"].to_numpy()
    new = np.where(new < BUILT_MW, 0.0, new)
    ds["pipe_new_capacity_mw"].values = new
    capacity = ds["pipe_existing_capacity_mw"].to_numpy() + new
    ds["pipe_capacity_mw"].values = capacity
    empty = capacity < BUILT_MW
    if "pipe_built" in ds:
        ds["pipe_built"].values = np.where(new > 0, 1.0, 0.0)
    for name in ("pipe_heat_sent_mwh_per_year", "pipe_losses_mwh_per_year", "pipe_utilisation"):
        if name in ds:
            ds[name].values = np.where(empty, 0.0, ds[name].to_numpy())
    if "pipe_dn_mm" in ds:
        ds["pipe_dn_mm"].values = np.where(empty, np.nan, ds["pipe_dn_mm"].to_numpy())
    if "pipe_flow_mw" in ds:
        ds["pipe_flow_mw"].values = np.where(empty[:, None], 0.0, ds["pipe_flow_mw"].to_numpy())


def _zones(ds: xr.Dataset) -> None:
    households = _zone_households(ds)
    if households is not None:
        for name in ("heat_pump_share", "heat_network_share", "retrofit_share"):
            if name in ds:
                share = ds[name].to_numpy()
                ds[name].values = np.where(share * households < BUILT_HOMES, 0.0, share)
    if "heat_network_share" in ds and "pipe_new_capacity_mw" in ds and "pipe_start" in ds:
        share = ds["heat_network_share"].to_numpy()
        ds["heat_network_share"].values = np.where(_unreached_zones(ds), 0.0, share)
    if households is not None and "gas_boiler_share" in ds:
        ds["gas_boiler_share"].values = (1.0 - ds["heat_pump_share"].to_numpy()
                                         - ds["heat_network_share"].to_numpy())
    if "network_heat_delivered_mwh_per_year" in ds:
        delivered = ds["network_heat_delivered_mwh_per_year"].to_numpy()
        off = (delivered < BUILT_MWH_PER_YEAR) | (ds["heat_network_share"].to_numpy() == 0)
        ds["network_heat_delivered_mwh_per_year"].values = np.where(off, 0.0, delivered)
    if "households_lifted" in ds and ds["households_lifted"].dims == ("zone",):
        lifted = whole_households(ds["households_lifted"].to_numpy())
        # a zone where nothing counts as built (no heat pumps, network or retrofit above
        # the thresholds) lifts nobody
        measures = [ds[n].to_numpy() for n in ("heat_pump_share", "heat_network_share",
                                               "retrofit_share") if n in ds]
        if measures:
            reached = np.sum(measures, axis=0) > 0
            lifted = np.where(reached, lifted, 0.0)
            if "fuel_poor_bill_saving_gbp_per_year" in ds:
                saving = ds["fuel_poor_bill_saving_gbp_per_year"].to_numpy()
                ds["fuel_poor_bill_saving_gbp_per_year"].values = np.where(reached, saving, 0.0)
        ds["households_lifted"].values = lifted
        total = float(lifted.sum())
        if "households_lifted_out_of_fuel_poverty" in ds.attrs:
            ds.attrs["households_lifted_out_of_fuel_poverty"] = total
        if households is not None and "fuel_poor_households" in ds:
            poor = ds["fuel_poor_households"].to_numpy()
            safe = np.where(households > 0, households, 1.0)
            if "fuel_poverty_rate_after" in ds:
                ds["fuel_poverty_rate_after"].values = (poor - lifted) / safe
            if households.sum() and "fuel_poverty_rate_after" in ds.attrs:
                ds.attrs["fuel_poverty_rate_after"] = float((poor.sum() - total)
                                                            / households.sum())
    elif "households_lifted" in ds:  # a pathway's, per period
        ds["households_lifted"].values = whole_households(ds["households_lifted"].to_numpy())
    for key in ("heat_pump_homes",):
        if key in ds.attrs:
            ds.attrs[key] = whole_households(ds.attrs[key])


def _unreached_zones(ds: xr.Dataset) -> np.ndarray:
    """Per zone: True where the zone is the end of some pipe but of no built one (the
    network heat the solver sends it rides on slivers below the threshold)."""
    ends = np.concatenate([ds["pipe_start"].to_numpy().astype(str),
                           ds["pipe_end"].to_numpy().astype(str)])
    built = np.tile(ds["pipe_capacity_mw"].to_numpy() >= BUILT_MW, 2)
    return np.array([z in ends and not built[ends == z].any()
                     for z in ds["zone"].to_numpy().astype(str)])


def _capital(ds: xr.Dataset) -> None:
    """Capital of an item that is not built (its capacity, its homes, its pipes) is 0."""
    items = [str(k) for k in ds["capital_item"].to_numpy()]
    households = _zone_households(ds) if "zone" in ds.dims else None
    built = {}
    for item in items:
        if "technology" in ds.dims and item in ds["technology"].to_numpy():
            built[item] = float(ds["new_capacity"].sel(technology=item)) > 0
        elif item == "pipes" and "pipe_new_capacity_mw" in ds:
            built[item] = bool((ds["pipe_new_capacity_mw"] > 0).any())
        elif item in _HOMES_ITEMS and households is not None and _HOMES_ITEMS[item] in ds:
            homes = float((ds[_HOMES_ITEMS[item]].to_numpy() * households).sum())
            built[item] = not math.isclose(homes, 0.0) and homes >= BUILT_HOMES
        else:
            built[item] = True
    keep = np.array([built[k] for k in items])
    for name in ("capital_gbp", "capital_annualised_gbp_per_year", "capital_by_payer_gbp"):
        if name in ds:
            data = ds[name].to_numpy()
            mask = keep if data.ndim == 1 else keep[:, None]
            ds[name].values = np.where(mask, data, 0.0)
