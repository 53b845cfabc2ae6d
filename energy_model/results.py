"""Results: an ``xarray.Dataset`` from the solved model, a summary, and atomic writes.

Read values through the model's typed handles (``m.capacity``, ``m.generation``...),
never by parsing variable names. Every variable carries its unit in its name and in
``attrs["units"]``; prices are the duals of the balances divided by the hours each step
stands for, so they read in GBP per MWh whatever the resolution.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyomo.environ as pyo
import xarray as xr

from energy_model import technologies as registry
from energy_model.built import as_built
from energy_model.components.capacity import annuity_factor
from energy_model.components.fuel_poverty import (
    INTERVENTIONS,
    effective_lift_shares,
    greedy_lifted,
    household_bills,
    reach_per_home,
    treated_shares,
)
from energy_model.components.heat import HEAT_PUMPS
from energy_model.components.targets import settle_grid_charge
from energy_model.economics import add_economics
from energy_model.inputs import ModelInputs
from energy_model.limits import binding_limits, limits_sentence, limits_table, price_text
from energy_model.outputs import write_folder
from energy_model.scenario import Scenario
from energy_model.solve import Solution

# Below this, a solver's value is round-off (interior-point solutions are never exactly 0).
TINY = 1e-6


def _clean(value: float) -> float:
    return 0.0 if abs(value) < TINY else value


def _values(var, index) -> np.ndarray:
    return np.array([pyo.value(var[i]) for i in index], dtype=float)


def _series(m, name: str, n: int) -> np.ndarray:
    comp = getattr(m, name, None)
    return np.zeros(n) if comp is None else _values(comp, range(n))


def _dual(solution: Solution, con) -> float:
    return float(solution.duals.get(con, 0.0))


def results_dataset(m: pyo.ConcreteModel, scenario: Scenario, inputs: ModelInputs,
                    solution: Solution, design: tuple | None = None) -> xr.Dataset:
    """Collect the solved model into a Dataset with dims time, technology, zone.

    Parameters
    ----------
    m : pyomo.environ.ConcreteModel
        A model solved by :func:`energy_model.solve.solve_model`.
    scenario : Scenario
    inputs : ModelInputs
    solution : Solution
    design : tuple, optional
        ``(model, scenario, solution)`` of the solve that chose the design, when ``m``
        only operated it (design fixed): the binding limits and the targets' shadow
        prices are that solve's, since with the design fixed no limit shapes it.

    Returns
    -------
    xarray.Dataset
    """
    settle_grid_charge(m)
    n = inputs.n_steps
    time = inputs.time.tz_convert("UTC").tz_localize(None)
    weight = inputs.step_weight_h
    assets = list(m.K)
    zones = list(m.Z)
    gens = list(m.G)
    ds = xr.Dataset(coords={"time": time, "technology": assets, "zone": zones})

    def add(name, dims, data, units, description):
        values = np.asarray(data, dtype=float)
        # solver round-off: -1e-12 MW is zero, and should print as 0.0
        ds[name] = (dims, np.where(np.abs(values) < TINY, 0.0, values))
        ds[name].attrs.update(units=units, description=description)

    add("step_weight_h", ("time",), weight, "h",
        "hours of the year each step stands for (annual sums weight by it)")
    add("existing_capacity", ("technology",), [m.assets[k].existing for k in assets],
        "MW or MWh", "capacity before the plan (MWh for battery_energy and thermal_store)")
    add("new_capacity", ("technology",), _values(m.new_capacity, assets), "MW or MWh",
        "capacity the plan builds")
    add("capacity", ("technology",), [pyo.value(m.capacity[k]) for k in assets], "MW or MWh",
        "capacity after the plan")
    ds["capacity_unit"] = ("technology", [m.assets[k].unit for k in assets])

    ds = ds.assign_coords(generator=gens + ["energy_from_waste"])
    gen = [np.array([pyo.value(m.generation[g, t]) for t in range(n)]) for g in gens]
    gen.append(_series(m, "efw_electricity", n))
    add("generation_mw", ("generator", "time"), gen, "MW", "electricity generated")
    add("available_generation_mw", ("generator", "time"),
        [inputs.capacity_factor[g] * pyo.value(m.capacity[g]) for g in gens]
        + [np.full(n, np.nan)], "MW", "what variable renewables could have generated")
    add("grid_import_mw", ("time",), _series(m, "grid_import", n), "MW", "import from the grid")
    add("grid_export_mw", ("time",), _series(m, "grid_export", n), "MW", "export to the grid")
    add("battery_charge_mw", ("time",), _series(m, "battery_charge", n), "MW", "")
    add("battery_discharge_mw", ("time",), _series(m, "battery_discharge", n), "MW", "")
    add("battery_level_mwh", ("time",), _series(m, "battery_level", n), "MWh",
        "state of charge at the end of each step")

    for store in ("battery", "store"):
        start = getattr(m, f"{store}_day_start", None)
        if start is not None:
            ds = ds.assign_coords(day=range(len(start)))
            add(f"{store}_day_start_mwh", ("day",), _values(start, range(len(start))), "MWh",
                "level at the start of each calendar day (representative days)")
    heat_sources = list(m.H)
    ds = ds.assign_coords(heat_source=heat_sources + ["energy_from_waste"])
    add("network_heat_supply_mw", ("heat_source", "time"),
        [np.array([pyo.value(m.central_heat[k, t]) for t in range(n)]) for k in heat_sources]
        + [_series(m, "efw_heat", n)], "MW", "heat fed into the heat network")
    net = _series(m, "store_net_charge", n)
    add("store_charge_mw", ("time",), np.maximum(net, 0.0), "MW", "")
    add("store_discharge_mw", ("time",), np.maximum(-net, 0.0), "MW", "")
    add("store_level_mwh", ("time",), _series(m, "store_level", n), "MWh",
        "thermal store level at the end of each step")

    add("electricity_demand_mw", ("zone", "time"),
        [inputs.electricity_demand_mw.get(z, np.zeros(n)) for z in zones], "MW",
        "homes and non-domestic buildings, excluding heat pumps")
    add("heat_demand_mw", ("zone", "time"), [m.zone_heat_mw[z] for z in zones], "MW",
        "space heat and hot water")
    hp_share = _values(m.heat_pump_share, zones)
    dh_share = _values(m.heat_network_share, zones)
    add("heat_pump_share", ("zone",), hp_share, "1", "share of buildings on heat pumps")
    add("heat_network_share", ("zone",), dh_share, "1", "share of buildings on the network")
    add("gas_boiler_share", ("zone",), 1 - hp_share - dh_share, "1",
        "share of buildings on gas boilers")
    add("retrofit_share", ("zone",), _values(m.retrofit_share, zones), "1",
        "share of homes given a fabric retrofit")
    if scenario.fuel_poverty is not None:
        _add_fuel_poverty(m, scenario, inputs, add)
    add("network_heat_delivered_mwh_per_year", ("zone",),
        [annual_sum * share for annual_sum, share in zip(
            ds["heat_demand_mw"].to_numpy() @ weight, dh_share, strict=True)],
        "MWh/yr", "heat the network delivers to each zone's buildings")
    add("heat_pump_electricity_mw", ("time",), _heat_pump_electricity(m, inputs, ds), "MW",
        "individual and central heat pumps")
    if m.data_centre_load is not None:
        add("data_centre_load_mw", ("time",), [pyo.value(m.data_centre_load[t]) for t in range(n)],
            "MW", "server centre's electric load (IT x utilisation x PUE, after any shifting)")

    flows = declared_flows(m)
    ds = ds.assign_coords(flow=["/".join(k) for k in flows])
    for i, part in enumerate(("carrier", "side", "name")):
        ds[f"flow_{part}"] = ("flow", [k[i] for k in flows])
    add("flow_mw", ("flow", "time"),
        [[sum(pyo.value(f.mw(t)) for f in group) for t in range(n)] for group in flows.values()],
        "MW", "power supplied to (flow_side supply) or used from (use) each carrier, by flow, "
        "as the model's components declared it; each carrier's supply equals its use")
    for out in m.terms.outputs:
        add(out.name, out.dims, out.values(), out.unit, out.description)
        ds[out.name].attrs["carrier"] = out.carrier

    add("electricity_price_gbp_per_mwh", ("time",),
        [_dual(solution, m.electricity_balance[t]) / weight[t] for t in range(n)], "GBP/MWh",
        "marginal cost of electricity (dual of the electricity balance)")
    ds = ds.assign_coords(node=list(m.N))
    add("heat_price_gbp_per_mwh", ("node", "time"),
        [[_dual(solution, m.heat_balance[nd, t]) / weight[t] if (nd, t) in m.heat_balance
          else np.nan for t in range(n)] for nd in m.N],
        "GBP/MWh", "marginal cost of network heat at each node (dual of the heat balance)")
    if len(m.P):
        ds = ds.assign_coords(pipe=list(m.P))
        _add_pipes(m, inputs, add)
        ends = [(m.layout.network.pipes[p].start, m.layout.network.pipes[p].end) for p in m.P]
        ds["pipe_start"] = ("pipe", [a for a, _ in ends])
        ds["pipe_end"] = ("pipe", [b for _, b in ends])

    if inputs.representation_error is not None:
        err = inputs.representation_error
        ds = ds.assign_coords(profile=list(err.index))
        for col, text in (("annual_error_pct", "rebuilt annual sum against the year's"),
                          ("peak_error_pct", "rebuilt peak against the year's"),
                          ("rmse_pct_of_mean", "step-by-step RMS error, % of the mean"),
                          ("duration_rmse_pct_of_mean",
                           "RMS error of the sorted profile, % of the mean")):
            add(f"typical_days_{col}", ("profile",), err[col].to_numpy(), "%",
                f"year rebuilt from its typical days: {text}")

    ds = add_economics(m, scenario, inputs, ds)
    chosen_by = design or (m, scenario, solution)
    figures = {**summary_figures(m, scenario, inputs, solution, ds), **shadow_prices(*chosen_by)}
    for key, (value, unit, _) in figures.items():
        ds.attrs[key] = value
        ds.attrs[f"{key}__units"] = unit
    ds = add_limits(ds, binding_limits(*chosen_by))
    ds.attrs.update(scope_attrs(scenario))
    ds.attrs.update(
        scenario_name=scenario.name,
        scenario_yaml=scenario.resolved_yaml(),
        timezone="UTC",
        step_hours=inputs.step_hours,
        year_weight=inputs.year_weight,
        proven_optimal=int(solution.proven_optimal),
        **provenance(scenario),
    )
    return ds


def declared_flows(m) -> dict[tuple[str, str, str], list]:
    """The flows the components declared (``m.terms``) by (carrier, side, name), each a
    list of its nodes' flows: the results' ``flow`` dim and the energy balance."""
    groups: dict[tuple[str, str, str], list] = {}
    for f in m.terms.flows:
        groups.setdefault((f.carrier, f.side, f.name), []).append(f)
    return groups


def add_limits(ds: xr.Dataset, limits: list) -> xr.Dataset:
    """The binding limits as variables along a ``limit`` dim, and a sentence in attrs."""
    table = limits_table(limits)
    ds = ds.assign_coords(limit=table["limit"].to_numpy().astype(str))
    for column in ("kind", "scenario_key", "unit", "shadow_price_unit"):
        ds[f"limit_{column}"] = ("limit", table[column].to_numpy().astype(str))
    for column, unit in (("level", "as limit_unit"), ("shadow_price", "as limit_shadow_price_unit"),
                         ("saving_if_relaxed_1pct_gbp_per_year", "GBP/yr")):
        ds[f"limit_{column}"] = ("limit", table[column].to_numpy(dtype=float))
        ds[f"limit_{column}"].attrs["units"] = unit
    ds.attrs["limits_sentence"] = limits_sentence(limits)
    return ds


def limit_lines(ds: xr.Dataset, most: int = 12) -> list[str]:
    """The binding limits as text lines, most valuable first."""
    if "limit" not in ds.dims:
        return []
    lines = []
    for i, name in enumerate(ds["limit"].to_numpy()[:most]):
        r = ds.isel(limit=i)
        price = price_text(float(r.limit_shadow_price))
        lines.append(f"  {registry.words(str(name)):<44} {price:>14} "
                     f"{r.limit_shadow_price_unit.item()}")
    if ds.sizes["limit"] > most:
        lines.append(f"  ... and {ds.sizes['limit'] - most} more (results.nc, limit_*)")
    return lines


def scope_attrs(scenario: Scenario) -> dict[str, str]:
    """What the targets count and what happens to energy from waste, in words."""
    out = {}
    target = scenario.targets.renewable_generation
    if target is not None:
        out["renewable_target_measure"] = target.measure
        out["renewable_target_counts"] = ", ".join(target.counts)
        if target.measure == "electricity_and_heat":
            out["renewable_heat_target_counts"] = out["renewable_target_counts"]
    heat = scenario.targets.renewable_heat
    if heat is not None:
        out["renewable_heat_target_counts"] = ", ".join(heat.counts)
    efw = scenario.technologies.energy_from_waste
    if efw is not None:
        if efw.contract_end_date is None:
            text = "runs all year (no contract end given)"
        elif efw.after_contract == "replaced":
            text = (f"contract ends {efw.contract_end_date:%d %B %Y}; a replacement or bridging "
                    "contract keeps it running")
        else:
            text = (f"contract ends {efw.contract_end_date:%d %B %Y}; closed after it (no "
                    "replacement chosen)")
        out["energy_from_waste_status"] = text
    return out


def provenance(scenario: Scenario) -> dict[str, str]:
    """What reproduces a run: the resolved scenario's hash and the software versions."""
    import importlib.metadata as md
    import platform

    out = {"scenario_sha256": hashlib.sha256(scenario.resolved_yaml().encode()).hexdigest(),
           "python_version": platform.python_version()}
    for package in ("energy-model", "pyomo", "highspy", "pvlib", "pandas", "numpy", "xarray"):
        try:
            out[f"{package.replace('-', '_')}_version"] = md.version(package)
        except md.PackageNotFoundError:
            out[f"{package.replace('-', '_')}_version"] = "not installed"
    return out


