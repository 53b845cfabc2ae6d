"""A technology declared from outside the package: a constant-efficiency electrolyser
meeting a constant hydrogen demand. Its declaration and its component are all it takes.

.. math::

    E_t \\le P, \\qquad \\eta E_t = D^{H_2}

with :math:`E_t` the electricity it draws [MW], :math:`P` its capacity [MW of electricity]
and :math:`D^{H_2}` the hydrogen demand [MW].
"""

import pyomo.environ as pyo

from energy_model.components.terms import CITY_NODE, Bus, Output
from energy_model.scenario import CityTechnology, Efficiency, NonNegative
from energy_model.technologies import Technology


class ElectrolyserSpec(CityTechnology):
    """``technologies.electrolyser``: an electrolyser and the hydrogen demand it serves."""

    efficiency: Efficiency
    hydrogen_demand_mw: NonNegative = 0.0


def add_electrolyser(m, scenario, inputs) -> None:
    """Electricity in, hydrogen out at a constant efficiency; hydrogen demand met."""
    spec = getattr(scenario.technologies, "electrolyser", None)
    if spec is None:
        return
    m.electrolyser_power = pyo.Var(m.T, within=pyo.NonNegativeReals)
    m.electrolyser_limit = pyo.Constraint(
        m.T, rule=lambda _, t: m.electrolyser_power[t] <= m.capacity["electrolyser"])
    m.terms.use("electricity", "electrolyser", lambda t: m.electrolyser_power[t])
    m.terms.supply("hydrogen", "electrolyser",
                   lambda t: spec.efficiency * m.electrolyser_power[t])
    m.terms.use("hydrogen", "hydrogen_demand", lambda t: spec.hydrogen_demand_mw)
    m.terms.bus(Bus("hydrogen", (CITY_NODE,), "hydrogen_balance"))
    m.terms.output(Output("electrolyser_power_mw", ("time",), "MW", "electricity",
                          lambda: [pyo.value(m.electrolyser_power[t]) for t in m.T],
                          "electricity the electrolyser draws"))


ELECTROLYSER = Technology(
    "electrolyser", "electrolyser", "electricity", "hydrogen", "electric input", "MW", "city",
    "electrolyser", "#2ca02c", spec=ElectrolyserSpec, component=add_electrolyser)
