"""A server centre: its electric load, and low-temperature heat for the network.

The load is IT load x utilisation x PUE, :math:`D_t`. A flexible share :math:`\\phi` of it
may move within each day (the day's energy is kept):

.. math::

    (1 - \\phi) D_t \\le D'_t \\le (1 + \\phi) D_t, \\qquad
    \\sum_{t \\in d} D'_t = \\sum_{t \\in d} D_t

Heat pumps lift low-temperature heat to network temperature at the server centre's node:
waste heat (a recoverable share :math:`\\rho` of the IT load, :math:`\\rho D'_t / PUE`) and
mine water (up to :math:`\\bar M`). What a heat pump draws from its source is its heat
output less its electricity:

.. math::

    Q^{wh}_t (1 - 1/\\mathrm{COP}^{wh}) \\le \\rho D'_t / PUE, \\qquad
    Q^{mw}_t (1 - 1/\\mathrm{COP}^{mw}) \\le \\bar M

==================  ==========================  =====
symbol              Pyomo name                  unit
==================  ==========================  =====
:math:`D'_t`        ``m.data_centre_load``      MW (a variable only when flexible)
(source limits)     ``m.waste_heat_limit``,
                    ``m.mine_water_limit``      MW
==================  ==========================  =====
"""

from __future__ import annotations

import pyomo.environ as pyo

from energy_model.inputs import ModelInputs
from energy_model.scenario import Scenario


def add_data_centre_load(m: pyo.ConcreteModel, scenario: Scenario, inputs: ModelInputs) -> None:
    """Add the server centre's electric load, fixed or flexible within each day."""
    dc = scenario.data_centre
    if dc is None or inputs.data_centre_mw is None:
        m.data_centre_load = None
        return
    base = inputs.data_centre_mw.tolist()
    if dc.flexible_share == 0:
        m.data_centre_load = base
    else:
        f = dc.flexible_share
        top = dc.it_load_mw * dc.pue
        m.data_centre_load = pyo.Var(m.T, bounds=lambda _, t: ((1 - f) * base[t],
                                                                min(top, (1 + f) * base[t])))
        days: dict = {}
        for t, stamp in enumerate(inputs.time):
            days.setdefault(stamp.date(), []).append(t)
        m.D = pyo.Set(initialize=range(len(days)))
        groups = list(days.values())
        m.data_centre_daily_energy = pyo.Constraint(
            m.D, rule=lambda _, d: sum(m.data_centre_load[t] for t in groups[d])
            == sum(base[t] for t in groups[d]))
    m.terms.use("electricity", "data_centre", lambda t: m.data_centre_load[t],
                description="server centre's electric load (IT x utilisation x PUE, after "
                "any shifting)")


def add_low_temperature_sources(m: pyo.ConcreteModel, scenario: Scenario,
                                inputs: ModelInputs) -> None:
    """Limit what the waste-heat and mine-water heat pumps draw from their sources."""
    if "waste_heat_pump" in m.H:
        cop = inputs.cop["waste_heat_pump"].tolist()
        dc = scenario.data_centre
        share = dc.waste_heat_recoverable_fraction / dc.pue if dc else 0.0
        load = m.data_centre_load

        def waste(_, t):
            available = share * load[t] if load is not None else 0.0
            return m.central_heat["waste_heat_pump", t] * (1 - 1 / cop[t]) <= available

        m.waste_heat_limit = pyo.Constraint(m.T, rule=waste)
    if "mine_water_heat_pump" in m.H:
        cop = inputs.cop["mine_water_heat_pump"].tolist()
        top = scenario.mine_water.max_heat_mw if scenario.mine_water else 0.0
        m.mine_water_limit = pyo.Constraint(
            m.T, rule=lambda _, t: m.central_heat["mine_water_heat_pump", t] * (1 - 1 / cop[t])
            <= top)
