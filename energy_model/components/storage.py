"""Storage: the battery on the electricity bus and the thermal store on the heat network.

Both are cyclic: the level at the end of the horizon equals the level before the first
step, so stored energy is never free. For step :math:`t` of length :math:`\\Delta t`
(and :math:`t-1` of the first step meaning the last):

.. math::

    S^{bat}_t = S^{bat}_{t-1} + \\Delta t \\, (\\eta_c C_t - D_t / \\eta_d), \\qquad
    C_t, D_t \\le P^{bat}, \\qquad S^{bat}_t \\le E^{bat}

    S^{th}_t = (1 - \\lambda)^{\\Delta t} S^{th}_{t-1} + \\Delta t \\, (C^{th}_t - D^{th}_t),
    \\qquad S^{th}_t \\le E^{th}

=====================  ==========================  =====
symbol                 Pyomo name                  unit
=====================  ==========================  =====
:math:`C_t, D_t`       ``m.battery_charge``,
                       ``m.battery_discharge``     MW
:math:`S^{bat}_t`      ``m.battery_level``         MWh (end of step)
:math:`C^{th}_t, D^{th}_t`  ``m.store_charge``,
                       ``m.store_discharge``       MW
:math:`S^{th}_t`       ``m.store_level``           MWh (end of step)
=====================  ==========================  =====
"""

from __future__ import annotations

import pyomo.environ as pyo

from energy_model.inputs import ModelInputs
from energy_model.scenario import Scenario


def add_battery(m: pyo.ConcreteModel, scenario: Scenario, inputs: ModelInputs) -> None:
    """Add the battery: charge, discharge and a cyclic state of charge."""
    b = scenario.technologies.battery
    if b is None:
        return
    dt = inputs.step_hours
    last = len(m.T) - 1
    m.battery_charge = pyo.Var(m.T, within=pyo.NonNegativeReals)
    m.battery_discharge = pyo.Var(m.T, within=pyo.NonNegativeReals)
    m.battery_level = pyo.Var(m.T, within=pyo.NonNegativeReals)
    m.battery_charge_limit = pyo.Constraint(
        m.T, rule=lambda _, t: m.battery_charge[t] <= m.capacity["battery_power"])
    m.battery_discharge_limit = pyo.Constraint(
        m.T, rule=lambda _, t: m.battery_discharge[t] <= m.capacity["battery_power"])
    m.battery_level_limit = pyo.Constraint(
        m.T, rule=lambda _, t: m.battery_level[t] <= m.capacity["battery_energy"])
    m.battery_continuity = pyo.Constraint(
        m.T,
        rule=lambda _, t: m.battery_level[t] == m.battery_level[last if t == 0 else t - 1]
        + dt * (b.charge_efficiency * m.battery_charge[t]
                - m.battery_discharge[t] / b.discharge_efficiency),
    )
    m.electric_supply.append(lambda t: m.battery_discharge[t])
    m.electric_use.append(lambda t: m.battery_charge[t])


def add_thermal_store(m: pyo.ConcreteModel, scenario: Scenario, inputs: ModelInputs) -> None:
    """Add the heat network's thermal store with its standing loss."""
    s = scenario.technologies.thermal_store
    if s is None:
        return
    dt = inputs.step_hours
    keep = (1.0 - s.standing_loss_fraction_per_hour) ** dt
    last = len(m.T) - 1
    m.store_charge = pyo.Var(m.T, within=pyo.NonNegativeReals)
    m.store_discharge = pyo.Var(m.T, within=pyo.NonNegativeReals)
    m.store_level = pyo.Var(m.T, within=pyo.NonNegativeReals)
    m.store_level_limit = pyo.Constraint(
        m.T, rule=lambda _, t: m.store_level[t] <= m.capacity["thermal_store"])
    m.store_continuity = pyo.Constraint(
        m.T,
        rule=lambda _, t: m.store_level[t] == keep * m.store_level[last if t == 0 else t - 1]
        + dt * (m.store_charge[t] - m.store_discharge[t]),
    )
    m.heat_injection["thermal_store"] = lambda t: m.store_discharge[t] - m.store_charge[t]