def _add_fuel_poverty(m, scenario: Scenario, inputs: ModelInputs, add) -> None:
    """Per zone: fuel-poor households, those lifted, rates before and after, bills."""
    zones = list(m.Z)
    lift = effective_lift_shares(scenario, inputs)
    bills = household_bills(scenario, inputs)
    treated = {k: _clean(pyo.value(v)) for k, v in treated_shares(m, scenario).items()}
    lifted, saving = [], []
    for z in zones:
        spec = scenario.zones[z]
        reach = {i: reach_per_home(scenario, z) * spec.households * max(treated[z, i], 0.0)
                 for i in INTERVENTIONS}
        lifted.append(greedy_lifted(spec.fuel_poor_households, reach, lift.get(z, {})))
        reached = min(sum(reach.values()), spec.fuel_poor_households)
        zone_bills = bills.get(z, {})
        # fuel-poor homes reached, best-lifting intervention first, and what each saves
        left, saved = reached, 0.0
        for i in sorted(reach, key=lambda k: -lift.get(z, {}).get(k, 0.0)):
            taken = min(left, reach[i])
            if i in zone_bills:
                saved += taken * (zone_bills["before"] - zone_bills[i])
            left -= taken
        saving.append(saved / reached if reached else 0.0)
    households = np.array([scenario.zones[z].households for z in zones], dtype=float)
    poor = np.array([scenario.zones[z].fuel_poor_households for z in zones], dtype=float)
    safe = np.where(households > 0, households, 1.0)
    add("fuel_poor_households", ("zone",), poor, "households", "before the plan")
    add("households_lifted", ("zone",), lifted, "households",
        "fuel-poor households whose home the plan lifts to band C or above")
    add("fuel_poverty_rate_before", ("zone",), poor / safe, "1", "")
    add("fuel_poverty_rate_after", ("zone",), (poor - np.array(lifted)) / safe, "1", "")
    add("fuel_poor_bill_saving_gbp_per_year", ("zone",), saving, "GBP/yr",
        "average saving of a fuel-poor household the plan reaches")
    # the bills themselves are the economics' (household_bill_gbp_per_year by heating option)


