"""Targets and caps: local renewable generation, CO2 and the capital budget.

.. math::

    w \\Delta t \\sum_t \\Big( \\sum_{g \\in R} G_{g,t} + \\phi E_t + Q^{geo}_t \\Big)
        \\ge B \\cdot k
    \\qquad
    \\sum_{c} \\mathrm{CO2}_c \\le \\overline{\\mathrm{CO2}}
    \\qquad
    \\sum_{c} \\mathrm{CAPEX}_c \\le \\overline{\\mathrm{CAPEX}}

where :math:`R` is the target's ``counts`` list, :math:`\\phi` the biogenic share of
energy from waste (when counted), :math:`B` the baseline and :math:`k` the multiplier.
The duals of these constraints are the shadow prices reported in the summary (GBP per
MWh of target, per t of CO2, per GBP of budget).

====================  =============================  ========
symbol                Pyomo name                     unit
====================  =============================  ========
(left side)           ``m.renewable_generation_mwh``  MWh/yr
(target)              ``m.renewable_target``         MWh/yr
(cap)                 ``m.co2_cap``                  t/yr
(budget)              ``m.capex_budget``             GBP
(elastic slacks)      ``m.renewable_shortfall_mwh``,
                      ``m.co2_excess_t``,
                      ``m.capex_excess_gbp``         MWh/yr, t/yr, GBP
====================  =============================  ========
"""

from __future__ import annotations

import pyomo.environ as pyo

from energy_model.components import PENALTY_GBP_PER_UNIT
from energy_model.inputs import ModelInputs
from energy_model.scenario import Scenario


def renewable_generation_expression(m: pyo.ConcreteModel, counts: list[str],
                                    scenario: Scenario, inputs: ModelInputs):
    """Annual local renewable generation [MWh/yr] of the technologies in ``counts``."""
    w = inputs.step_weight_h.tolist()
    terms = []
    for k in counts:
        if hasattr(m, "G") and k in m.G:
            terms.append(sum(w[t] * m.generation[k, t] for t in m.T))
        elif k == "energy_from_waste" and hasattr(m, "efw_electricity"):
            phi = scenario.technologies.energy_from_waste.biogenic_fraction
            terms.append(phi * sum(w[t] * m.efw_electricity[t] for t in m.T))
        elif k == "geothermal" and hasattr(m, "H") and k in m.H:
            terms.append(sum(w[t] * m.central_heat[k, t] for t in m.T))
    return sum(terms)


def add_renewable_target(m: pyo.ConcreteModel, scenario: Scenario, inputs: ModelInputs) -> None:
    """Add annual local renewable generation >= baseline x multiplier, if the scenario sets it."""
    target = scenario.targets.renewable_generation
    counts = target.counts if target else ["rooftop_pv", "ground_pv", "wind"]
    m.renewable_generation_mwh = pyo.Expression(
        expr=renewable_generation_expression(m, counts, scenario, inputs))
    if target is not None:
        shortfall = _slack(m, "renewable_shortfall_mwh")
        m.renewable_target = pyo.Constraint(
            expr=m.renewable_generation_mwh + shortfall >= target.target_mwh_per_year)


def add_co2_cap(m: pyo.ConcreteModel, scenario: Scenario, inputs: ModelInputs) -> None:
    """Add annual CO2 below the cap, if the scenario sets one."""
    m.co2_t = pyo.Expression(expr=sum(m.co2_terms.values()))
    cap = scenario.targets.co2_cap_t_per_year
    if cap is not None:
        m.co2_cap = pyo.Constraint(expr=m.co2_t - _slack(m, "co2_excess_t") <= cap)


def add_capex_budget(m: pyo.ConcreteModel, scenario: Scenario, inputs: ModelInputs) -> None:
    """Add overnight capital spending on new builds below the budget, if the scenario sets one."""
    m.capex_gbp = pyo.Expression(expr=sum(m.capex_terms.values()))
    budget = scenario.targets.capex_budget_gbp
    if budget is not None:
        m.capex_budget = pyo.Constraint(expr=m.capex_gbp - _slack(m, "capex_excess_gbp") <= budget)


def _slack(m: pyo.ConcreteModel, name: str):
    """A penalised slack variable in an elastic model, else 0."""
    if not m.elastic:
        return 0.0
    var = pyo.Var(within=pyo.NonNegativeReals)
    m.add_component(name, var)
    m.cost_terms[f"{name}_penalty"] = PENALTY_GBP_PER_UNIT * var
    return var
