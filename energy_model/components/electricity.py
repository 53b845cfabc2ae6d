"""The city's electricity bus: renewables, energy from waste, the grid and every load.

For each time step :math:`t` (standing for :math:`w_t` hours of the year):

.. math::

    \\sum_g G_{g,t} + E_t + I_t + D^{bat}_t =
        L_t + \\sum_z \\frac{s^{hp}_z H_{z,t}}{\\mathrm{COP}^{ind}_t}
        + \\frac{Q^{hp}_t}{\\mathrm{COP}^{cen}_t} + C^{bat}_t + X_t

    G_{g,t} \\le a_{g,t} P_g, \\qquad
    E_t + \\beta Q^{efw}_t \\le \\alpha \\bar E, \\qquad
    Q^{efw}_t \\le \\bar Q^{efw}, \\qquad I_t \\le \\bar I, \\qquad X_t \\le \\bar X

Grid cost :math:`w \\Delta t \\sum_t (p^{imp}_t I_t - p^{exp}_t X_t)`, with prices in the
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
are added by their own modules; this module reads them through ``m.electric_supply``
and ``m.electric_use`` lists of per-step expressions.
"""

from __future__ import annotations

import pyomo.environ as pyo

from energy_model.components import PENALTY_GBP_PER_UNIT
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
    m.cost_terms["renewable_variable_om"] = sum(
        w[t] * vom[g] * m.generation[g, t] for g in techs if vom[g] for t in m.T
    )
    m.electric_supply.append(lambda t: sum(m.generation[g, t] for g in techs))


def add_energy_from_waste(m: pyo.ConcreteModel, scenario: Scenario, inputs: ModelInputs) -> None:
    """Add the energy-from-waste plant: electric output less what heat offtake costs it."""
    efw = scenario.technologies.energy_from_waste
    if efw is None:
        return
    m.efw_electricity = pyo.Var(m.T, within=pyo.NonNegativeReals)
    m.efw_heat = pyo.Var(m.T, within=pyo.NonNegativeReals,
                         bounds=(0.0, efw.heat_offtake_capacity_mw))
    limit = efw.availability_fraction * efw.capacity_mw
    m.efw_output_limit = pyo.Constraint(
        m.T, rule=lambda _, t: m.efw_electricity[t] + efw.power_loss_per_heat * m.efw_heat[t]
        <= limit
    )
    w = inputs.step_weight_h.tolist()
    m.cost_terms["efw_variable_om"] = efw.variable_om_gbp_per_mwh * sum(
        w[t] * m.efw_electricity[t] for t in m.T
    )
    m.electric_supply.append(lambda t: m.efw_electricity[t])
    m.heat_injection["energy_from_waste"] = lambda t: m.efw_heat[t]


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
    m.cost_terms["grid_import"] = sum(w[t] * p_imp[t] * m.grid_import[t] for t in m.T)
    m.cost_terms["grid_export"] = -sum(w[t] * p_exp[t] * m.grid_export[t] for t in m.T)
    m.co2_terms["grid"] = sum(w[t] * co2[t] * m.grid_import[t] for t in m.T)
    m.valued_co2_terms["grid"] = sum(
        w[t] * marginal[t] * (m.grid_import[t] - m.grid_export[t]) for t in m.T)
    m.electric_supply.append(lambda t: m.grid_import[t])
    m.electric_use.append(lambda t: m.grid_export[t])


def add_electricity_balance(m: pyo.ConcreteModel, scenario: Scenario, inputs: ModelInputs) -> None:
    """Add supply = demand on the electricity bus in every step (its dual is the price)."""
    demand = sum(inputs.electricity_demand_mw.values())
    demand = [float(demand[t]) if hasattr(demand, "__len__") else 0.0 for t in range(len(m.T))]
    m.electricity_demand_mw = demand

    if m.elastic:
        m.unserved_electricity = pyo.Var(m.T, within=pyo.NonNegativeReals)
        m.electric_supply.append(lambda t: m.unserved_electricity[t])
        w = inputs.step_weight_h.tolist()
        m.cost_terms["unserved_electricity_penalty"] = PENALTY_GBP_PER_UNIT * sum(
            w[t] * m.unserved_electricity[t] for t in m.T)

    def balance(_, t):
        supply = sum(f(t) for f in m.electric_supply)
        use = sum(f(t) for f in m.electric_use)
        return supply == demand[t] + use

    m.electricity_balance = pyo.Constraint(m.T, rule=balance)