def _add_pipes(m, inputs: ModelInputs, add) -> None:
    """Per pipe: capacity built, catalogue size, heat carried, losses and utilisation."""
    import networks as nw
    from energy_model.components.heat_network import pipe_efficiency

    layout = m.layout
    pipes = list(m.P)
    n = inputs.n_steps
    weight = inputs.step_weight_h
    existing = [layout.network.pipes[p].existing_capacity_mw for p in pipes]
    new = [pyo.value(m.pipe_new_capacity[p]) for p in pipes]
    capacity = np.add(existing, new)
    sent = np.array([[pyo.value(m.pipe_flow_forward[p, t]) + pyo.value(m.pipe_flow_backward[p, t])
                      for t in range(n)] for p in pipes])
    eff = pipe_efficiency(layout)
    catalogue = nw.pipe_catalogue(layout.network.flow_temp_c, layout.network.return_temp_c)
    sizes = [nw.pipe_size_for(c, catalogue) if c > TINY else None for c in capacity]
    add("pipe_existing_capacity_mw", ("pipe",), existing, "MW", "")
    add("pipe_new_capacity_mw", ("pipe",), new, "MW", "capacity the plan adds")
    add("pipe_capacity_mw", ("pipe",), capacity, "MW", "")
    add("pipe_built", ("pipe",), [pyo.value(m.pipe_built[p]) for p in pipes], "1",
        "build decision of a candidate (a fraction when continuous)")
    add("pipe_dn_mm", ("pipe",), [s.dn if s else np.nan for s in sizes], "mm",
        "smallest catalogue diameter that carries the capacity (NaN: none or too large)")
    add("pipe_length_km", ("pipe",), [layout.network.pipes[p].length_km for p in pipes], "km", "")
    add("pipe_flow_mw", ("pipe", "time"),
        [[pyo.value(m.pipe_flow_forward[p, t]) - pyo.value(m.pipe_flow_backward[p, t])
          for t in range(n)] for p in pipes], "MW", "heat sent, positive from start to end")
    add("pipe_heat_sent_mwh_per_year", ("pipe",), sent @ weight, "MWh/yr", "")
    add("pipe_losses_mwh_per_year", ("pipe",),
        [(sent[i] @ weight) * (1 - eff[p]) for i, p in enumerate(pipes)], "MWh/yr", "")
    add("pipe_utilisation", ("pipe",),
        [sent[i].mean() / c if c > 0 else 0.0 for i, c in enumerate(capacity)], "1",
        "mean flow over capacity")


