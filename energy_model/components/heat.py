"""Heat: how each zone's buildings are heated, and the heat network's central plant.

Each zone :math:`z` splits its heat demand :math:`H_{z,t}` between individual gas
boilers, individual heat pumps and the heat network, as shares of its buildings
(linear because the demand profile is given):

.. math::

    s^{gas}_z + s^{hp}_z + s^{dh}_z = 1, \\qquad
    \\underline s^{hp}_z \\le s^{hp}_z \\le \\hat s^{hp}_z, \\qquad
    \\underline s^{dh}_z \\le s^{dh}_z \\le \\hat s^{dh}_z

Heat pumps draw :math:`s^{hp}_z H_{z,t} / \\mathrm{COP}_t` from the electricity bus and
cost their installed cost per home (:func:`heat_pump_capex_per_share`), with fixed O&M on
the zone's hourly peak :math:`\\hat H_z`; homes that stay on gas pay their boiler's
annuity (it is replaced at the end of its life) and O&M on the same peak; boilers burn
:math:`s^{gas}_z H_{z,t} / \\eta`. The network share :math:`s^{dh}_z H_{z,t}` is met by
the heat network (:mod:`energy_model.components.heat_network`) from central plant
:math:`Q^k_t \\le P_k` (gas boilers, heat pumps, geothermal).

New network connections cost, per zone, households x connection cost plus annual heat
x in-zone distribution cost (both annualised), on the share newly connected.

=======================  ============================  =====
symbol                   Pyomo name                    unit
=======================  ============================  =====
:math:`s^{hp}_z`         ``m.heat_pump_share``         -
:math:`s^{dh}_z`         ``m.heat_network_share``      -
:math:`Q^k_t`            ``m.central_heat``            MW
=======================  ============================  =====
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from energy_model import technologies as registry
from energy_model.components.terms import (
    BUILDINGS,
    CITY_NODE,
    Capital,
    Increment,
    annuity_factor,
)
from energy_model.inputs import ModelInputs
from energy_model.scenario import Scenario

# The network's central plant: city-level technologies that make heat
CENTRAL = registry.technologies(level="city", carrier_out="heat")
HEAT_PUMPS = registry.technologies(level="city", profile="cop")


def add_heating_shares(m: pyo.ConcreteModel, scenario: Scenario, inputs: ModelInputs) -> None:
    """Add each zone's heating mix, its individual heat pumps and boilers, and their costs."""
    t_ = scenario.technologies
    zones = scenario.zones
    m.Z = pyo.Set(initialize=list(zones), ordered=True)
    hp, gb, dh = t_.individual_heat_pump, t_.individual_gas_boiler, t_.heat_network

    def hp_bounds(_, z):
        return (zones[z].existing_heat_pump_share, zones[z].max_heat_pump_share if hp else 0.0)

    def dh_bounds(_, z):
        reachable = dh is not None and z in m.layout.zone_node
        return (zones[z].existing_heat_network_share,
                zones[z].max_heat_network_share if reachable else 0.0)

    m.heat_pump_share = pyo.Var(m.Z, bounds=hp_bounds)
    m.heat_network_share = pyo.Var(m.Z, bounds=dh_bounds)
    m.gas_boiler_share = pyo.Expression(
        m.Z, rule=lambda _, z: 1.0 - m.heat_pump_share[z] - m.heat_network_share[z])
    heat = {z: inputs.heat_demand_mw.get(z, [0.0] * len(m.T)) for z in zones}
    heat = {z: [float(v) for v in h] for z, h in heat.items()}

    def mix(_, z):
        if gb is None and any(heat[z]):
            return m.gas_boiler_share[z] == 0
        return m.gas_boiler_share[z] >= 0

    m.heat_mix = pyo.Constraint(m.Z, rule=mix)
    peak = {z: inputs.heat_peak_mw.get(z, 0.0) for z in zones}
    r = scenario.finance.discount_rate

    if hp is not None:
        inv_cop = (1.0 / inputs.cop["individual_heat_pump"]).tolist()
        m.terms.use("electricity", "individual_heat_pump", lambda t: inv_cop[t] * sum(
            heat[z][t] * m.heat_pump_share[z] for z in zones if heat[z][t]))
        capex = {z: heat_pump_capex_per_share(scenario, inputs, z) for z in zones}
        om = {z: hp.fixed_om_fraction_per_year * hp.capex_gbp_per_kw * 1000.0 * peak[z]
              for z in zones}
        m.terms.capital(Capital("individual_heat_pump", "individual_heat_pump",
                                hp.lifetime_years, tuple(
            Increment(f"heat_pump_share/{z}", capex[z], lambda b, z=z: b.heat_pump_share[z],
                      zones[z].existing_heat_pump_share) for z in zones)))
        m.terms.operating("individual_heat_pump", sum(om[z] * m.heat_pump_share[z]
                                                      for z in zones))
    if gb is not None:
        annual = {z: float(np.dot(heat[z], inputs.step_weight_h)) for z in zones}
        m.terms.fuel("individual_gas_boiler", sum(
            annual[z] / gb.efficiency * m.gas_boiler_share[z] for z in zones if annual[z]))
        # A boiler is replaced at the end of its life: in a year of the plan, each home on
        # gas pays its boiler's annuity as a home on a heat pump pays its heat pump's. It
        # is a running cost of staying on gas, not capital the plan spends.
        m.terms.operating("individual_gas_boiler", (
            annuity_factor(r, gb.lifetime_years) + gb.fixed_om_fraction_per_year) * sum(
            gb.capex_gbp_per_kw * 1000.0 * peak[z] * m.gas_boiler_share[z] for z in zones))
    if dh is not None:
        annual_heat = inputs.heat_annual_mwh or {  # the year of the profile the model uses
            z: zones[z].domestic_heat_mwh_per_year + zones[z].non_domestic_heat_mwh_per_year
            for z in zones}
        per_share = {z: zones[z].households * dh.connection_capex_gbp_per_household
                     + annual_heat[z] * dh.network_capex_gbp_per_mwh_per_year for z in zones}
        m.terms.capital(Capital("heat_network", "heat_network", dh.lifetime_years, tuple(
            Increment(f"heat_network_share/{z}", per_share[z],
                      lambda b, z=z: b.heat_network_share[z],
                      zones[z].existing_heat_network_share) for z in zones)))
        m.terms.operating("heat_network", sum(
            per_share[z] * dh.fixed_om_fraction_per_year * m.heat_network_share[z]
            for z in zones))
    m.zone_heat_mw = heat
    _declare_building_heat(m, heat)


