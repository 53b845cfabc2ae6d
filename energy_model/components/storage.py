"""Storage: the battery on the electricity bus and the thermal store on the heat network.

Both are cyclic: the level at the end of the horizon equals the level before the first
step, so stored energy is never free. For step :math:`t` of length :math:`\\Delta t`
(and :math:`t-1` of the first step meaning the last), with :math:`\\kappa` the share kept
per step:

.. math::

    S^{bat}_t = S^{bat}_{t-1} + \\Delta t \\, (\\eta_c C_t - D_t / \\eta_d), \\qquad
    C_t, D_t \\le P^{bat}, \\qquad 0 \\le S^{bat}_t \\le E^{bat}

    C^{th}_t - D^{th}_t = (S^{th}_t - \\kappa S^{th}_{t-1}) / \\Delta t, \\qquad
    \\kappa = (1 - \\lambda)^{\\Delta t}, \\qquad 0 \\le S^{th}_t \\le E^{th}

The thermal store has no charge losses and no power limit, so its net charge
:math:`C^{th}_t - D^{th}_t` is an expression of its level, not a variable.

With representative days (Kotzur et al. 2018, Applied Energy 213) the level is split in
two. Within each typical day :math:`c` a level :math:`s_{c,j}` starts from zero; a level
:math:`\\Sigma_d` at the start of each calendar day :math:`d` carries energy from day to
day, and seasons, through the typical day :math:`c(d)` standing for it:

.. math::

    s_{c,j} = \\kappa s_{c,j-1} + \\Delta t \\, (\\ldots), \\quad s_{c,-1} = 0, \\qquad
    \\Sigma_{d+1} = \\kappa^{J} \\Sigma_d + s_{c(d),J-1}, \\quad \\Sigma_{|D|} = \\Sigma_0

    0 \\le \\Sigma_d + \\underline s_{c(d)}, \\qquad \\Sigma_d + \\bar s_{c(d)} \\le E,
    \\qquad \\underline s_c \\le s_{c,j} \\le \\bar s_c

=====================  ==========================  =====
symbol                 Pyomo name                  unit
=====================  ==========================  =====
:math:`C_t, D_t`       ``m.battery_charge``,
                       ``m.battery_discharge``     MW
:math:`S^{bat}_t`      ``m.battery_level``         MWh (end of step; relative to the
                                                   start of its typical day with
                                                   representative days)
:math:`C^{th}_t - D^{th}_t`  ``m.store_net_charge``  MW (an expression)
:math:`S^{th}_t`       ``m.store_level``           MWh (as the battery's)
:math:`\\Sigma_d`      ``m.battery_day_start``,
                       ``m.store_day_start``       MWh
=====================  ==========================  =====
"""

from __future__ import annotations

import pyomo.environ as pyo

from energy_model.components.terms import CITY_NODE
from energy_model.inputs import ModelInputs
from energy_model.scenario import Scenario


def add_battery(m: pyo.ConcreteModel, scenario: Scenario, inputs: ModelInputs) -> None:
    """Add the battery: charge, discharge and a cyclic state of charge."""
    b = scenario.technologies.battery
    if b is None:
        return
    m.battery_charge = pyo.Var(m.T, within=pyo.NonNegativeReals)
    m.battery_discharge = pyo.Var(m.T, within=pyo.NonNegativeReals)
    m.battery_charge_limit = pyo.Constraint(
        m.T, rule=lambda _, t: m.battery_charge[t] <= m.capacity["battery_power"])
    m.battery_discharge_limit = pyo.Constraint(
        m.T, rule=lambda _, t: m.battery_discharge[t] <= m.capacity["battery_power"])
    add_level(m, "battery", inputs, keep_per_step=1.0,
              energy_in=lambda t: b.charge_efficiency * m.battery_charge[t]
              - m.battery_discharge[t] / b.discharge_efficiency,
              capacity=m.capacity["battery_energy"])
    m.terms.supply("electricity", "battery_discharge", lambda t: m.battery_discharge[t])
    m.terms.use("electricity", "battery_charge", lambda t: m.battery_charge[t])


