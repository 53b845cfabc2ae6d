"""Fuel poverty: fabric retrofit, and the fuel-poor households each intervention lifts.

England's Low Income Low Energy Efficiency measure counts a low-income household as fuel
poor when its home rates below band C. Three interventions treat a share of each zone's
homes: fabric retrofit :math:`r_z`, a new heat-network connection
:math:`s^{dh}_z - \\underline s^{dh}_z` and a new heat pump :math:`s^{hp}_z - \\underline
s^{hp}_z` (the last two from :mod:`energy_model.components.heat`). A share
:math:`\\tau` (the targeting rate) of the homes they treat is chosen because it is fuel
poor; the rest reach fuel-poor homes at the zone's fuel-poverty rate :math:`p_z = F_z/N_z`.
A share :math:`\\lambda_i` of the fuel-poor homes reached is lifted to band C (zero for an
intervention that would raise the household's bill):

.. math::

    0 \\le R_{z,i} \\le (\\tau + (1 - \\tau) p_z) N_z n_{z,i}, \\qquad
    \\sum_i R_{z,i} \\le F_z, \\qquad L = \\sum_{z,i} \\lambda_i R_{z,i}

with :math:`N_z` households, :math:`F_z` fuel-poor households and :math:`n_{z,i}` the share
treated: zones with more fuel poverty are reached more cheaply, so they come first.
Retrofit lowers the heat demand of the homes it treats by the saving fraction
:math:`f`; treated homes keep their gas boilers (:math:`r_z \\le s^{gas}_z`), so the saving
is gas not burnt: :math:`f \\, r_z \\, \\delta_z \\sum_t H_{z,t} \\Delta t \\, w / \\eta`,
with :math:`\\delta_z` the domestic share of the zone's heat.

Targets (each optional): :math:`L \\ge L_{min}`; :math:`\\sum_z F_z - L \\le \\rho \\sum_z
N_z`; private homes improved :math:`\\sum_z (1 - \\sigma_z) N_z \\sum_i n_{z,i} \\ge P`; a
social value per household lifted lowers the objective.

=====================  ==============================  =====
symbol                 Pyomo name                      unit
=====================  ==============================  =====
:math:`r_z`            ``m.retrofit_share``            -
:math:`R_{z,i}`        ``m.fuel_poor_reached``         households
:math:`L`              ``m.households_lifted``         households
=====================  ==============================  =====
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from energy_model.components.terms import Capital, Increment, Target
from energy_model.inputs import ModelInputs
from energy_model.scenario import Scenario

INTERVENTIONS = ("retrofit", "heat_network", "heat_pump")


def domestic_fraction(scenario: Scenario, zone: str) -> float:
    """Share of a zone's heat demand that is domestic."""
    z = scenario.zones[zone]
    total = z.domestic_heat_mwh_per_year + z.non_domestic_heat_mwh_per_year
    return z.domestic_heat_mwh_per_year / total if total else 0.0


def seasonal_cop(inputs: ModelInputs, zone: str) -> float | None:
    """Heat-weighted mean COP of individual heat pumps in a zone (None without them)."""
    cop = inputs.cop.get("individual_heat_pump")
    heat = inputs.heat_demand_mw.get(zone)
    if cop is None or heat is None or not np.sum(heat):
        return None
    return float(np.sum(heat) / np.sum(heat / cop))


HEATING_OPTIONS = ("gas_boiler", "heat_pump", "heat_network")