def _declare_building_heat(m: pyo.ConcreteModel, heat: dict[str, list[float]]) -> None:
    """Declare how buildings' heat demand is met (an account: the shares add up to 1)."""
    zones = list(heat)
    for name, share in (("individual_gas_boiler", m.gas_boiler_share),
                        ("individual_heat_pump", m.heat_pump_share),
                        ("heat_network", m.heat_network_share)):
        m.terms.supply("heat", name, lambda t, share=share: sum(
            heat[z][t] * share[z] for z in zones if heat[z][t]), node=BUILDINGS)
    m.terms.use("heat", "buildings", lambda t: sum(heat[z][t] for z in zones), node=BUILDINGS,
                description="space heat and hot water")


def heat_pump_capex_per_share(scenario: Scenario, inputs: ModelInputs, zone: str) -> float:
    """Overnight cost of putting all of a zone's buildings on individual heat pumps [GBP].

    Homes cost ``installed_cost_gbp_per_household`` each where the scenario gives it (the
    whole installed cost, grant included: a grant moves cost, it does not remove it), and
    non-domestic buildings ``capex_gbp_per_kw`` on their share of the zone's peak heat;
    without a per-home cost, every building is priced per kW of peak.
    """
    hp = scenario.technologies.individual_heat_pump
    peak_kw = inputs.heat_peak_mw.get(zone, 0.0) * 1000.0
    if hp.installed_cost_gbp_per_household is None:
        return hp.capex_gbp_per_kw * peak_kw
    z = scenario.zones[zone]
    total = z.domestic_heat_mwh_per_year + z.non_domestic_heat_mwh_per_year
    non_domestic = z.non_domestic_heat_mwh_per_year / total if total else 0.0
    return (hp.installed_cost_gbp_per_household * z.households
            + hp.capex_gbp_per_kw * peak_kw * non_domestic)


def add_central_heat(m: pyo.ConcreteModel, scenario: Scenario, inputs: ModelInputs) -> None:
    """Add the heat network's central plant: gas boilers, heat pumps and geothermal."""
    t_ = scenario.technologies
    plants = [k for k in CENTRAL if k in m.K]
    m.H = pyo.Set(initialize=plants, ordered=True)
    m.central_heat = pyo.Var(m.H, m.T, within=pyo.NonNegativeReals)
    m.central_heat_limit = pyo.Constraint(
        m.H, m.T, rule=lambda _, k, t: m.central_heat[k, t] <= m.capacity[k])
    w = inputs.step_weight_h.tolist()
    m.terms.operating("central_heat_variable_om", sum(
        w[t] * getattr(t_, k).variable_om_gbp_per_mwh * m.central_heat[k, t]
        for k in plants if getattr(t_, k).variable_om_gbp_per_mwh for t in m.T))
    if "central_gas_boiler" in plants:
        m.terms.fuel("central_gas_boiler", sum(
            w[t] * m.central_heat["central_gas_boiler", t] for t in m.T
        ) / t_.central_gas_boiler.efficiency)
    for k in (k for k in HEAT_PUMPS if k in plants):
        inv_cop = (1.0 / inputs.cop[k]).tolist()
        m.terms.use("electricity", k,
                    lambda t, k=k, inv_cop=inv_cop: inv_cop[t] * m.central_heat[k, t])
    for k in plants:
        m.terms.supply("heat", k, lambda t, k=k: m.central_heat[k, t],
                       node=m.layout.tech_node.get(k, CITY_NODE))
