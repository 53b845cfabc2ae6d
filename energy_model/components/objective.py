"""Fuel, the value of carbon and the objective: the annual cost of the plan to the system.

.. math::

    \\min \\; \\sum_c C_c + p^{gas} F + v^{CO2} \\Big( e^{gas} F
        + \\sum_t w_t e^{marg}_t (I_t - X_t) \\Big)

where :math:`C_c` are the annual costs the components declared in ``m.terms`` (annualised capital,
fixed and variable O&M, grid import less export at system prices), :math:`F = \\sum_c F_c`
the annual gas use [MWh/yr] at its system price :math:`p^{gas}`, and :math:`v^{CO2}` the
appraisal value of carbon (``carbon.co2_value_gbp_per_t``) on the emissions a plan
changes: gas burnt, and grid electricity at its long-run marginal factor. The city's
footprint ``m.co2_t`` (reported, and what a CO2 cap limits) counts grid import at the
average factor instead. No levy, VAT or standing charge enters: those are the household
view (:func:`energy_model.components.fuel_poverty.household_bills`).

=================  ====================  ======
symbol             Pyomo name            unit
=================  ====================  ======
:math:`F`          ``m.gas_mwh``         MWh/yr
(valued CO2)       ``m.co2_valued_t``    t/yr
(objective)        ``m.total_cost``      GBP/yr
=================  ====================  ======
"""

from __future__ import annotations

import pyomo.environ as pyo

from energy_model.inputs import ModelInputs
from energy_model.scenario import Scenario


def add_gas(m: pyo.ConcreteModel, scenario: Scenario, inputs: ModelInputs) -> None:
    """Add annual gas use with its cost and emissions."""
    m.gas_mwh = pyo.Expression(expr=sum(m.terms.gas.values()))
    if scenario.gas is not None:
        m.terms.operating("gas", scenario.gas.price_gbp_per_mwh * m.gas_mwh)
        m.terms.emissions("gas", scenario.gas.co2_t_per_mwh * m.gas_mwh)


def add_objective(m: pyo.ConcreteModel, scenario: Scenario, inputs: ModelInputs) -> None:
    """Minimise annual system cost, with the emissions the plan changes at the carbon value."""
    m.co2_valued_t = pyo.Expression(expr=sum(m.terms.valued_co2.values()))
    value = scenario.carbon.co2_value_gbp_per_t
    if value:
        m.terms.operating("carbon_value", value * m.co2_valued_t)
    m.terms.costs_closed = True
    m.cost_terms = m.terms.cost_by_component(m)
    m.capex_terms = m.terms.overnight_by_technology(m)
    m.total_cost = pyo.Objective(expr=sum(m.cost_terms.values()), sense=pyo.minimize)
