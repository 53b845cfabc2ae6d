"""The pathway LP: one block per investment period, linked by what is built when.

See :mod:`energy_model.pathway` for the equations and the symbol table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pyomo.environ as pyo
import xarray as xr

from energy_model.build import populate_model
from energy_model.components.build_rates import ROLLOUTS, deliveries
from energy_model.components.terms import annuity_factor
from energy_model.inputs import ModelInputs, load_weather, prepare_inputs
from energy_model.pathway.spec import PathwayPlan, Period, period_years
from energy_model.scenario import Scenario

InputsSource = Mapping[int, ModelInputs] | Callable[[Scenario], ModelInputs] | None


@dataclass(frozen=True)
class Rollout:
    """A build-out that accumulates from period to period and is charged by increment.

    Attributes
    ----------
    name : str
        ``heat_pump_share/<zone>``, ``heat_network_share/<zone>``,
        ``retrofit_share/<zone>``, ``pipe_new_capacity_mw/<pipe>`` or ``pipe_built/<pipe>``.
    technology : str
        Whose capex decline and lifetime apply (``individual_heat_pump``,
        ``heat_network``, ``retrofit``, ``pipes``).
    lifetime_years : int
    start : float
        Its level before the plan (the zone's existing share; 0 for retrofit and pipes).
    unit_cost_gbp : float
        Overnight cost of a unit more (a whole share, one MW, one whole pipe) [GBP].
    level : Callable
        The block's variable holding the level in a period.
    """

    name: str
    technology: str
    lifetime_years: int
    start: float
    unit_cost_gbp: float
    level: Callable[[pyo.Block], pyo.Var]


def rollouts(b: pyo.Block) -> list[Rollout]:
    """The accumulating build-outs of one period's block, with that period's unit costs:
    the increments of the capital its components declared as roll-outs (zone shares,
    pipes; :class:`energy_model.components.terms.Capital`)."""
    return [Rollout(i.name, c.technology, c.lifetime_years, i.start, i.unit_cost_gbp, i.level)
            for c in b.terms.capitals.values() if c.rollout for i in c.increments]


@dataclass
class PathwayModel:
    """The pathway LP and its typed handles.

    Attributes
    ----------
    model : pyomo.environ.ConcreteModel
        ``model.period[y]`` are the period blocks, ``model.build[y, k]`` the builds,
        ``model.total_cost`` the objective [GBP, discounted to the base year].
    plan : PathwayPlan
    inputs : dict of int to ModelInputs
    rollouts : dict of int to list of Rollout
    capex_gbp_per_unit : dict of (int, str) to float
        Overnight cost of a unit of asset ``k`` built in period ``y`` [GBP/MW or GBP/MWh].
    period_cost : dict of int to expression
        Each period's share of the objective (its operation and what it builds).
    operating_cost : dict of int to expression
        Each period's annual operating cost [GBP/yr, undiscounted].
    discount : dict of int to float
        :math:`D_p`: discounted years the period stands for.
    """

    model: pyo.ConcreteModel
    plan: PathwayPlan
    inputs: dict[int, ModelInputs]
    rollouts: dict[int, list[Rollout]]
    capex_gbp_per_unit: dict[tuple[int, str], float]
    period_cost: dict[int, object] = field(default_factory=dict)
    operating_cost: dict[int, object] = field(default_factory=dict)
    discount: dict[int, float] = field(default_factory=dict)


def discount_factor(rate: float, base_year: int, year: int) -> float:
    """Value on 1 January of ``base_year`` of 1 GBP paid in ``year``: (1 + r)^-(y - y0)."""
    return (1.0 + rate) ** -(year - base_year)


def period_inputs(plan: PathwayPlan, inputs: InputsSource = None) -> dict[int, ModelInputs]:
    """Each period's model inputs: given, made by a function, or from the weather year."""
    if isinstance(inputs, Mapping):
        return {p.year: inputs[p.year] for p in plan.periods}
    if callable(inputs):
        return {p.year: inputs(p.scenario) for p in plan.periods}
    weather = load_weather(plan.scenario)
    return {p.year: prepare_inputs(p.scenario, weather) for p in plan.periods}


def build_pathway(plan: PathwayPlan, inputs: InputsSource = None,
                  elastic: bool = False) -> PathwayModel:
    """Build the pathway LP with perfect foresight over all periods.

    Parameters
    ----------
    plan : PathwayPlan
        From :func:`energy_model.pathway.pathway_plan`.
    inputs : mapping of year to ModelInputs, or callable, optional
        Inputs per period; a callable gets each period's scenario. Default: the
        scenario's weather year through :func:`energy_model.inputs.prepare_inputs`.
    elastic : bool
        As for :func:`energy_model.build.build_model`, in every period.

    Returns
    -------
    PathwayModel
    """
    by_year = {p.year: p for p in plan.periods}
    data = period_inputs(plan, inputs)
    m = pyo.ConcreteModel(name=f"{plan.scenario.name} pathway")
    m.P = pyo.Set(initialize=plan.years, ordered=True)
    m.period = pyo.Block(m.P, rule=lambda blk, y: populate_model(
        blk, by_year[y].scenario, data[y], elastic))
    first = m.period[plan.years[0]]
    m.K = pyo.Set(initialize=list(first.K), ordered=True)
    pm = PathwayModel(m, plan, data, {}, {})
    r = plan.scenario.finance.discount_rate
    for p in plan.periods:
        blk = m.period[p.year]
        blk.total_cost.deactivate()
        pm.rollouts[p.year] = rollouts(blk)
        pm.discount[p.year] = sum(discount_factor(r, plan.spec.first_year, y)
                                  for y in range(p.year, p.year + p.weight_years))
        for k, asset in blk.assets.items():
            pm.capex_gbp_per_unit[p.year, k] = asset.capex_gbp_per_unit * _decline(
                plan, k, p.year)
    _add_builds(pm)
    _add_rollouts(pm)
    _add_build_rates(pm)
    _add_costs(pm)
    _add_budgets(pm)
    m.total_cost = pyo.Objective(expr=sum(pm.period_cost.values()), sense=pyo.minimize)
    return pm


def _decline(plan: PathwayPlan, technology: str, year: int) -> float:
    """Capex in ``year`` relative to the reference year: (1 - d)^(y - y_ref)."""
    spec = plan.spec
    ref = spec.capex_reference_year or spec.periods[-1]
    return (1.0 - spec.capex_decline_per_year.get(technology, 0.0)) ** (year - ref)


def alive(built: int, year: int, lifetime_years: int) -> bool:
    """Whether capacity built in period ``built`` still serves in period ``year``."""
    return built <= year < built + lifetime_years


def _add_builds(pm: PathwayModel) -> None:
    """``build[y, k]``, and each block's new capacity as the sum of the living vintages."""
    m, plan = pm.model, pm.plan
    m.build = pyo.Var(m.P, m.K, within=pyo.NonNegativeReals)
    life = {k: a.lifetime_years for k, a in m.period[plan.years[0]].assets.items()}
    limits = deliveries(plan.scenario)
    for (y, k) in m.build:
        earliest = plan.spec.earliest_build_year.get(k)
        none_yet = k in limits and limits[k].years(*period_years(plan, y)) == 0
        if none_yet or (earliest is not None and y < earliest):
            m.build[y, k].fix(0.0)
    m.vintage_link = pyo.Constraint(m.P, m.K, rule=lambda _, y, k: m.period[y].new_capacity[k]
                                    == sum(m.build[q, k] for q in plan.years
                                           if alive(q, y, life[k])))


def _add_build_rates(pm: PathwayModel) -> None:
    """Each period builds at most rate x its years (from the earliest year on), for city
    assets and roll-outs alike; the blocks' own single-year rate limits are switched off."""
    m, plan = pm.model, pm.plan
    for y in plan.years:
        m.period[y].build_rate_limit.deactivate()
        m.period[y].rollout_rate_limit.deactivate()
    limits = deliveries(plan.scenario)
    most = {(y, k): d.most(*period_years(plan, y)) for y in plan.years
            for k, d in limits.items()}
    m.period_build_rate = pyo.Constraint(
        [(y, k) for (y, k), v in most.items() if v is not None and k in m.K
         and not m.build[y, k].fixed],
        rule=lambda _, y, k: m.build[y, k] <= most[y, k])
    zones = plan.scenario.zones
    households = plan.scenario.households
    rows = {}
    for (y, name), value in most.items():
        if name not in ROLLOUTS or value is None:
            continue
        items = [i for i in pm.rollouts[y] if i.technology == name]
        if limits[name].scope == "city":
            rows[y, name, "city"] = (items, value)
        else:
            for i in items:
                z = _zone(i)
                rows[y, name, z] = ([i], value * zones[z].households / households)
    m.period_rollout_rate = pyo.Constraint(
        list(rows), rule=lambda _, y, name, scope: sum(
            zones[_zone(i)].households * increment(pm, y, i) for i in rows[y, name, scope][0])
        <= rows[y, name, scope][1])


def _zone(item: Rollout) -> str:
    """The zone of a zone roll-out (``heat_pump_share/<zone>``)."""
    return item.name.split("/", 1)[1]


def _add_rollouts(pm: PathwayModel) -> None:
    """Roll-outs only grow: each period's level is at least the previous period's."""
    m, years = pm.model, pm.plan.years
    names = [i.name for i in pm.rollouts[years[0]]]
    m.R = pyo.Set(initialize=names, ordered=True)
    m.rollout_grows = pyo.Constraint(
        [(y, name) for y in years[1:] for name in names],
        rule=lambda _, y, name: _level(pm, y, name)
        >= _level(pm, years[years.index(y) - 1], name))


def _level(pm: PathwayModel, year: int, name: str):
    item = next(i for i in pm.rollouts[year] if i.name == name)
    return item.level(pm.model.period[year])


def increment(pm: PathwayModel, year: int, item: Rollout):
    """How much a roll-out grows in period ``year`` (an expression)."""
    years = pm.plan.years
    i = years.index(year)
    now = item.level(pm.model.period[year])
    if i == 0:
        return now - item.start
    return now - _level(pm, years[i - 1], item.name)


def years_in_service(pm: PathwayModel, built: int, lifetime_years: int) -> float:
    """:math:`A`: discounted years, within the horizon, that a build of ``built`` serves."""
    return sum(pm.discount[y] for y in pm.plan.years if alive(built, y, lifetime_years))


def _add_costs(pm: PathwayModel) -> None:
    """Each period's discounted operation plus the annuities of what it builds."""
    m, plan = pm.model, pm.plan
    r = plan.scenario.finance.discount_rate
    for p in plan.periods:
        y, blk = p.year, m.period[p.year]
        items = pm.rollouts[y]
        pm.operating_cost[y] = sum(blk.terms.operating_costs.values())
        capital = sum(
            pm.capex_gbp_per_unit[y, k] * annuity_factor(r, a.lifetime_years)
            * years_in_service(pm, y, a.lifetime_years) * m.build[y, k]
            for k, a in blk.assets.items())
        capital += sum(
            i.unit_cost_gbp * _decline(plan, i.technology, y) * annuity_factor(r, i.lifetime_years)
            * years_in_service(pm, y, i.lifetime_years) * increment(pm, y, i) for i in items)
        pm.period_cost[y] = pm.discount[y] * pm.operating_cost[y] + capital


def spend_gbp(pm: PathwayModel, year: int):
    """Overnight capital spent in period ``year`` [GBP] (an expression)."""
    m, plan = pm.model, pm.plan
    blk = m.period[year]
    return sum(pm.capex_gbp_per_unit[year, k] * m.build[year, k] for k in blk.assets) + sum(
        i.unit_cost_gbp * _decline(plan, i.technology, year) * increment(pm, year, i)
        for i in pm.rollouts[year])


def _add_budgets(pm: PathwayModel) -> None:
    """Each period's capital budget, and the scenario's whole-plan budget over the horizon."""
    m, plan = pm.model, pm.plan
    budgets = {p.year: p.capex_budget_gbp for p in plan.periods if p.capex_budget_gbp is not None}
    m.period_capex_budget = pyo.Constraint(
        list(budgets), rule=lambda _, y: spend_gbp(pm, y) <= budgets[y])
    total = plan.scenario.targets.capex_budget_gbp
    if total is not None:
        m.horizon_capex_budget = pyo.Constraint(
            expr=sum(spend_gbp(pm, y) for y in plan.years) <= total)


def period_dataset(pm: PathwayModel, year: int, duals: dict) -> xr.Dataset:
    """The single-period results of one solved period (see :mod:`energy_model.results`)."""
    from energy_model.results import results_dataset
    from energy_model.solve import Solution

    period: Period = next(p for p in pm.plan.periods if p.year == year)
    blk = pm.model.period[year]
    solution = Solution(float(pyo.value(pm.operating_cost[year])), duals, 0.0)
    return results_dataset(blk, period.scenario, pm.inputs[year], solution)
