"""Build rates: how much of each technology the city can deliver by the plan year.

A city-level technology :math:`k` with build rate :math:`\\rho_k` [MW/yr, MWh/yr for
stores] and earliest build year :math:`e_k`, in a plan for year :math:`Y` from the assets
standing at the end of base year :math:`B`, can be built in
:math:`n_k = \\max(0, Y - \\max(B, e_k - 1))` years:

.. math::

    P^{new}_k \\le \\rho_k \\, n_k

(no rate: no limit, unless :math:`n_k = 0`, when nothing can be built). A zone-level
roll-out :math:`i` (individual heat pumps, heat-network connections, retrofit) with a
rate of :math:`\\rho_i` homes a year adds homes :math:`N_z \\Delta x_{z,i}` (households
times the share newly treated), limited city-wide or in each zone by its share of
households:

.. math::

    \\sum_z N_z \\Delta x_{z,i} \\le \\rho_i n_i \\quad (\\text{city}), \\qquad
    N_z \\Delta x_{z,i} \\le \\rho_i n_i \\frac{N_z}{\\sum_{z'} N_{z'}}
    \\quad (\\text{each\\_zone\\_by\\_households})

A pathway applies the same rates to each period's builds and increments, with
:math:`n` the years of the period from the earliest year on
(:mod:`energy_model.pathway.model`).

=====================  ============================  ==========================
symbol                 Pyomo name                    unit
=====================  ============================  ==========================
(asset rate)           ``m.build_rate_limit[k]``     MW (MWh for stores)
(roll-out rate)        ``m.rollout_rate_limit[i, s]``  homes (s: ``city`` or a zone)
=====================  ============================  ==========================

Their duals, times :math:`n`, are what one more MW (or home) a year of delivery is worth
(:mod:`energy_model.limits`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyomo.environ as pyo

from energy_model import technologies as registry
from energy_model.inputs import ModelInputs
from energy_model.scenario import Scenario

# Each zone-level roll-out: the technology whose keys hold its rate, the share variable
# and the zone key holding its level before the plan (None: starts from 0).
ROLLOUTS = {t.name: (t.share, t.existing_share_key or None)
            for t in registry.REGISTRY.values() if t.share}


@dataclass(frozen=True)
class Delivery:
    """How fast one technology can be delivered.

    Attributes
    ----------
    name : str
        A city asset (``rooftop_pv``, ``battery_energy``, ...) or a roll-out
        (``individual_heat_pump``, ``heat_network``, ``retrofit``).
    rate_per_year : float or None
        In ``unit`` per year; None: no limit.
    unit : str
        ``MW``, ``MWh`` or ``homes``.
    earliest_year : int or None
        First year it can be built in.
    scope : str
        For roll-outs: ``city`` or ``each_zone_by_households``.
    scenario_key : str
        Where the rate is set (``technologies.wind.build_rate_mw_per_year``).
    """

    name: str
    rate_per_year: float | None
    unit: str
    earliest_year: int | None
    scope: str = "city"
    scenario_key: str = ""

    def years(self, first_year: int, last_year: int) -> int:
        """Years from ``first_year`` to ``last_year`` (both included) it can be built in."""
        start = first_year if self.earliest_year is None else max(first_year, self.earliest_year)
        return max(0, last_year - start + 1)

    def most(self, first_year: int, last_year: int) -> float | None:
        """The most that can be added in those years (None: no limit)."""
        n = self.years(first_year, last_year)
        if n == 0:
            return 0.0
        return None if self.rate_per_year is None else self.rate_per_year * n

    @property
    def limited(self) -> bool:
        """Whether it carries a rate or an earliest year."""
        return self.rate_per_year is not None or self.earliest_year is not None


def deliveries(scenario: Scenario) -> dict[str, Delivery]:
    """The build rate and earliest year of every technology that has either."""
    tech = scenario.technologies
    out: dict[str, Delivery] = {}
    for name in registry.city_assets():
        t = registry.REGISTRY[name]
        spec = tech.section(name)
        if spec is not None:
            out[name] = Delivery(name, getattr(spec, t.build_rate_key), t.unit,
                                 spec.earliest_build_year,
                                 scenario_key=f"technologies.{t.section}.{t.build_rate_key}")
    for name in ROLLOUTS:
        spec = getattr(tech, name)
        if spec is not None:
            out[name] = Delivery(name, spec.build_rate_homes_per_year, "homes",
                                 spec.earliest_build_year, spec.build_rate_scope,
                                 f"technologies.{name}.build_rate_homes_per_year")
    return {k: d for k, d in out.items() if d.limited}


def plan_window(scenario: Scenario) -> tuple[int, int] | None:
    """First and last year a single-year plan builds in (None without ``plan_years``)."""
    if scenario.plan_years is None:
        return None
    return scenario.plan_years.base_year + 1, scenario.plan_years.plan_year


def rollout_homes(m: pyo.Block, scenario: Scenario, name: str, zone: str):
    """Homes a roll-out adds in a zone (an expression): households x share newly treated."""
    var, existing = ROLLOUTS[name]
    z = scenario.zones[zone]
    start = getattr(z, existing) if existing else 0.0
    return z.households * (getattr(m, var)[zone] - start)


def add_build_rates(m: pyo.ConcreteModel, scenario: Scenario, inputs: ModelInputs) -> None:
    """Add each technology's build-rate limit over the plan's years (see the module)."""
    window = plan_window(scenario)
    limits = deliveries(scenario) if window else {}
    m.deliveries = limits
    m.delivery_years = {k: d.years(*window) for k, d in limits.items()}
    # a capacity the user fixed is a design to test, not a plan to deliver
    assets = {k: d.most(*window) for k, d in limits.items()
              if k in m.K and d.most(*window) is not None and k not in scenario.fixed_capacity}
    m.build_rate_limit = pyo.Constraint(
        list(assets), rule=lambda _, k: m.new_capacity[k] <= assets[k])
    rows = {}
    households = scenario.households
    for name, d in limits.items():
        most = d.most(*window)
        if name not in ROLLOUTS or most is None:
            continue
        if d.scope == "city":
            rows[name, "city"] = (list(scenario.zones), most)
        else:
            for z, zone in scenario.zones.items():
                rows[name, z] = ([z], most * zone.households / households if households else 0.0)
    m.rollout_rate_limit = pyo.Constraint(
        list(rows), rule=lambda _, name, scope: sum(
            rollout_homes(m, scenario, name, z) for z in rows[name, scope][0])
        <= rows[name, scope][1])
