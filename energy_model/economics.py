"""The two views of cost, and the plan against doing nothing.

**System view** (what the optimiser minimises): annualised capital, O&M, gas at its
system price, grid electricity at its system value and carbon at its appraisal value
(:mod:`energy_model.components.objective`). **Household view** (reported, and what
fuel-poverty lifting uses): retail tariffs with standing charges, less grants
(:func:`energy_model.components.fuel_poverty.bills_by_option`). The two never mix: a
grant moves cost from households to the state and so appears in who pays, not in the
system's cost.

**Doing nothing** (:func:`energy_model.do_nothing.solve_do_nothing`): today's assets and
heating mix, every design decision at its lower bound (nothing built, no new heat pumps,
connections, retrofits or pipes), operated in the plan year under the same prices and weather, with
no targets. The plan's headline figures are differences from it
(:func:`against_do_nothing`).
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
import xarray as xr

from energy_model import technologies as registry
from energy_model.components.capacity import annuity_factor
from energy_model.inputs import ModelInputs
from energy_model.scenario import Scenario

PAYERS = ("public", "households", "businesses")


# Below this, money is solver round-off [GBP]
ROUND_OFF_GBP = 1e-3


def _gbp(term) -> float:
    value = float(pyo.value(term))
    return 0.0 if abs(value) < ROUND_OFF_GBP else value


def annual_cost_by_component(m: pyo.ConcreteModel) -> dict[str, float]:
    """The objective's parts after a solve [GBP/yr], by the name each component gave it."""
    return {name: _gbp(term) for name, term in m.cost_terms.items()}


def capital_by_technology(m: pyo.ConcreteModel) -> dict[str, float]:
    """Overnight capital of what the plan builds, by technology [GBP]."""
    return {name: _gbp(term) for name, term in m.capex_terms.items()}


def heat_pump_homes(m: pyo.ConcreteModel, scenario: Scenario) -> float:
    """Homes given an individual heat pump by the plan."""
    if scenario.technologies.individual_heat_pump is None:
        return 0.0
    return float(sum(z.households * (pyo.value(m.heat_pump_share[name])
                                      - z.existing_heat_pump_share)
                     for name, z in scenario.zones.items()))


def who_pays(scenario: Scenario, capital: dict[str, float], hp_homes: float
             ) -> dict[str, dict[str, float]]:
    """Overnight capital split between the public purse, households and businesses [GBP].

    Each technology's capital is split by the scenario's ``payers`` (a technology the
    scenario does not list is shown as ``unassigned``); heat-pump grants are then moved
    from households to the public purse.

    Returns
    -------
    dict
        ``{technology: {"public": ..., "households": ..., "businesses": ...,
        "unassigned": ...}}``.
    """
    out = {}
    for name, gbp in capital.items():
        split = scenario.payers.get(name)
        row = dict.fromkeys((*PAYERS, "unassigned"), 0.0)
        if split is None:
            row["unassigned"] = gbp
        else:
            for payer in PAYERS:
                row[payer] = gbp * getattr(split, payer)
        out[name] = row
    hp = scenario.technologies.individual_heat_pump
    if hp is not None and hp.grant_gbp_per_household and "individual_heat_pump" in out:
        grant = hp.grant_gbp_per_household * hp_homes
        row = out["individual_heat_pump"]
        moved = min(grant, row["households"] + row["unassigned"])
        from_households = min(moved, row["households"])
        row["households"] -= from_households
        row["unassigned"] -= moved - from_households
        row["public"] += moved
    return out


def add_economics(m: pyo.ConcreteModel, scenario: Scenario, inputs: ModelInputs,
                  ds: xr.Dataset) -> xr.Dataset:
    """Add the cost breakdown, capital by technology and who pays, prices and household
    bills to a plan's results."""
    costs = annual_cost_by_component(m)
    ds = ds.assign_coords(cost_component=list(costs))
    ds["annual_cost_gbp_per_year"] = ("cost_component", list(costs.values()))
    ds["annual_cost_gbp_per_year"].attrs.update(
        units="GBP/yr", description="the objective's parts (system view)")
    capital = capital_by_technology(m)
    r = scenario.finance.discount_rate
    lifetimes = _lifetimes(m, scenario)
    ds = ds.assign_coords(capital_item=list(capital), payer=[*PAYERS, "unassigned"])
    ds["capital_gbp"] = ("capital_item", list(capital.values()))
    ds["capital_gbp"].attrs.update(units="GBP", description="overnight capital of new builds")
    ds["capital_annualised_gbp_per_year"] = ("capital_item", [
        gbp * annuity_factor(r, lifetimes.get(k, 1)) if k in lifetimes else np.nan
        for k, gbp in capital.items()])
    ds["capital_annualised_gbp_per_year"].attrs.update(
        units="GBP/yr", description="capital annualised at the discount rate over its life")
    paid = who_pays(scenario, capital, heat_pump_homes(m, scenario))
    payers = ds["payer"].to_numpy()
    ds["capital_by_payer_gbp"] = (("capital_item", "payer"), np.array(  # shaped when empty
        [[paid[k][p] for p in payers] for k in capital], dtype=float).reshape(
        len(capital), len(payers)))
    ds["capital_by_payer_gbp"].attrs.update(
        units="GBP", description="who pays the overnight capital (scenario's payers; "
        "heat-pump grants moved from households to the public purse)")
    for name, series, text in (
            ("import_price_gbp_per_mwh", inputs.import_price_gbp_per_mwh,
             "what a MWh imported costs the system (energy value + distribution)"),
            ("export_price_gbp_per_mwh", inputs.export_price_gbp_per_mwh,
             "what a MWh exported earns the system (energy value - spill margin)")):
        ds[name] = ("time", np.asarray(series, dtype=float))
        ds[name].attrs.update(units="GBP/MWh", description=text)
    from energy_model.components.fuel_poverty import bills_by_option

    bills = bills_by_option(scenario, inputs)
    if bills:
        options = list(next(iter(bills.values())))
        ds = ds.assign_coords(heating_option=options)
        ds["household_bill_gbp_per_year"] = (
            ("zone", "heating_option"),
            [[bills.get(z, {}).get(o, np.nan) for o in options] for z in ds["zone"].to_numpy()])
        ds["household_bill_gbp_per_year"].attrs.update(
            units="GBP/yr", description="a zone's typical home, by heating option, at retail "
            "tariffs with standing charges (household view)")
    hp = scenario.technologies.individual_heat_pump
    if hp is not None:
        ds.attrs["heat_pump_homes"] = heat_pump_homes(m, scenario)
        ds.attrs["heat_pump_homes__units"] = "households"
        if hp.installed_cost_gbp_per_household is not None:
            ds.attrs["heat_pump_household_upfront_gbp"] = (
                hp.installed_cost_gbp_per_household - hp.grant_gbp_per_household)
            ds.attrs["heat_pump_household_upfront_gbp__units"] = "GBP"
    return ds