def _heat_pump_electricity(m, inputs: ModelInputs, ds: xr.Dataset) -> np.ndarray:
    out = np.zeros(inputs.n_steps)
    if "individual_heat_pump" in inputs.cop:
        hp_heat = (ds["heat_demand_mw"] * ds["heat_pump_share"]).sum("zone").to_numpy()
        out += hp_heat / inputs.cop["individual_heat_pump"]
    for k in (k for k in HEAT_PUMPS if k in m.H):
        q = np.array([pyo.value(m.central_heat[k, t]) for t in range(inputs.n_steps)])
        out += q / inputs.cop[k]
    return out


def summary_figures(m, scenario: Scenario, inputs: ModelInputs, solution: Solution,
                    ds: xr.Dataset) -> dict[str, tuple[float, str, str]]:
    """The headline figures: name to (value, unit, description), annual where it applies."""
    weight = inputs.step_weight_h

    def annual(x) -> float:
        return float(np.nansum(np.asarray(x) * weight))

    data_centre = annual(ds["data_centre_load_mw"]) if "data_centre_load_mw" in ds else 0.0
    demand_el = annual(ds["electricity_demand_mw"].sum("zone")) + annual(
        ds["heat_pump_electricity_mw"]) + data_centre
    demand_heat = annual(ds["heat_demand_mw"].sum("zone"))
    counted = float(pyo.value(m.renewable_generation_mwh))
    renewable_el = float(pyo.value(m.renewable_electricity_mwh))
    renewable_heat = float(pyo.value(m.renewable_heat_mwh))
    all_renewable = renewable_el + renewable_heat
    target = scenario.targets.renewable_generation
    out: dict[str, tuple[float, str, str]] = {
        "total_cost_gbp_per_year": (solution.objective_gbp_per_year, "GBP/yr",
                                    "system view: annualised capital, O&M, gas and grid at "
                                    "system prices, carbon at its appraisal value"),
        "capex_gbp": (float(pyo.value(m.capex_gbp)), "GBP", "overnight cost of new builds"),
        "co2_t_per_year": (float(pyo.value(m.co2_t)), "t/yr",
                           "the city's footprint: gas, and grid import at the average factor"),
        "co2_valued_t_per_year": (float(pyo.value(m.co2_valued_t)), "t/yr",
                                  "emissions the objective values: gas, and grid import less "
                                  "export at the long-run marginal factor"),
        "co2_value_gbp_per_t": (scenario.carbon.co2_value_gbp_per_t, "GBP/t",
                                "appraisal value of carbon in the objective"),
        "carbon_value_gbp_per_year": (
            float(pyo.value(m.cost_terms["carbon_value"])) if "carbon_value" in m.cost_terms
            else 0.0, "GBP/yr", "valued CO2 x carbon value, part of the annual cost"),
        "gas_mwh_per_year": (float(pyo.value(m.gas_mwh)), "MWh/yr", "boilers' gas"),
        "grid_import_mwh_per_year": (annual(ds["grid_import_mw"]), "MWh/yr", ""),
        "grid_export_mwh_per_year": (annual(ds["grid_export_mw"]), "MWh/yr", ""),
        "peak_grid_import_mw": (float(ds["grid_import_mw"].max()), "MW",
                                "at the model's resolution"),
        "electricity_demand_mwh_per_year": (demand_el, "MWh/yr", "including heat pumps"),
        "heat_demand_mwh_per_year": (demand_heat, "MWh/yr", ""),
        "renewable_generation_counted_mwh_per_year": (
            counted, "MWh/yr", "what the target counts"),
        "renewable_electricity_mwh_per_year": (
            renewable_el, "MWh/yr", "renewable electricity generated in the city (PV, wind, "
            "biogenic share of energy from waste), less battery losses"),
        "renewable_heat_mwh_per_year": (
            renewable_heat, "MWh/yr", "renewable heat (geothermal, ambient share of heat "
            "pumps, biogenic share of energy-from-waste heat), less thermal-store losses"),
        "storage_losses_electricity_mwh_per_year": (
            float(pyo.value(m.storage_losses["electricity"])), "MWh/yr", "battery losses"),
        "renewable_generation_all_mwh_per_year": (
            all_renewable, "MWh/yr", "renewable electricity plus renewable heat"),
        "renewable_share_of_final_energy": (
            all_renewable / (demand_el + demand_heat) if demand_el + demand_heat else 0.0, "1",
            "all local renewables over electricity (incl. heat pumps) plus heat demand"),
        "renewable_share_of_electricity": (
            renewable_el / demand_el if demand_el else 0.0,
            "1", "local renewable electricity over electricity demand"),
    }
    if "data_centre_load_mw" in ds:
        renewable_el = out["renewable_share_of_electricity"][0] * demand_el
        out["data_centre_electricity_mwh_per_year"] = (data_centre, "MWh/yr", "")
        out["renewable_share_of_electricity_excluding_data_centre"] = (
            renewable_el / (demand_el - data_centre) if demand_el > data_centre else 0.0, "1",
            "the same renewable generation over the city's demand without the server centre")
        out |= _waste_heat_figures(m, scenario, inputs, ds, annual)
    if target is not None:
        out["renewable_target_mwh_per_year"] = (target.target_mwh_per_year, "MWh/yr",
                                                "baseline x multiplier")
    heat_target = scenario.targets.renewable_heat
    if heat_target is not None:
        out["renewable_heat_counted_mwh_per_year"] = (
            float(pyo.value(m.renewable_heat_counted_mwh)), "MWh/yr",
            "what the renewable heat target counts")
        out["renewable_heat_target_mwh_per_year"] = (heat_target.target_mwh_per_year,
                                                     "MWh/yr", "baseline x multiplier")
    efw = scenario.technologies.energy_from_waste
    if efw is not None:
        w = inputs.step_weight_h
        out["energy_from_waste_contract_share_of_year"] = (
            float(np.dot(m.efw_contract_share, w) / w.sum()), "1",
            "share of the year the plant runs (its contract, or a replacement)")
    if "households_lifted" in ds:
        lifted = float(ds["households_lifted"].sum())
        homes = float(scenario.households)
        poor = float(ds["fuel_poor_households"].sum())
        out["households_lifted_out_of_fuel_poverty"] = (lifted, "households", "")
        out["fuel_poverty_rate_before"] = (poor / homes if homes else 0.0, "1", "")
        out["fuel_poverty_rate_after"] = ((poor - lifted) / homes if homes else 0.0, "1", "")
    if solution.mip_gap is not None:
        out["mip_gap"] = (solution.mip_gap, "1", "relative gap of the binary network solve")
    return out