def bills_by_option(scenario: Scenario, inputs: ModelInputs) -> dict[str, dict[str, float]]:
    """Annual energy bill of a zone's typical home by heating option, with and without a
    fabric retrofit [GBP/yr]: the household view (retail unit rates and standing charges).

    A typical home uses its zone's domestic electricity and heat per household. A gas
    boiler burns heat / efficiency at the gas rate and pays the gas standing charge; a
    heat pump uses heat / its seasonal COP at the electricity rate and drops the gas
    standing charge; a network home pays the heat rate and standing charge. A retrofit
    cuts heat by the retrofit's saving fraction.

    Returns
    -------
    dict
        ``{zone: {"gas_boiler": ..., "gas_boiler_retrofit": ..., "heat_pump": ...,
        "heat_pump_retrofit": ..., "heat_network": ..., "heat_network_retrofit": ...}}``;
        options the scenario lacks are absent.
    """
    fp = scenario.fuel_poverty
    tech = scenario.technologies
    if fp is None or tech.individual_gas_boiler is None:
        return {}
    tariff = fp.tariffs
    eta = tech.individual_gas_boiler.efficiency
    kept = {"": 1.0}
    if tech.retrofit is not None:
        kept["_retrofit"] = 1 - tech.retrofit.heat_saving_fraction
    bills: dict[str, dict[str, float]] = {}
    for name, z in scenario.zones.items():
        if z.households == 0:
            continue
        power = (z.domestic_electricity_mwh_per_year / z.households
                 * tariff.electricity_gbp_per_mwh + 365 * tariff.electricity_standing_gbp_per_day)
        cop = seasonal_cop(inputs, name)
        zone_bills = {}
        for suffix, share in kept.items():
            heat = share * z.domestic_heat_mwh_per_year / z.households
            zone_bills["gas_boiler" + suffix] = (power + heat / eta * tariff.gas_gbp_per_mwh
                                                 + 365 * tariff.gas_standing_gbp_per_day)
            if tech.heat_network is not None:
                zone_bills["heat_network" + suffix] = (
                    power + heat * tariff.heat_gbp_per_mwh
                    + 365 * tariff.heat_standing_gbp_per_day)
            if cop is not None:
                zone_bills["heat_pump" + suffix] = power + heat / cop * \
                    tariff.electricity_gbp_per_mwh
        bills[name] = zone_bills
    return bills


def household_bills(scenario: Scenario, inputs: ModelInputs) -> dict[str, dict[str, float]]:
    """Annual energy bill of a typical household per zone [GBP/yr], before and after each
    intervention (the household view, from :func:`bills_by_option`).

    Returns
    -------
    dict
        ``{zone: {"before": ..., "retrofit": ..., "heat_network": ..., "heat_pump": ...}}``;
        an intervention the scenario lacks is absent.
    """
    names = {"before": "gas_boiler", "retrofit": "gas_boiler_retrofit",
             "heat_network": "heat_network", "heat_pump": "heat_pump"}
    return {z: {i: b[o] for i, o in names.items() if o in b}
            for z, b in bills_by_option(scenario, inputs).items()}


def effective_lift_shares(scenario: Scenario, inputs: ModelInputs) -> dict[str, dict[str, float]]:
    """Lift share per zone and intervention: the stated share, or zero where the
    intervention would raise the household's bill."""
    bills = household_bills(scenario, inputs)
    stated = scenario.fuel_poverty.lift_share.model_dump() if scenario.fuel_poverty else {}
    return {z: {i: (stated[i] if i in b and b[i] < b["before"] else 0.0) for i in INTERVENTIONS}
            for z, b in bills.items()}


def reach_per_home(scenario: Scenario, zone: str) -> float:
    """Fuel-poor homes reached per home an intervention treats in a zone."""
    z = scenario.zones[zone]
    tau = scenario.fuel_poverty.targeting_rate
    rate = z.fuel_poor_households / z.households if z.households else 0.0
    return tau + (1 - tau) * rate


def greedy_lifted(fuel_poor: float, reach: dict[str, float], lift: dict[str, float]) -> float:
    """Most households lifted in a zone: fuel-poor homes go to the best-lifting
    intervention first, each reaching at most ``reach[i]`` of them."""
    left = fuel_poor
    lifted = 0.0
    for i in sorted(reach, key=lambda k: -lift.get(k, 0.0)):
        taken = min(left, reach[i])
        lifted += lift.get(i, 0.0) * taken
        left -= taken
    return lifted


def max_households_lifted(scenario: Scenario, inputs: ModelInputs) -> float:
    """The most households the scenario's interventions and limits could lift."""
    fp = scenario.fuel_poverty
    if fp is None:
        return 0.0
    lift = effective_lift_shares(scenario, inputs)
    tech = scenario.technologies
    total = 0.0
    for name, z in scenario.zones.items():
        room = {"retrofit": z.max_retrofit_share if tech.retrofit else 0.0,
                "heat_network": (z.max_heat_network_share - z.existing_heat_network_share)
                if tech.heat_network else 0.0,
                "heat_pump": (z.max_heat_pump_share - z.existing_heat_pump_share)
                if tech.individual_heat_pump else 0.0}
        reach = {i: reach_per_home(scenario, name) * z.households * r for i, r in room.items()}
        total += greedy_lifted(z.fuel_poor_households, reach, lift.get(name, {}))
    return total


