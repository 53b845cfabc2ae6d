"""Supply equals use: one balance per declared bus, node and step, from the declared flows.

For bus :math:`b` (a carrier at its nodes), node :math:`n` and step :math:`t`:

.. math::

    \\sum_{f \\in S_{b,n}} f_t + u_{n,t} = \\sum_{f \\in U_{b,n}} f_t

with :math:`S` and :math:`U` the supply and use flows the components declared
(:mod:`energy_model.components.terms`) and :math:`u` the bus's unserved energy, a
slack penalised at :data:`energy_model.components.PENALTY_GBP_PER_UNIT` per MWh in an
elastic model only.

==========================  ==============================  =====
symbol                      Pyomo name                      unit
==========================  ==============================  =====
(electricity balance)       ``m.electricity_balance[t]``    MW
(heat balance)              ``m.heat_balance[n, t]``        MW
:math:`u` (elastic)         ``m.unserved_electricity``,
                            ``m.unserved_heat``             MW
==========================  ==============================  =====
"""

from __future__ import annotations

import pyomo.environ as pyo

from energy_model.components import PENALTY_GBP_PER_UNIT
from energy_model.components.terms import Flow
from energy_model.inputs import ModelInputs
from energy_model.scenario import Scenario


def add_balances(m: pyo.ConcreteModel, scenario: Scenario, inputs: ModelInputs) -> None:
    """Add supply = use for every declared bus, node and step, from the declared flows.

    The electricity balance's dual is the price of electricity, the heat balance's the
    price of heat at each node. In an elastic model each bus's supply takes its slack
    (unserved energy) at a penalty. Runs once, after every component has declared; a
    flow declared afterwards raises :class:`energy_model.components.terms.TermsClosedError`.
    """
    w = inputs.step_weight_h.tolist()
    for bus in m.terms.buses:
        index = (m.N if bus.by_node else None)
        slack = None
        if m.elastic and bus.slack is not None:
            slack = pyo.Var(index, m.T, within=pyo.NonNegativeReals) if bus.by_node \
                else pyo.Var(m.T, within=pyo.NonNegativeReals)
            m.add_component(bus.slack, slack)
            m.terms.operating(f"{bus.slack}_penalty", PENALTY_GBP_PER_UNIT * (
                sum(w[t] * slack[n, t] for n in index for t in m.T) if bus.by_node
                else sum(w[t] * slack[t] for t in m.T)))
            for n in bus.nodes:  # declared too, so that results and balances see it
                m.terms.flows.append(Flow(bus.carrier, "supply", "unserved", n, (
                    lambda t, n=n, bus=bus, slack=slack:
                    (slack[n, t] if bus.by_node else slack[t])
                    if bus.slack_at is None or bus.slack_at(n, t) else 0.0)))
        flows = {n: m.terms.flows_at(bus.carrier, n) for n in bus.nodes}

        def balance(_, n, t, flows=flows):
            supply, use = flows[n]
            lhs = sum(f.mw(t) for f in supply) - sum(f.mw(t) for f in use)
            if isinstance(lhs, int | float):
                return pyo.Constraint.Skip
            return lhs == 0

        if bus.by_node:
            m.add_component(bus.constraint, pyo.Constraint(index, m.T, rule=balance))
        else:
            m.add_component(bus.constraint, pyo.Constraint(
                m.T, rule=lambda blk, t, node=bus.nodes[0], rule=balance: rule(blk, node, t)))
    m.terms.flows_closed = True
