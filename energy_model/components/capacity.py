"""Capacities of the technologies built at city level, and what they cost each year.

For each technology :math:`k` with existing capacity :math:`\\bar P_k`, potential
:math:`\\hat P_k`, overnight capital cost :math:`c_k` [GBP/MW or GBP/MWh], lifetime
:math:`n_k` and fixed O&M fraction :math:`f_k`:

.. math::

    P_k = \\bar P_k + P^{new}_k, \\qquad 0 \\le P^{new}_k \\le \\hat P_k - \\bar P_k

    C^{cap}_k = c_k \\, \\mathrm{CRF}(r, n_k) \\, P^{new}_k + f_k \\, c_k \\, P_k

with :math:`\\mathrm{CRF}(r, n) = r / (1 - (1 + r)^{-n})` (:math:`1/n` when :math:`r = 0`).

=================  ===================  ==========================
symbol             Pyomo name           unit
=================  ===================  ==========================
:math:`P^{new}_k`  ``m.new_capacity``   MW (MWh for stores)
:math:`P_k`        ``m.capacity``       MW (MWh for stores)
=================  ===================  ==========================

Investment periods would add a period index to ``new_capacity``; everything that reads
``m.capacity`` is written against this module's expressions.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyomo.environ as pyo

from energy_model import technologies as registry
from energy_model.components.terms import Capital, Increment, annuity_factor  # noqa: F401
from energy_model.errors import ScenarioError
from energy_model.inputs import ModelInputs
from energy_model.scenario import Scenario


@dataclass(frozen=True)
class Asset:
    """Capacity bounds and unit costs of one city-level technology (MW or MWh)."""

    unit: str
    existing: float
    maximum: float | None
    capex_gbp_per_unit: float
    lifetime_years: int
    fixed_om_fraction_per_year: float


def city_assets(scenario: Scenario) -> dict[str, Asset]:
    """The technologies sized at city level, keyed by the names used in results."""
    assets: dict[str, Asset] = {}
    for name in registry.city_assets():
        tech = registry.REGISTRY[name]
        spec = scenario.technologies.section(name)
        if spec is not None:
            assets[name] = Asset(tech.unit, getattr(spec, tech.existing_key),
                                 getattr(spec, tech.maximum_key),
                                 getattr(spec, tech.capex_key) * 1000.0,
                                 getattr(spec, tech.lifetime_key),
                                 spec.fixed_om_fraction_per_year)
    return assets


def add_capacities(m: pyo.ConcreteModel, scenario: Scenario, inputs: ModelInputs) -> None:
    """Add ``new_capacity`` and ``capacity`` for every city-level technology, with their cost."""
    assets = city_assets(scenario)
    m.assets = assets
    m.K = pyo.Set(initialize=list(assets), ordered=True)

    def bounds(_, k):
        a = assets[k]
        return (0.0, None if a.maximum is None else a.maximum - a.existing)

    m.new_capacity = pyo.Var(m.K, within=pyo.NonNegativeReals, bounds=bounds)
    for k, value in scenario.fixed_capacity.items():
        a = assets.get(k)
        if a is None or value < a.existing or (a.maximum is not None and value > a.maximum):
            raise ScenarioError(scenario.name, [
                f"fixed_capacity.{k}: {value} {a.unit if a else ''} is not possible: "
                + ("the technology is not in the scenario" if a is None else
                   f"it must lie between the existing {a.existing} and the potential "
                   f"{a.maximum if a.maximum is not None else 'unlimited'}")])
        m.new_capacity[k].fix(value - a.existing)
    m.capacity = pyo.Expression(m.K, rule=lambda _, k: assets[k].existing + m.new_capacity[k])
    for k, a in assets.items():
        m.terms.capital(Capital(k, "capital", a.lifetime_years, (
            Increment(k, a.capex_gbp_per_unit, lambda b, k=k: b.new_capacity[k]),),
            rollout=False))
    m.terms.operating("fixed_om", sum(
        a.fixed_om_fraction_per_year * a.capex_gbp_per_unit * m.capacity[k]
        for k, a in assets.items()))