def add_retrofit(m: pyo.ConcreteModel, scenario: Scenario, inputs: ModelInputs) -> None:
    """Add each zone's retrofit share, the gas it saves and what it costs."""
    retrofit = scenario.technologies.retrofit
    zones = scenario.zones
    m.retrofit_share = pyo.Var(m.Z, bounds=lambda _, z: (
        0.0, zones[z].max_retrofit_share if retrofit else 0.0))
    if retrofit is None or scenario.technologies.individual_gas_boiler is None:
        # no retrofit (it saves boilers' gas): zero, with a value for the results
        m.retrofit_share.fix(0.0)
        return
    m.retrofit_keeps_boiler = pyo.Constraint(
        m.Z, rule=lambda _, z: m.retrofit_share[z] <= m.gas_boiler_share[z])
    eta = scenario.technologies.individual_gas_boiler.efficiency
    saved_heat = {z: retrofit.heat_saving_fraction * domestic_fraction(scenario, z)
                  * float(np.dot(m.zone_heat_mw[z], inputs.step_weight_h)) for z in zones}
    m.terms.fuel("retrofit_saving", -sum(saved_heat[z] / eta * m.retrofit_share[z]
                                         for z in zones))
    m.terms.capital(Capital("retrofit", "retrofit", retrofit.lifetime_years, tuple(
        Increment(f"retrofit_share/{z}", retrofit.capex_gbp_per_household * zones[z].households,
                  lambda b, z=z: b.retrofit_share[z]) for z in zones)))


def treated_shares(m: pyo.ConcreteModel, scenario: Scenario) -> dict[tuple[str, str], object]:
    """Share of each zone's homes each intervention newly treats (Pyomo expressions)."""
    zones = scenario.zones
    out = {}
    for z in zones:
        out[z, "retrofit"] = m.retrofit_share[z]
        out[z, "heat_network"] = m.heat_network_share[z] - zones[z].existing_heat_network_share
        out[z, "heat_pump"] = m.heat_pump_share[z] - zones[z].existing_heat_pump_share
    return out


def add_fuel_poverty(m: pyo.ConcreteModel, scenario: Scenario, inputs: ModelInputs) -> None:
    """Add the fuel-poor households reached and lifted, and the fuel-poverty targets."""
    fp = scenario.fuel_poverty
    if fp is None:
        return
    zones = scenario.zones
    lift = effective_lift_shares(scenario, inputs)
    treated = treated_shares(m, scenario)
    m.I = pyo.Set(initialize=INTERVENTIONS, ordered=True)
    m.fuel_poor_reached = pyo.Var(m.Z, m.I, within=pyo.NonNegativeReals)
    m.fuel_poor_reach_limit = pyo.Constraint(
        m.Z, m.I, rule=lambda _, z, i: m.fuel_poor_reached[z, i]
        <= reach_per_home(scenario, z) * zones[z].households * treated[z, i])
    m.fuel_poor_total = pyo.Constraint(
        m.Z, rule=lambda _, z: sum(m.fuel_poor_reached[z, i] for i in m.I)
        <= zones[z].fuel_poor_households)
    m.households_lifted = pyo.Expression(expr=sum(
        lift.get(z, {}).get(i, 0.0) * m.fuel_poor_reached[z, i] for z in zones for i in m.I))
    target = scenario.targets.fuel_poverty
    if target is None:
        return
    key = "targets.fuel_poverty"
    if target.min_households_lifted is not None:
        m.terms.target(m, Target(
            "fuel_poverty_target", "the households lifted out of fuel poverty "
            f"({key}.min_households_lifted)", "households_lifted_shortfall",
            "households lifted out of fuel poverty short by", "households", "households_lifted"),
            lambda slack: m.households_lifted + slack >= target.min_households_lifted)
    if target.max_fuel_poverty_rate is not None:
        households, fuel_poor = scenario.households, scenario.fuel_poor_households
        m.terms.target(m, Target(
            "fuel_poverty_rate_cap", f"the fuel-poverty rate cap ({key}.max_fuel_poverty_rate)",
            "fuel_poor_excess_households", "fuel-poverty rate cap exceeded by", "households"),
            lambda slack: fuel_poor - m.households_lifted - slack
            <= target.max_fuel_poverty_rate * households)
    if target.min_private_homes_improved is not None:
        m.terms.target(m, Target(
            "private_homes_target", f"the private homes improved ({key}."
            "min_private_homes_improved)", "private_homes_shortfall",
            "private homes improved short by", "homes"),
            lambda slack: sum(
                (1 - zones[z].social_housing_share) * zones[z].households * treated[z, i]
                for z in zones for i in INTERVENTIONS) + slack
            >= target.min_private_homes_improved)
    value = target.social_value_gbp_per_household_lifted_per_year
    if value:
        m.terms.operating("fuel_poverty_social_value", -value * m.households_lifted)