def shadow_prices(m, scenario: Scenario, solution: Solution
                  ) -> dict[str, tuple[float, str, str]]:
    """What the last unit of each target or cap costs: name to (value, unit, description)."""
    out = {}
    if scenario.targets.renewable_generation is not None:
        out["renewable_target_shadow_price_gbp_per_mwh"] = (
            abs(_dual(solution, m.renewable_target)), "GBP/MWh",
            "cost of the last MWh of the renewable target")
    if scenario.targets.renewable_heat is not None:
        out["renewable_heat_target_shadow_price_gbp_per_mwh"] = (
            abs(_dual(solution, m.renewable_heat_target)), "GBP/MWh",
            "cost of the last MWh of the renewable heat target")
    for name, key in (("fuel_poverty_target", "fuel_poverty_target_shadow_price_gbp_per_household"),
                      ("fuel_poverty_rate_cap", "fuel_poverty_rate_shadow_price_gbp_per_household"),
                      ("private_homes_target", "private_homes_shadow_price_gbp_per_home")):
        if hasattr(m, name):
            out[key] = (abs(_dual(solution, getattr(m, name))), "GBP/yr",
                        "annual cost of the last household the target requires")
    if hasattr(m, "co2_cap"):
        out["co2_cap_shadow_price_gbp_per_t"] = (abs(_dual(solution, m.co2_cap)), "GBP/t",
                                                 "cost of the last tonne cut by the cap")
    if hasattr(m, "capex_budget"):
        out["capex_budget_shadow_price_gbp_per_gbp"] = (
            abs(_dual(solution, m.capex_budget)), "GBP/GBP",
            "annual saving from one more GBP of budget")
    return out


