"""What each component adds to the model, declared in one typed registry (``m.terms``).

Components do not build the balances or the objective themselves. Each declares:

- its **flows**: power supplied to or used from a carrier at a node in every step
  (:meth:`Terms.supply`, :meth:`Terms.use`), and the **buses** whose supply must equal
  use (:meth:`Terms.bus`);
- its **capital** (:meth:`Terms.capital`: overnight cost per unit of what it adds, from
  which both the annualised cost and the overnight spend are derived) apart from its
  **operating** costs (:meth:`Terms.operating`), its **emissions** and its **gas** use;
- its **targets** with their elastic slack (:meth:`Terms.target`, :meth:`Terms.slack`),
  which diagnosis and the elastic report read;
- its **outputs**: series for the results with their unit and carrier (:meth:`Terms.output`).

After every component has declared, :func:`energy_model.build.populate_model` builds each
bus's balance (:func:`energy_model.components.balances.add_balances`) and then the
objective, once. Declaring a flow after the balances are built,
or a cost after the objective is, raises :class:`TermsClosedError`: nothing is silently
dropped. The results, the annual energy balance and the pathway read the same
declarations, so supply equals use in them by construction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from energy_model.components import PENALTY_GBP_PER_UNIT
from energy_model.errors import EnergyModelError

CITY_NODE = "city"
# Where buildings' own heating meets their heat demand: an account, not a balance (the
# heating shares add up to 1 by construction).
BUILDINGS = "buildings"


def annuity_factor(discount_rate: float, lifetime_years: int) -> float:
    """Capital recovery factor: the share of an overnight cost paid each year [1/yr].

    Parameters
    ----------
    discount_rate : float
        Real discount rate [-], for example 0.035.
    lifetime_years : int
        Economic lifetime [yr].

    Returns
    -------
    float
    """
    if discount_rate == 0:
        return 1.0 / lifetime_years
    return discount_rate / (1.0 - (1.0 + discount_rate) ** -lifetime_years)


class TermsClosedError(EnergyModelError):
    """A component declared a term after the balances or the objective were built."""


@dataclass(frozen=True)
class Flow:
    """Power into (``supply``) or out of (``use``) a carrier at a node, per step [MW]."""

    carrier: str
    side: Literal["supply", "use"]
    name: str
    node: str
    mw: Callable[[int], Any]
    description: str = ""


@dataclass(frozen=True)
class Bus:
    """A carrier whose supply equals its use at each of its nodes in every step.

    ``constraint`` names the Pyomo constraint, indexed by step (one node) or by node and
    step. In an elastic model the supply side takes the slack ``slack`` [MW], at every
    node and step or where ``slack_at(node, t)`` says.
    """

    carrier: str
    nodes: tuple[str, ...]
    constraint: str
    by_node: bool = False
    slack: str | None = None
    slack_at: Callable[[str, int], bool] | None = None


@dataclass(frozen=True)
class Increment:
    """One thing a plan can add: its overnight cost per unit and the level it adds to."""

    name: str
    unit_cost_gbp: float
    level: Callable[[Any], Any]
    start: float = 0.0

    def added(self, block) -> Any:
        """What the plan adds (an expression of ``block``'s variables)."""
        return self.level(block) - self.start if self.start else self.level(block)


@dataclass(frozen=True)
class Capital:
    """The capital of one technology: increments at their unit costs, over a lifetime.

    ``group`` is the part of the annual cost it is reported under (``capital`` for the
    city-level assets together). ``rollout``: a build-out that a pathway accumulates
    period by period itself (zone shares, pipes), not through ``m.capacity``.
    """

    technology: str
    group: str
    lifetime_years: int
    increments: tuple[Increment, ...]
    rollout: bool = True

    def overnight(self, block) -> Any:
        """Overnight capital of what the plan builds [GBP]."""
        return sum(i.unit_cost_gbp * i.added(block) for i in self.increments)

    def annual(self, block, discount_rate: float) -> Any:
        """Annualised capital [GBP/yr]."""
        crf = annuity_factor(discount_rate, self.lifetime_years)
        return sum(i.unit_cost_gbp * crf * i.added(block) for i in self.increments)


@dataclass(frozen=True)
class Target:
    """A target or cap: its constraint, what it is in the scenario's words, the quantity it
    bounds and the slack that lets an elastic model miss it.

    ``quantity`` names the model expression the target bounds (for the best value the
    scenario can reach without it), ``sense`` whether more (``max``) or less (``min``) of
    it is better; ``missed`` words the slack for the elastic report, in ``unit``.
    """

    constraint: str
    description: str
    slack: str
    missed: str
    unit: str
    quantity: str | None = None
    sense: Literal["max", "min"] = "max"


@dataclass(frozen=True)
class Output:
    """A series for the results: its dims, unit, carrier and a function giving its values
    after the solve."""

    name: str
    dims: tuple[str, ...]
    unit: str
    carrier: str
    values: Callable[[], Any]
    description: str = ""


@dataclass
class Terms:
    """The typed registry of what components add to one model (``m.terms``)."""

    discount_rate: float
    elastic: bool = False
    flows: list[Flow] = field(default_factory=list)
    buses: list[Bus] = field(default_factory=list)
    capitals: dict[str, Capital] = field(default_factory=dict)
    operating_costs: dict[str, Any] = field(default_factory=dict)
    co2: dict[str, Any] = field(default_factory=dict)
    valued_co2: dict[str, Any] = field(default_factory=dict)
    gas: dict[str, Any] = field(default_factory=dict)
    slacks: dict[str, Any] = field(default_factory=dict)
    targets: dict[str, Target] = field(default_factory=dict)
    outputs: list[Output] = field(default_factory=list)
    flows_closed: bool = False
    costs_closed: bool = False
    _order: list[tuple[str, str]] = field(default_factory=list)

    # --- flows and balances -------------------------------------------------------------
    def _check_flows_open(self, what: str) -> None:
        if self.flows_closed:
            raise TermsClosedError(
                f"{what} was declared after the balances were built, so it would be left "
                "out of them; declare it in a component step of energy_model.build.STEPS "
                "(before the balances), not after")

    def supply(self, carrier: str, name: str, mw: Callable[[int], Any], node: str = CITY_NODE,
               description: str = "") -> None:
        """Declare power supplied to ``carrier`` at ``node`` in each step [MW]."""
        self._check_flows_open(f"supply {name!r} of {carrier}")
        self.flows.append(Flow(carrier, "supply", name, node, mw, description))

    def use(self, carrier: str, name: str, mw: Callable[[int], Any], node: str = CITY_NODE,
            description: str = "") -> None:
        """Declare power used from ``carrier`` at ``node`` in each step [MW]."""
        self._check_flows_open(f"use {name!r} of {carrier}")
        self.flows.append(Flow(carrier, "use", name, node, mw, description))

    def bus(self, bus: Bus) -> None:
        """Declare a carrier's balance, built once every component has declared."""
        self._check_flows_open(f"the {bus.carrier} balance")
        self.buses.append(bus)

    def flows_at(self, carrier: str, node: str) -> tuple[list[Flow], list[Flow]]:
        """Supply and use flows of a carrier at a node."""
        here = [f for f in self.flows if f.carrier == carrier and f.node == node]
        return ([f for f in here if f.side == "supply"], [f for f in here if f.side == "use"])

    # --- costs ----------------------------------------------------------------------------
    def _check_costs_open(self, what: str) -> None:
        if self.costs_closed:
            raise TermsClosedError(
                f"{what} was declared after the objective was built, so it would be left out "
                "of it; declare it in a step of energy_model.build.STEPS before the objective")

    def capital(self, capital: Capital) -> None:
        """Declare a technology's capital (annualised in the objective, overnight in the
        capital budget and the results)."""
        self._check_costs_open(f"capital of {capital.technology!r}")
        if capital.technology in self.capitals:
            raise ValueError(f"capital of {capital.technology!r} is declared twice")
        self.capitals[capital.technology] = capital
        self._order.append(("capital", capital.group))

    def operating(self, name: str, annual_gbp: Any) -> None:
        """Declare an annual operating cost [GBP/yr]: O&M, fuel, grid, carbon, penalties."""
        self._check_costs_open(f"operating cost {name!r}")
        if name in self.operating_costs:
            raise ValueError(f"operating cost {name!r} is declared twice")
        self.operating_costs[name] = annual_gbp
        self._order.append(("operating", name))

    def emissions(self, name: str, footprint_t: Any, valued_t: Any | None = None) -> None:
        """Declare annual CO2 [t/yr]: the footprint, and what the objective values (default
        the same)."""
        self._check_costs_open(f"emissions {name!r}")
        self.co2[name] = footprint_t
        self.valued_co2[name] = footprint_t if valued_t is None else valued_t

    def fuel(self, name: str, gas_mwh: Any) -> None:
        """Declare annual gas use [MWh/yr] (negative: a saving)."""
        self._check_costs_open(f"gas use {name!r}")
        self.gas[name] = gas_mwh

    def slack(self, m, name: str, penalty_gbp_per_unit: float = PENALTY_GBP_PER_UNIT):
        """A target's slack ``m.<name>``, penalised in the objective, in an elastic model
        (else 0): every target takes one, so that ``--elastic`` can miss any of them and
        say by how much (:func:`energy_model.diagnose.elastic_report`)."""
        if not self.elastic:
            return 0.0
        import pyomo.environ as pyo

        var = pyo.Var(within=pyo.NonNegativeReals)
        m.add_component(name, var)
        self.slacks[name] = var
        self.operating(f"{name}_penalty", penalty_gbp_per_unit * var)
        return var

    def target(self, m, target: Target, build: Callable[[Any], Any]) -> None:
        """Declare a target and add its constraint ``m.<target.constraint>``, built by
        ``build(slack)`` from its elastic slack (0 unless the model is elastic)."""
        import pyomo.environ as pyo

        self._check_costs_open(f"target {target.constraint!r}")
        self.targets[target.constraint] = target
        m.add_component(target.constraint, pyo.Constraint(expr=build(self.slack(m, target.slack))))

    # --- outputs --------------------------------------------------------------------------
    def output(self, output: Output) -> None:
        """Declare a series for the results dataset."""
        self.outputs.append(output)

    # --- views ----------------------------------------------------------------------------
    def annual_capital(self, block, technologies=None) -> Any:
        """Annualised capital of the declared technologies [GBP/yr]."""
        return sum(c.annual(block, self.discount_rate) for k, c in self.capitals.items()
                   if technologies is None or k in technologies)

    def cost_by_component(self, block) -> dict[str, Any]:
        """The objective's parts [GBP/yr], capital by its group and operating costs by name
        (a technology's capital and O&M under one name when they share it)."""
        out: dict[str, Any] = {}
        for kind, name in dict.fromkeys(self._order):
            if kind == "capital":
                term = sum(c.annual(block, self.discount_rate) for c in self.capitals.values()
                           if c.group == name)
            else:
                term = self.operating_costs[name]
            out[name] = out[name] + term if name in out else term
        return out

    def overnight_by_technology(self, block) -> dict[str, Any]:
        """Overnight capital of what the plan builds, by technology [GBP]."""
        return {k: c.overnight(block) for k, c in self.capitals.items()}