def add_thermal_store(m: pyo.ConcreteModel, scenario: Scenario, inputs: ModelInputs) -> None:
    """Add the heat network's thermal store with its standing loss.

    The store has no charge or discharge losses and no power limit, so its net charge is
    the change in its level: the level is its only variable (``m.store_net_charge`` is an
    expression), two variables and one equation per step fewer than a battery's.
    """
    s = scenario.technologies.thermal_store
    if s is None:
        return
    add_level(m, "store", inputs,
              keep_per_step=(1.0 - s.standing_loss_fraction_per_hour) ** inputs.step_hours,
              energy_in=None, capacity=m.capacity["thermal_store"])
    # charge less discharge: over a cycle, what the store loses
    m.terms.use("heat", "thermal_store", lambda t: m.store_net_charge[t],
                node=m.layout.tech_node.get("thermal_store", CITY_NODE))


def add_level(m: pyo.ConcreteModel, name: str, inputs: ModelInputs, keep_per_step: float,
              energy_in, capacity) -> None:
    """Add a store's level ``m.<name>_level`` and its continuity, chronological and cyclic,
    or split into typical days linked in calendar order.

    Parameters
    ----------
    name : str
        Prefix of the components added (``battery``, ``store``).
    keep_per_step : float
        Share of the level kept over one step [-].
    energy_in : callable or None
        ``t -> expression``: power into the level after losses [MW]. None: the power is
        the level's change, added as the expression ``m.<name>_net_charge`` [MW].
    capacity : Pyomo expression
        Energy capacity [MWh].
    """
    dt = inputs.step_hours
    last = len(m.T) - 1
    if inputs.day_order is None:
        level = pyo.Var(m.T, within=pyo.NonNegativeReals)
        m.add_component(f"{name}_level", level)
        m.add_component(f"{name}_level_limit", pyo.Constraint(
            m.T, rule=lambda _, t: level[t] <= capacity))
        _add_continuity(m, name, lambda t: keep_per_step * level[last if t == 0 else t - 1],
                        energy_in, dt)
        return
    per_day = inputs.steps_per_day
    order = [int(c) for c in inputs.day_order]
    n_typical = len(m.T) // per_day
    level = pyo.Var(m.T)  # relative to the start of its typical day: may be negative
    top = pyo.Var(range(n_typical))
    bottom = pyo.Var(range(n_typical))
    start = pyo.Var(range(len(order)), within=pyo.NonNegativeReals)
    for suffix, comp in (("level", level), ("day_top", top), ("day_bottom", bottom),
                         ("day_start", start)):
        m.add_component(f"{name}_{suffix}", comp)

    _add_continuity(m, name, lambda t: 0.0 if t % per_day == 0 else keep_per_step * level[t - 1],
                    energy_in, dt)
    m.add_component(f"{name}_within_day_top", pyo.Constraint(
        m.T, rule=lambda _, t: level[t] <= top[t // per_day]))
    m.add_component(f"{name}_within_day_bottom", pyo.Constraint(
        m.T, rule=lambda _, t: level[t] >= bottom[t // per_day]))
    days = range(len(order))
    keep_day = keep_per_step ** per_day
    m.add_component(f"{name}_day_link", pyo.Constraint(
        days, rule=lambda _, d: start[(d + 1) % len(order)]
        == keep_day * start[d] + level[order[d] * per_day + per_day - 1]))
    m.add_component(f"{name}_day_level_limit", pyo.Constraint(
        days, rule=lambda _, d: start[d] + top[order[d]] <= capacity))
    m.add_component(f"{name}_day_level_floor", pyo.Constraint(
        days, rule=lambda _, d: start[d] + bottom[order[d]] >= 0))


def _add_continuity(m: pyo.ConcreteModel, name: str, before, energy_in, dt: float) -> None:
    """``level[t] = before(t) + dt * energy_in(t)``; without ``energy_in``, the power
    ``(level[t] - before(t)) / dt`` as the expression ``m.<name>_net_charge`` instead."""
    level = getattr(m, f"{name}_level")
    if energy_in is None:
        m.add_component(f"{name}_net_charge", pyo.Expression(
            m.T, rule=lambda _, t: (level[t] - before(t)) / dt))
        return
    m.add_component(f"{name}_continuity", pyo.Constraint(
        m.T, rule=lambda _, t: level[t] == before(t) + dt * energy_in(t)))