def _waste_heat_figures(m, scenario: Scenario, inputs: ModelInputs, ds: xr.Dataset, annual
                        ) -> dict[str, tuple[float, str, str]]:
    """How much network heat the server centre's waste heat covers, and at what cost."""
    supply = ds["network_heat_supply_mw"]
    network_heat = annual(supply.sum("heat_source"))
    if "waste_heat_pump" not in m.H:
        return {}
    heat = annual(supply.sel(heat_source="waste_heat_pump"))
    asset = m.assets["waste_heat_pump"]
    crf = annuity_factor(scenario.finance.discount_rate, asset.lifetime_years)
    capital = asset.capex_gbp_per_unit * (crf * pyo.value(m.new_capacity["waste_heat_pump"])
                                          + asset.fixed_om_fraction_per_year
                                          * pyo.value(m.capacity["waste_heat_pump"]))
    q = supply.sel(heat_source="waste_heat_pump").to_numpy()
    power_cost = annual(q / inputs.cop["waste_heat_pump"] * ds["electricity_price_gbp_per_mwh"])
    out = {
        "waste_heat_recovered_mwh_per_year": (heat, "MWh/yr",
                                              "server-centre heat into the network"),
        "waste_heat_share_of_network_heat": (heat / network_heat if network_heat else 0.0, "1",
                                             "of all heat fed into the network"),
        "waste_heat_cost_gbp_per_mwh": ((capital + power_cost) / heat if heat else float("nan"),
                                        "GBP/MWh", "heat pump capital, O&M and electricity at "
                                        "its marginal price, per MWh recovered"),
    }
    boiler = scenario.technologies.central_gas_boiler
    if boiler is not None and scenario.gas is not None:
        out["gas_boiler_heat_cost_gbp_per_mwh"] = (
            scenario.gas.price_gbp_per_mwh / boiler.efficiency, "GBP/MWh",
            "fuel cost of a MWh of heat from the central gas boiler")
    return out


def summary_table(ds: xr.Dataset) -> pd.DataFrame:
    """The headline figures and capacities as a tidy table (metric, value, unit)."""
    rows = [(k, ds.attrs[k], ds.attrs[f"{k}__units"]) for k in ds.attrs
            if f"{k}__units" in ds.attrs]
    for k in ds["technology"].to_numpy():
        unit = str(ds["capacity_unit"].sel(technology=k).item())
        rows.append((f"capacity_{unit.lower()}/{k}", float(ds["capacity"].sel(technology=k)),
                     unit))
        rows.append((f"new_capacity_{unit.lower()}/{k}",
                     float(ds["new_capacity"].sel(technology=k)), unit))
    return pd.DataFrame(rows, columns=["metric", "value", "unit"])


