"""What limits a plan: the limits that bind after a solve, and what relaxing each is worth.

Each limit a scenario sets is a constraint or a variable bound of the LP. Its shadow
price (a constraint's dual, a bound's reduced cost) is what one unit more of the limit
would save a year, read in the unit an officer sets it in:

=================  ================================================  =======================
limit              from                                              shadow price
=================  ================================================  =======================
potential          upper bound of ``new_capacity[k]``; of a zone's   GBP/yr per MW (MWh) of
                   heat-pump, heat-network or retrofit share         potential; per home
build rate         dual of ``build_rate_limit[k]`` or                GBP/yr per MW (MWh,
                   ``rollout_rate_limit[i, s]`` x its years          home) a year of rate
target             dual of ``renewable_target`` and the other        GBP/MWh, GBP/t,
                   targets, caps and the budget                      GBP/yr per household...
import limit       upper bounds of ``grid_import[t]``, summed        GBP/yr per MW
=================  ================================================  =======================

Limits are ranked by what relaxing each by 1 % would save a year (shadow price x 1 % of
the limit, to first order): one currency across units.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pyomo.environ as pyo

from energy_model import technologies as registry
from energy_model.scenario import Scenario
from energy_model.solve import Solution

# Below this a shadow price [GBP/yr per unit] or a 1 % saving [GBP/yr] is solver round-off.
TOLERANCE = 1e-6
# A value within this share of its bound is at it.
AT_BOUND = 1e-5

ONLY_POTENTIALS = ("this plan builds every renewable the scenario allows; the result is set "
                   "by the potentials, not by costs")

_POTENTIAL_KEY = {t.name: f"{t.section}.{t.maximum_key}" for t in registry.REGISTRY.values()
                  if t.level == "city"}
_SHARES = {t.share: f"max_{t.share}" for t in registry.REGISTRY.values() if t.share}


@dataclass(frozen=True)
class Limit:
    """One binding limit and its shadow price.

    Attributes
    ----------
    name : str
        What it is, in words.
    kind : str
        ``potential``, ``build_rate``, ``target``, ``import_limit``, ``export_limit``.
    scenario_key : str
        Where the scenario sets it.
    level : float
        The limit, in ``unit``.
    unit : str
    shadow_price : float
        What one unit more of the limit saves a year (non-negative).
    shadow_price_unit : str
    saving_if_relaxed_1pct_gbp_per_year : float
        ``shadow_price`` x 1 % of ``level``.
    """

    name: str
    kind: str
    scenario_key: str
    level: float
    unit: str
    shadow_price: float
    shadow_price_unit: str

    @property
    def saving_if_relaxed_1pct_gbp_per_year(self) -> float:
        """To first order, what relaxing the limit by 1 % saves a year [GBP/yr]."""
        return self.shadow_price * 0.01 * abs(self.level)


def _at_upper(var) -> bool:
    ub, value = var.ub, var.value
    return ub is not None and value is not None and value >= ub - AT_BOUND * max(1.0, abs(ub))


def _binding(con) -> bool:
    body = pyo.value(con.body)
    for bound in (con.upper, con.lower):
        if bound is not None:
            b = pyo.value(bound)
            if abs(body - b) <= AT_BOUND * max(1.0, abs(b)):
                return True
    return False


def binding_limits(m: pyo.Block, scenario: Scenario, solution: Solution) -> list[Limit]:
    """The limits that bind in a solved single-year model, most valuable first.

    Parameters
    ----------
    m : pyomo.environ.Block
        Solved by :func:`energy_model.solve.solve_model` (or a pathway period's block).
    scenario : Scenario
    solution : Solution
        Its duals and reduced costs.

    Returns
    -------
    list of Limit
        Ranked by :attr:`Limit.saving_if_relaxed_1pct_gbp_per_year`, largest first.
    """
    rc = solution.reduced_costs
    out: list[Limit] = []

    def dual(con) -> float:
        return abs(float(solution.duals.get(con, 0.0))) if _binding(con) else 0.0

    for k, asset in m.assets.items():
        var = m.new_capacity[k]
        if var.fixed or not _at_upper(var):
            continue
        price = max(0.0, -float(rc.get(var, 0.0)))
        key = _POTENTIAL_KEY.get(k, f"{k}.potential_mw")
        rate = getattr(m, "build_rate_limit", {})
        # where rate x years equals the room left, the solver may price either one
        same = k in rate and abs(pyo.value(rate[k].upper) - var.ub) <= AT_BOUND * max(1.0, var.ub)
        out.append(Limit(f"potential of {k}" + (" (= its build rate x years)" if same else ""),
                         "potential", f"technologies.{key}",
                         asset.maximum, asset.unit, price,
                         f"GBP/yr per {asset.unit} of potential"))
    for var_name, key in _SHARES.items():
        shares = getattr(m, var_name, None)
        for z in (shares if shares is not None else ()):
            var = shares[z]
            households = scenario.zones[z].households
            if (var.fixed or not households or var.ub is None or var.lb is None
                    or var.ub - var.lb <= AT_BOUND or not _at_upper(var)):
                continue
            price = max(0.0, -float(rc.get(var, 0.0))) / households
            out.append(Limit(f"{key.removeprefix('max_')} of {z}", "potential",
                             f"zones.{z}.{key}", var.ub * households, "homes", price,
                             "GBP/yr per home of potential"))
    for k in getattr(m, "build_rate_limit", {}):
        if not m.build_rate_limit[k].active:
            continue
        d, years = m.deliveries[k], m.delivery_years[k]
        out.append(Limit(f"build rate of {k}", "build_rate", d.scenario_key, d.rate_per_year,
                         f"{d.unit}/yr", dual(m.build_rate_limit[k]) * years,
                         f"GBP/yr per {d.unit}/yr of rate"))
    for name, scope in getattr(m, "rollout_rate_limit", {}):
        if not m.rollout_rate_limit[name, scope].active:
            continue
        d, years = m.deliveries[name], m.delivery_years[name]
        where = "" if scope == "city" else f" in {scope}"
        out.append(Limit(f"build rate of {name}{where}", "build_rate", d.scenario_key,
                         d.rate_per_year, "homes/yr",
                         dual(m.rollout_rate_limit[name, scope]) * years,
                         "GBP/yr per home/yr of rate"))
    out += _targets(m, scenario, dual)
    for side in ("import", "export"):
        limit = getattr(scenario.grid, f"{side}_limit_mw")
        flows = getattr(m, f"grid_{side}", None)
        if limit is None or flows is None:
            continue
        price = -sum(float(rc.get(flows[t], 0.0)) for t in m.T if _at_upper(flows[t]))
        out.append(Limit(f"grid {side} limit", f"{side}_limit", f"grid.{side}_limit_mw", limit,
                         "MW", max(price, 0.0), "GBP/yr per MW"))
    out = [lim for lim in out if lim.shadow_price > TOLERANCE
           and lim.saving_if_relaxed_1pct_gbp_per_year > TOLERANCE]
    return sorted(out, key=lambda lim: -lim.saving_if_relaxed_1pct_gbp_per_year)


def _targets(m: pyo.Block, scenario: Scenario, dual) -> list[Limit]:
    targets = scenario.targets
    out = []
    rows = [("renewable_target", "renewable electricity target", "targets.renewable_generation",
             "MWh/yr", "GBP/MWh",
             targets.renewable_generation.target_mwh_per_year
             if targets.renewable_generation else None),
            ("renewable_heat_target", "renewable heat target", "targets.renewable_heat",
             "MWh/yr", "GBP/MWh",
             targets.renewable_heat.target_mwh_per_year if targets.renewable_heat else None),
            ("co2_cap", "CO2 cap", "targets.co2_cap_t_per_year", "t/yr", "GBP/t",
             targets.co2_cap_t_per_year),
            ("capex_budget", "capital budget", "targets.capex_budget_gbp", "GBP",
             "GBP/yr per GBP", targets.capex_budget_gbp)]
    goal = targets.fuel_poverty
    if goal is not None:
        households, fuel_poor = scenario.households, scenario.fuel_poor_households
        rate = goal.max_fuel_poverty_rate
        rows += [("fuel_poverty_target", "households lifted out of fuel poverty",
                  "targets.fuel_poverty.min_households_lifted", "households",
                  "GBP/yr per household", goal.min_households_lifted),
                 ("fuel_poverty_rate_cap", "fuel-poverty rate cap (households left)",
                  "targets.fuel_poverty.max_fuel_poverty_rate", "households",
                  "GBP/yr per household",
                  None if rate is None else min(rate * households, fuel_poor)),
                 ("private_homes_target", "private homes improved",
                  "targets.fuel_poverty.min_private_homes_improved", "homes",
                  "GBP/yr per home", goal.min_private_homes_improved)]
    for con_name, name, key, unit, price_unit, level in rows:
        con = getattr(m, con_name, None)
        if con is not None and con.active and level is not None:
            out.append(Limit(name, "target", key, float(level), unit, dual(con), price_unit))
    return out


def limits_table(limits: list[Limit]) -> pd.DataFrame:
    """The binding limits as a table, one row each, in rank order."""
    return pd.DataFrame(
        [(lim.name, lim.kind, lim.scenario_key, lim.level, lim.unit, lim.shadow_price,
          lim.shadow_price_unit, lim.saving_if_relaxed_1pct_gbp_per_year) for lim in limits],
        columns=["limit", "kind", "scenario_key", "level", "unit", "shadow_price",
                 "shadow_price_unit", "saving_if_relaxed_1pct_gbp_per_year"])


def limits_sentence(limits: list[Limit]) -> str:
    """One sentence on what limits the plan, for the headline."""
    if not limits:
        return "No limit binds: the plan is set by costs alone."
    if all(lim.kind == "potential" for lim in limits):
        return ONLY_POTENTIALS[0].upper() + ONLY_POTENTIALS[1:] + "."
    top = limits[0]
    return (f"{len(limits)} limit{'s' if len(limits) > 1 else ''} bind; the most valuable is "
            f"the {registry.words(top.name)} ({top.scenario_key}): "
            f"{price_text(top.shadow_price)} {top.shadow_price_unit}.")


def price_text(value: float) -> str:
    """A shadow price as a reader wants it: whole pounds from 100 up, pence below."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"


def pathway_limits(pm, solution) -> list[Limit]:
    """The limits that bind in a solved pathway, most valuable first.

    Shadow prices are in GBP of the pathway's objective (present value at the base year):
    per MW (MWh, home) a year more of a period's build rate, per MW more of a potential
    in a period, per MWh/yr more of a period's renewable milestone.

    Parameters
    ----------
    pm : energy_model.pathway.PathwayModel
        Solved by :func:`energy_model.pathway.solve_pathway`.
    solution : energy_model.pathway.PathwaySolution

    Returns
    -------
    list of Limit
    """
    from energy_model.components.build_rates import deliveries
    from energy_model.pathway.spec import period_years

    m, plan = pm.model, pm.plan
    limits = deliveries(plan.scenario)
    rc = solution.reduced_costs
    out: list[Limit] = []

    def dual(con) -> float:
        return abs(float(solution.duals.get(con, 0.0))) if _binding(con) else 0.0

    for (y, k), con in m.period_build_rate.items():
        d = limits[k]
        out.append(Limit(f"build rate of {k} in {y}", "build_rate", d.scenario_key,
                         d.rate_per_year, f"{d.unit}/yr",
                         dual(con) * d.years(*period_years(plan, y)),
                         f"GBP (present value) per {d.unit}/yr of rate in {y}"))
    for (y, name, scope), con in m.period_rollout_rate.items():
        d = limits[name]
        where = "" if scope == "city" else f" in {scope}"
        out.append(Limit(f"build rate of {name}{where} in {y}", "build_rate", d.scenario_key,
                         d.rate_per_year, "homes/yr",
                         dual(con) * d.years(*period_years(plan, y)),
                         f"GBP (present value) per home/yr of rate in {y}"))
    for p in plan.periods:
        blk = m.period[p.year]
        for k, asset in blk.assets.items():
            var = blk.new_capacity[k]
            if var.fixed or not _at_upper(var):
                continue
            out.append(Limit(f"potential of {k} in {p.year}", "potential",
                             f"technologies.{_POTENTIAL_KEY.get(k, f'{k}.potential_mw')}",
                             asset.maximum, asset.unit, max(0.0, -float(rc.get(var, 0.0))),
                             f"GBP (present value) per {asset.unit} of potential in "
                             f"{p.year}"))
        con = getattr(blk, "renewable_target", None)
        if con is not None and p.renewable_milestone_mwh:
            out.append(Limit(f"renewable milestone of {p.year}", "target",
                             "targets.renewable_generation / pathway milestones",
                             p.renewable_milestone_mwh, "MWh/yr", dual(con),
                             "GBP (present value) per MWh/yr"))
    out = [lim for lim in out if lim.shadow_price > TOLERANCE
           and lim.saving_if_relaxed_1pct_gbp_per_year > TOLERANCE]
    return sorted(out, key=lambda lim: -lim.saving_if_relaxed_1pct_gbp_per_year)
