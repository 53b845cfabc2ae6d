"""The city's electricity bus: renewables, energy from waste, the grid and every load.

For each time step :math:`t` (standing for :math:`w_t` hours of the year):

.. math::

    \\sum_g G_{g,t} + E_t + I_t + D^{bat}_t =
        L_t + \\sum_z \\frac{s^{hp}_z H_{z,t}}{\\mathrm{COP}^{ind}_t}
        + \\frac{Q^{hp}_t}{\\mathrm{COP}^{cen}_t} + C^{bat}_t + X_t

    G_{g,t} \\le a_{g,t} P_g, \\qquad
    E_t + \\beta Q^{efw}_t \\le u_t \\alpha \\bar E, \\qquad
    Q^{efw}_t \\le u_t \\bar Q^{efw}, \\qquad I_t \\le \\bar I, \\qquad X_t \\le \\bar X

with :math:`u_t` the share of step :math:`t` the waste plant's contract runs
(:func:`efw_contract_share`). Grid cost
:math:`w \\Delta t \\sum_t (p^{imp}_t I_t - p^{exp}_t X_t)`, with prices in the
system view (:mod:`energy_model.prices`); the city's emissions (footprint)
:math:`w \\Delta t \\sum_t e_t I_t` at the average factor :math:`e_t`, and the emissions
the objective values :math:`w \\Delta t \\sum_t e^{marg}_t (I_t - X_t)` at the long-run
marginal factor: an export displaces generation elsewhere.

==========================  =======================  ========
symbol                      Pyomo name               unit
==========================  =======================  ========
:math:`G_{g,t}`             ``m.generation``         MW
:math:`E_t`                 ``m.efw_electricity``    MW
:math:`Q^{efw}_t`           ``m.efw_heat``           MW
:math:`I_t`, :math:`X_t`    ``m.grid_import``,
                            ``m.grid_export``        MW
(balance)                   ``m.electricity_balance``  MW
(elastic slack)             ``m.unserved_electricity`` MW
==========================  =======================  ========

The battery (:math:`C^{bat}, D^{bat}`), heat pumps (:math:`s^{hp}_z`, :math:`Q^{hp}_t`)
and the server centre are added by their own modules, which declare their flows of
electricity in ``m.terms``; the balance is built from every declared flow once all are
declared (:func:`energy_model.components.balances.add_balances`).
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from energy_model.components.terms import CITY_NODE, Bus
from energy_model.inputs import VRE, ModelInputs
from energy_model.scenario import Scenario


def add_renewables(m: pyo.ConcreteModel, scenario: Scenario, inputs: ModelInputs) -> None:
    """Add variable renewables: output below capacity x capacity factor (curtailment allowed)."""
    techs = [g for g in VRE if g in m.K]
    m.G = pyo.Set(initialize=techs, ordered=True)
    cf = {g: inputs.capacity_factor[g].tolist() for g in techs}
    m.generation = pyo.Var(m.G, m.T, within=pyo.NonNegativeReals)
    m.renewable_limit = pyo.Constraint(
        m.G, m.T, rule=lambda _, g, t: m.generation[g, t] <= cf[g][t] * m.capacity[g]
    )
    vom = {g: getattr(scenario.technologies, g).variable_om_gbp_per_mwh for g in techs}
    w = inputs.step_weight_h.tolist()
    m.terms.operating("renewable_variable_om", sum(
        w[t] * vom[g] * m.generation[g, t] for g in techs if vom[g] for t in m.T))
    for g in techs:
        m.terms.supply("electricity", g, lambda t, g=g: m.generation[g, t])


def efw_contract_share(scenario: Scenario, inputs: ModelInputs) -> np.ndarray:
    """Share of each step the energy-from-waste plant runs under its contract [-].

    1 up to ``contract_end_date`` (the last day it runs), 0 after, unless
    ``after_contract`` is ``replaced``; a year wholly before or after the end is all 1 or
    all 0. With representative days, a typical day gets the share of the calendar days it
    stands for that fall before the end.
    """
    efw = scenario.technologies.energy_from_waste
    n = inputs.n_steps
    end = efw.contract_end_date
    year = scenario.modelled_year
    if end is None or efw.after_contract == "replaced" or year < end.year:
        return np.ones(n)
    if year > end.year:
        return np.zeros(n)
    last_day = end.timetuple().tm_yday
    if inputs.day_order is None:
        return (np.asarray(inputs.time.dayofyear) <= last_day).astype(float)
    order = np.asarray(inputs.day_order, dtype=int)
    before = np.arange(1, len(order) + 1) <= last_day
    per_day = inputs.steps_per_day
    share = [float(before[order == c].mean()) if (order == c).any() else 0.0
             for c in range(n // per_day)]
    return np.repeat(share, per_day)


def add_energy_from_waste(m: pyo.ConcreteModel, scenario: Scenario, inputs: ModelInputs) -> None:
    """Add the energy-from-waste plant: electric output less what heat offtake costs it,
    while its contract runs (:func:`efw_contract_share`)."""
    efw = scenario.technologies.energy_from_waste
    if efw is None:
        return
    running = efw_contract_share(scenario, inputs).tolist()
    m.efw_contract_share = running
    m.efw_electricity = pyo.Var(m.T, within=pyo.NonNegativeReals)
    m.efw_heat = pyo.Var(m.T, within=pyo.NonNegativeReals,
                         bounds=lambda _, t: (0.0, efw.heat_offtake_capacity_mw * running[t]))
    limit = efw.availability_fraction * efw.capacity_mw
    m.efw_output_limit = pyo.Constraint(
        m.T, rule=lambda _, t: m.efw_electricity[t] + efw.power_loss_per_heat * m.efw_heat[t]
        <= limit * running[t]
    )
    w = inputs.step_weight_h.tolist()
    m.terms.operating("efw_variable_om", efw.variable_om_gbp_per_mwh * sum(
        w[t] * m.efw_electricity[t] for t in m.T))
    m.terms.supply("electricity", "energy_from_waste", lambda t: m.efw_electricity[t])
    m.terms.supply("heat", "energy_from_waste", lambda t: m.efw_heat[t],
                   node=m.layout.tech_node.get("energy_from_waste", CITY_NODE))


def add_grid(m: pyo.ConcreteModel, scenario: Scenario, inputs: ModelInputs) -> None:
    """Add grid import and export with their limits, prices and the import's carbon."""
    g = scenario.grid
    m.grid_import = pyo.Var(m.T, within=pyo.NonNegativeReals, bounds=(0.0, g.import_limit_mw))
    m.grid_export = pyo.Var(m.T, within=pyo.NonNegativeReals, bounds=(0.0, g.export_limit_mw))
    p_imp = inputs.import_price_gbp_per_mwh.tolist()
    p_exp = inputs.export_price_gbp_per_mwh.tolist()
    co2 = inputs.grid_co2_t_per_mwh.tolist()
    marginal = co2 if inputs.grid_marginal_co2_t_per_mwh is None \
        else inputs.grid_marginal_co2_t_per_mwh.tolist()
    w = inputs.step_weight_h.tolist()
    m.terms.operating("grid_import", sum(w[t] * p_imp[t] * m.grid_import[t] for t in m.T))
    m.terms.operating("grid_export", -sum(w[t] * p_exp[t] * m.grid_export[t] for t in m.T))
    m.terms.emissions("grid", sum(w[t] * co2[t] * m.grid_import[t] for t in m.T), sum(
        w[t] * marginal[t] * (m.grid_import[t] - m.grid_export[t]) for t in m.T))
    m.terms.supply("electricity", "grid_import", lambda t: m.grid_import[t])
    m.terms.use("electricity", "grid_export", lambda t: m.grid_export[t])


def add_electricity_demand(m: pyo.ConcreteModel, scenario: Scenario,
                           inputs: ModelInputs) -> None:
    """Declare the buildings' electricity demand and the city's electricity bus."""
    demand = sum(inputs.electricity_demand_mw.values())
    demand = [float(demand[t]) if hasattr(demand, "__len__") else 0.0 for t in range(len(m.T))]
    m.electricity_demand_mw = demand
    m.terms.use("electricity", "buildings", lambda t: demand[t],
                description="homes and non-domestic buildings, excluding heat pumps")
    m.terms.bus(Bus("electricity", (CITY_NODE,), "electricity_balance",
                    slack="unserved_electricity"))