def format_summary(ds: xr.Dataset) -> str:
    """A short text summary for the terminal (figures below the build thresholds of
    :mod:`energy_model.built` read as nothing built)."""
    ds = as_built(ds)
    a = ds.attrs
    lines = [f"Scenario {a['scenario_name']}: {len(ds.time)} steps of {a['step_hours']:g} h"]
    if not a.get("proven_optimal", 1):
        lines.append("NOT PROVEN OPTIMAL: the time limit stopped the solver with this plan")
    if a.get("screening_note"):
        lines.append(a["screening_note"])
    lines += ["", "Capacity (existing -> planned):"]
    for k in ds["technology"].to_numpy():
        unit = str(ds["capacity_unit"].sel(technology=k).item())
        ex = float(ds["existing_capacity"].sel(technology=k))
        cap = float(ds["capacity"].sel(technology=k))
        lines.append(f"  {registry.label(str(k)):<22} {ex:10.1f} -> {cap:10.1f} {unit}")
    lines.append("")
    lines.append("Heating mix by zone (gas / heat pump / network):")
    for z in ds["zone"].to_numpy():
        lines.append(f"  {z:<22} {float(ds.gas_boiler_share.sel(zone=z)):6.1%}"
                     f" {float(ds.heat_pump_share.sel(zone=z)):6.1%}"
                     f" {float(ds.heat_network_share.sel(zone=z)):6.1%}")
    by_source = (ds["network_heat_supply_mw"] * ds["step_weight_h"]).sum("time")
    lines += ["", "Network heat by source [GWh/yr]: " + ", ".join(
        f"{registry.label(str(k))} {float(by_source.sel(heat_source=k)) / 1000:.1f}"
        for k in ds["heat_source"].to_numpy())]
    if "pipe" in ds.dims:
        lines += ["", "Heat network pipes (capacity MW, new MW, catalogue DN, heat sent GWh/yr):"]
        for p in ds["pipe"].to_numpy():
            row = ds.sel(pipe=p)
            dn = float(row.pipe_dn_mm)
            lines.append(f"  {p:<28} {float(row.pipe_capacity_mw):7.1f} "
                         f"{float(row.pipe_new_capacity_mw):7.1f} "
                         f"{'DN' + str(int(dn)) if dn == dn else '-':>7} "
                         f"{float(row.pipe_heat_sent_mwh_per_year) / 1000:8.1f}")
    if "households_lifted" in ds:
        lines += ["", "Fuel poverty by zone (fuel-poor, lifted, rate before -> after, "
                      "retrofit share, bill saving of those reached):"]
        for z in ds["zone"].to_numpy():
            r = ds.sel(zone=z)
            lines.append(f"  {z:<22} {float(r.fuel_poor_households):8,.0f} "
                         f"{float(r.households_lifted):8,.0f} "
                         f"{float(r.fuel_poverty_rate_before):6.1%} -> "
                         f"{float(r.fuel_poverty_rate_after):6.1%} "
                         f"{float(r.retrofit_share):6.1%} "
                         f"GBP {float(r.fuel_poor_bill_saving_gbp_per_year):6,.0f}/yr")
    if "profile" in ds.dims:
        days = float(ds.step_weight_h.sum()) / 24
        typical = len(ds.time) * a["step_hours"] / 24
        lines += ["", f"Typical days: {days:.0f} calendar days from {typical:.0f} typical "
                      "days. The year rebuilt from them against the year [%] (annual, peak, "
                      "RMS step by step, RMS sorted):"]
        for p in ds["profile"].to_numpy():
            r = ds.sel(profile=p)
            lines.append(f"  {p:<28} {float(r.typical_days_annual_error_pct):+7.2f} "
                         f"{float(r.typical_days_peak_error_pct):+7.2f} "
                         f"{float(r.typical_days_rmse_pct_of_mean):7.1f} "
                         f"{float(r.typical_days_duration_rmse_pct_of_mean):7.1f}")
        lines.append("  Storage and peak plant sized on typical days can differ from a full-year "
                     "run by tens of per cent at almost the same cost: confirm them with a "
                     "full-year run.")
    gen = (ds["generation_mw"] * ds["step_weight_h"]).sum("time") / 1000
    lines.append("")
    lines.append("Annual generation [GWh]: " + ", ".join(
        f"{registry.label(str(g))} {float(gen.sel(generator=g)):.1f}"
        for g in ds["generator"].to_numpy()))
    lines.append(f"Renewable generation counted: "
                 f"{a['renewable_generation_counted_mwh_per_year'] / 1000:,.1f} GWh/yr")
    if "renewable_target_mwh_per_year" in a:
        lines.append(f"Renewable target:             "
                     f"{a['renewable_target_mwh_per_year'] / 1000:,.1f} GWh/yr"
                     f" (shadow price {a['renewable_target_shadow_price_gbp_per_mwh']:,.1f}"
                     " GBP/MWh)")
    lines += [
        f"Renewable share: {a['renewable_share_of_final_energy']:.1%} of final energy, "
        f"{a['renewable_share_of_electricity']:.1%} of electricity",
        f"CO2 (the city's footprint, grid at its average factor): "
        f"{a['co2_t_per_year'] / 1000:,.1f} kt/yr",
        f"Annual cost, system view: GBP {a['total_cost_gbp_per_year'] / 1e6:,.1f} m/yr, of which "
        f"carbon at {a.get('co2_value_gbp_per_t', 0.0):,.0f} GBP/t is GBP "
        f"{a.get('carbon_value_gbp_per_year', 0.0) / 1e6:,.1f} m/yr "
        f"(new builds GBP {a['capex_gbp'] / 1e6:,.1f} m overnight)",
    ]
    lines += _economics_lines(ds)
    if "households_lifted_out_of_fuel_poverty" in a:
        lines.append(f"Households lifted out of fuel poverty: "
                     f"{a['households_lifted_out_of_fuel_poverty']:,.0f} (rate "
                     f"{a['fuel_poverty_rate_before']:.1%} -> {a['fuel_poverty_rate_after']:.1%})")
    for key, label in (("renewable_electricity_mwh_per_year",
                        "Renewable electricity (PV, wind, biogenic share of energy from waste)"),
                       ("renewable_heat_mwh_per_year", "Renewable heat")):
        if key in a:
            lines.append(f"{label}: {a[key] / 1000:,.1f} GWh/yr (net of storage losses)")
    if "energy_from_waste_status" in a:
        lines.append(f"Energy from waste: {a['energy_from_waste_status']}")
    for key, label in (("mip_gap", "MIP gap (binary pipe decisions)"),
                       ("fuel_poverty_target_shadow_price_gbp_per_household",
                        "Cost of the last household lifted"),
                       ("co2_cap_shadow_price_gbp_per_t", "CO2 cap shadow price"),
                       ("capex_budget_shadow_price_gbp_per_gbp", "Budget shadow price")):
        if key in a:
            lines.append(f"{label}: {a[key]:,.3f} {a[key + '__units']}")
    lines += ["", "What limits this plan: " + str(a.get("limits_sentence", ""))]
    lines += limit_lines(ds)
    return "\n".join(lines)


def _costs_or_saves(value: float, scale: float, amount: str) -> str:
    """``costs GBP 3.1 m/yr`` or ``saves GBP 12.4 m/yr``: a sign a reader need not decode."""
    return ("saves " if value < 0 else "costs ") + amount.format(abs(value) / scale)