def _lifetimes(m: pyo.ConcreteModel, scenario: Scenario) -> dict[str, int]:
    tech = scenario.technologies
    out = {k: a.lifetime_years for k, a in m.assets.items()}
    for name in (t for t in registry.paid_for() if registry.REGISTRY[t].level == "zone"):
        spec = tech.section(name)
        if spec is not None:
            out[name] = spec.lifetime_years
    if tech.heat_network is not None:
        out["pipes"] = tech.heat_network.lifetime_years
    return out


# (attribute, unit, description) of the comparison with doing nothing
AGAINST_DO_NOTHING = {
    "do_nothing_cost_gbp_per_year": ("GBP/yr", "system cost of today's system in the plan year"),
    "extra_cost_gbp_per_year": ("GBP/yr", "the plan's system cost less doing nothing's, "
                                "carbon at its appraisal value (system view)"),
    "extra_cost_excluding_carbon_gbp_per_year": (
        "GBP/yr", "the same, without the value of carbon (resource cost)"),
    "co2_saved_t_per_year": ("t/yr", "fall in the city's footprint (grid at its average "
                             "factor)"),
    "co2_valued_saved_t_per_year": ("t/yr", "fall in the emissions the objective values "
                                    "(grid at its long-run marginal factor)"),
    "cost_per_t_co2_saved_gbp_per_t": ("GBP/t", "extra resource cost per tonne of valued "
                                       "CO2 saved: compare with the carbon value"),
    "extra_renewable_generation_mwh_per_year": ("MWh/yr", "extra local renewable generation "
                                                "counted by the target"),
    "cost_per_extra_renewable_mwh_gbp_per_mwh": (
        "GBP/MWh", "extra system cost per extra MWh of counted local renewable generation"),
    "cost_per_household_lifted_gbp_per_year": (
        "GBP/yr", "the whole plan's extra system cost per household lifted out of fuel "
        "poverty (an average over everything the plan buys, not the marginal cost)"),
    "do_nothing_unserved_penalty_gbp_per_year": (
        "GBP/yr", "penalty for what today's system cannot serve (left out of its cost)"),
}


def against_do_nothing(plan: xr.Dataset, base: xr.Dataset) -> dict[str, float]:
    """The plan's headline figures as differences from doing nothing.

    Parameters
    ----------
    plan, base : xarray.Dataset
        Results of the plan and of :func:`energy_model.do_nothing.solve_do_nothing`.

    Returns
    -------
    dict
        Keyed as :data:`AGAINST_DO_NOTHING`; a ratio whose denominator is not positive
        is NaN.
    """
    p, b = plan.attrs, base.attrs

    def ratio(num: float, den: float) -> float:
        return num / den if den > 1e-9 else float("nan")

    extra = p["total_cost_gbp_per_year"] - b["total_cost_gbp_per_year"]
    extra_resource = extra - (p.get("carbon_value_gbp_per_year", 0.0)
                              - b.get("carbon_value_gbp_per_year", 0.0))
    valued = b["co2_valued_t_per_year"] - p["co2_valued_t_per_year"]
    renewable = (p["renewable_generation_counted_mwh_per_year"]
                 - b["renewable_generation_counted_mwh_per_year"])
    lifted = p.get("households_lifted_out_of_fuel_poverty", 0.0)
    return {
        "do_nothing_cost_gbp_per_year": b["total_cost_gbp_per_year"],
        "extra_cost_gbp_per_year": extra,
        "extra_cost_excluding_carbon_gbp_per_year": extra_resource,
        "co2_saved_t_per_year": b["co2_t_per_year"] - p["co2_t_per_year"],
        "co2_valued_saved_t_per_year": valued,
        "cost_per_t_co2_saved_gbp_per_t": ratio(extra_resource, valued),
        "extra_renewable_generation_mwh_per_year": renewable,
        "cost_per_extra_renewable_mwh_gbp_per_mwh": ratio(extra, renewable),
        "cost_per_household_lifted_gbp_per_year": ratio(extra, lifted),
        "do_nothing_unserved_penalty_gbp_per_year": b["unserved_penalty_gbp_per_year"],
    }
