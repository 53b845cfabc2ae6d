"""Fuel, carbon price and the objective: total annual cost of the plan.

.. math::

    \\min \\; \\sum_c C_c + p^{gas} F + p^{CO2} \\, \\mathrm{CO2}

where :math:`C_c` are the annual costs the components declared (annualised capital,
fixed and variable O&M, grid), :math:`F = \\sum_c F_c` the annual gas use [MWh/yr] with
emissions :math:`e^{gas} F` [t/yr].

=================  ====================  ======
symbol             Pyomo name            unit
=================  ====================  ======
:math:`F`          ``m.gas_mwh``         MWh/yr
(objective)        ``m.total_cost``      GBP/yr
=================  ====================  ======
"""

from __future__ import annotations

import pyomo.environ as pyo

from energy_model.inputs import ModelInputs
from energy_model.scenario import Scenario


def add_gas(m: pyo.ConcreteModel, scenario: Scenario, inputs: ModelInputs) -> None:
    """Add annual gas use with its cost and emissions."""
    m.gas_mwh = pyo.Expression(expr=sum(m.gas_terms.values()))
    if scenario.gas is not None:
        m.cost_terms["gas"] = scenario.gas.price_gbp_per_mwh * m.gas_mwh
        m.co2_terms["gas"] = scenario.gas.co2_t_per_mwh * m.gas_mwh


def add_objective(m: pyo.ConcreteModel, scenario: Scenario, inputs: ModelInputs) -> None:
    """Minimise annual cost, including a carbon price on annual CO2 if one is set."""
    price = scenario.targets.co2_price_gbp_per_t
    m.cost_terms["co2_price"] = price * m.co2_t if price else 0.0
    m.total_cost = pyo.Objective(expr=sum(m.cost_terms.values()), sense=pyo.minimize)