def _economics_lines(ds: xr.Dataset) -> list[str]:
    """Against doing nothing, who pays, and the household view, for the text summary."""
    a = ds.attrs
    lines = []
    if "extra_cost_gbp_per_year" in a:
        money = "GBP {:,.1f} m/yr"
        lines += [
            "",
            "Against doing nothing (today's assets and heating mix in the plan year), "
            "system view:",
            f"  the plan {_costs_or_saves(a['extra_cost_gbp_per_year'], 1e6, money)} "
            f"({_costs_or_saves(a['extra_cost_excluding_carbon_gbp_per_year'], 1e6, money)} "
            "without the value of carbon)",
            f"  CO2 saved {a['co2_saved_t_per_year'] / 1e3:,.1f} kt/yr (footprint), "
            f"{a['co2_valued_saved_t_per_year'] / 1e3:,.1f} kt/yr as valued; it "
            f"{_costs_or_saves(a['cost_per_t_co2_saved_gbp_per_t'], 1, 'GBP {:,.0f}')} per "
            "tonne saved",
            f"  extra local renewables {a['extra_renewable_generation_mwh_per_year'] / 1e3:,.1f}"
            f" GWh/yr; per MWh of them it "
            f"{_costs_or_saves(a['cost_per_extra_renewable_mwh_gbp_per_mwh'], 1, 'GBP {:,.0f}')}",
        ]
    if "capital_by_payer_gbp" in ds:
        paid = ds["capital_by_payer_gbp"].sum("capital_item")
        lines.append("Who pays the capital: " + ", ".join(
            f"{p} GBP {float(paid.sel(payer=p)) / 1e6:,.1f} m" for p in ds["payer"].to_numpy()
            if float(paid.sel(payer=p)) or p != "unassigned"))
    if "household_bill_gbp_per_year" in ds:
        bills = ds["household_bill_gbp_per_year"]
        parts = []
        for option in bills["heating_option"].to_numpy():
            values = bills.sel(heating_option=option)
            low, high = float(values.min()), float(values.max())
            shown = f"{low:,.0f}" if round(low) == round(high) else f"{low:,.0f}-{high:,.0f}"
            parts.append(f"{str(option).replace('_', ' ')} {shown}")
        lines.append("Household view, a typical home's bill [GBP/yr]: " + ", ".join(parts))
    return lines


def write_results(ds: xr.Dataset, out_dir: str | Path, force: bool = False,
                  extras: dict[str, Callable[[Path], object]] | None = None) -> Path:
    """Write ``results.nc``, ``summary.csv`` and ``summary.txt`` atomically.

    Everything is written into a temporary folder beside ``out_dir`` and moved into place
    only when complete, so an interrupted run leaves no half-written results (see
    :mod:`energy_model.outputs`).

    Parameters
    ----------
    ds : xarray.Dataset
        From :func:`results_dataset`.
    out_dir : str or Path
        The results folder.
    force : bool
        Replace an existing folder the planner wrote; without it an existing folder is an
        error, and a folder holding a user's files is refused always.
    extras : dict of str to callable, optional
        More files to write into the folder: name to a function of the file's path.

    Returns
    -------
    Path
        The results folder.
    """

    def write(tmp: Path) -> None:
        ds.to_netcdf(tmp / "results.nc")
        summary_table(ds).to_csv(tmp / "summary.csv", index=False)
        (tmp / "summary.txt").write_text(format_summary(ds) + "\n", encoding="utf-8")
        write_run_record(tmp, ds.attrs)
        for name, extra in (extras or {}).items():
            extra(tmp / name)

    return write_folder(out_dir, write, force)


def write_run_record(folder: Path, attrs: dict) -> None:
    """``scenario.yaml`` (resolved, runnable again) and ``run.json`` (provenance, status)."""
    (folder / "scenario.yaml").write_text(attrs["scenario_yaml"], encoding="utf-8")
    record = {k: (v.item() if hasattr(v, "item") else v) for k, v in attrs.items()
              if k != "scenario_yaml" and not k.endswith("__units")}
    (folder / "run.json").write_text(json.dumps(record, indent=2, default=str) + "\n",
                                     encoding="utf-8")


def write_failure(scenario: Scenario, out_dir: str | Path, message: str, force: bool = False
                  ) -> Path:
    """Record a run that produced no plan: ``diagnosis.txt``, ``scenario.yaml``, ``run.json``.

    Written atomically like :func:`write_results`; there is no ``results.nc``.
    """

    def write(tmp: Path) -> None:
        (tmp / "diagnosis.txt").write_text(message.rstrip() + "\n", encoding="utf-8")
        write_run_record(tmp, {"scenario_name": scenario.name, "status": "no plan",
                               "scenario_yaml": scenario.resolved_yaml(), **provenance(scenario)})

    return write_folder(out_dir, write, force)


def network_map_writer(m: pyo.ConcreteModel, ds: xr.Dataset) -> dict[str, Callable]:
    """``{"network_map.png": writer}`` when the plan has a heat network graph, else empty."""
    layout = m.layout
    if layout.network is None or "pipe" not in ds.dims:
        return {}
    import networks as nw

    ds = as_built(ds)
    pipes = [str(p) for p in ds["pipe"].to_numpy()]
    capacity = dict(zip(pipes, ds["pipe_capacity_mw"].to_numpy().tolist(), strict=True))
    new = dict(zip(pipes, ds["pipe_new_capacity_mw"].to_numpy().tolist(), strict=True))
    title = f"Heat network, {ds.attrs['scenario_name']}: width by capacity"
    return {"network_map.png": lambda path: nw.plot_network(
        layout.network, path, capacity_mw=capacity, new_capacity_mw=new, title=title)}
