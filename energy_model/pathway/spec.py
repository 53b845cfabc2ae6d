"""The ``pathway:`` section of a scenario, and the scenario of each investment period.

A pathway scenario is an ordinary scenario (its figures describe the target year, or
the ``values_reference_year`` for demand, prices and carbon) plus::

    pathway:
      periods: [2026, 2027, 2028, 2029, 2030]
      weights_years: [1, 1, 1, 1, 1]      # default: years to the next period, then 1
      base_year: 2025                      # costs are discounted to 1 January of it
      capex_reference_year: 2030           # the year the technologies' capex describe
      capex_decline_per_year: {ground_pv: 0.02, battery_energy: 0.05}
      values_reference_year: 2025          # the year demand, prices and carbon describe
      growth_per_year: {electricity_demand: 0.005, grid_co2: -0.05}
      values_csv: pathway-values.csv       # or by year: year + the columns of VALUE_COLUMNS
      retire: {energy_from_waste: 2030}    # gone from that year on
      earliest_build_year: {geothermal: 2028}
      renewable_milestones: straight_line  # or final_only; or give them by year:
      renewable_milestones_mwh_per_year: {2027: 50000}
      baseline_year: 2023                  # where the straight line starts
      households_lifted_milestones: {2028: 3000}
      capex_budget_gbp_per_year: 20000000  # or by year: {2026: 1.0e7, 2027: 2.0e7}

:func:`pathway_plan` checks it against the scenario and derives one
:class:`~energy_model.scenario.Scenario` per period with
:meth:`~energy_model.scenario.Scenario.with_updates`: that period's demand, prices and
carbon, its renewable and fuel-poverty milestones, and what has retired.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from energy_model import technologies as registry
from energy_model.components.capacity import city_assets
from energy_model.errors import ScenarioError
from energy_model.scenario import DEFAULT_COUNTS, GROWTH_ITEMS, PathwaySpec, Scenario  # noqa: F401

# Columns a values CSV may carry: the year's value itself, or a factor on the scenario's.
VALUE_COLUMNS = {
    "electricity_demand_factor": "electricity_demand",
    "heat_demand_factor": "heat_demand",
    "import_price_gbp_per_mwh": "import_price",
    "export_price_gbp_per_mwh": "export_price",
    "gas_price_gbp_per_mwh": "gas_price",
    "grid_co2_t_per_mwh": "grid_co2",
    "energy_value_gbp_per_mwh": "energy_value",
    "grid_marginal_co2_t_per_mwh": "grid_marginal_co2",
    "co2_value_gbp_per_t": "carbon_value",
}
# Build-outs charged by increment, beside the city-level assets: their capex may fall too.
ROLLOUT_TECHNOLOGIES = tuple(t for t in registry.paid_for()
                             if registry.REGISTRY[t].level in ("zone", "network"))


@dataclass(frozen=True)
class Period:
    """One investment period: its year, weight, scenario and milestones.

    Attributes
    ----------
    year : int
        First year the period stands for.
    weight_years : int
        Years it stands for (its operation is counted this many times, discounted).
    scenario : Scenario
        The period's scenario (demand, prices, carbon, milestones, retirements).
    renewable_milestone_mwh : float or None
        Local renewable generation the period must reach [MWh/yr] (None: no target).
    households_lifted_milestone : int or None
        Households lifted out of fuel poverty by then (cumulative).
    capex_budget_gbp : float or None
        Overnight capital the period may spend in all its years [GBP].
    """

    year: int
    weight_years: int
    scenario: Scenario
    renewable_milestone_mwh: float | None
    households_lifted_milestone: int | None
    capex_budget_gbp: float | None


@dataclass(frozen=True)
class PathwayPlan:
    """A checked pathway: the spec, the base scenario and one :class:`Period` per year."""

    spec: PathwaySpec
    scenario: Scenario
    periods: tuple[Period, ...]

    @property
    def years(self) -> list[int]:
        """The periods' years, in order."""
        return [p.year for p in self.periods]

    @property
    def target_year(self) -> int:
        """The year the scenario's targets are for (default: the last period)."""
        return self.spec.target_year or self.spec.periods[-1]


def read_spec(scenario: Scenario) -> PathwaySpec:
    """Check ``scenario.pathway`` (validated with the scenario) against the scenario,
    naming the key path and the fix of every problem.

    Raises
    ------
    ScenarioError
        When the section is missing or any key is wrong.
    """
    if scenario.pathway is None:
        raise ScenarioError(scenario.name, [
            "pathway: the scenario has no pathway section; add one with at least "
            "'periods: [2026, 2028, 2030]'"])
    spec = scenario.pathway  # validated with the scenario
    problems = _against_scenario(spec, scenario)
    if problems:
        raise ScenarioError(scenario.name, problems)
    return spec


def _against_scenario(spec: PathwaySpec, scenario: Scenario) -> list[str]:
    """What the spec names that the scenario lacks."""
    assets = set(city_assets(scenario))
    decline_ok = assets | {k for k in ROLLOUT_TECHNOLOGIES if k == "pipes"
                           or getattr(scenario.technologies, k) is not None}
    problems = [f"pathway.capex_decline_per_year.{k}: not a technology of this scenario; "
                f"use one of {sorted(decline_ok)}"
                for k in spec.capex_decline_per_year if k not in decline_ok]
    retirable = assets | ({"energy_from_waste"} if scenario.technologies.energy_from_waste
                          else set())
    problems += [f"pathway.retire.{k}: nothing of that name exists to retire; use one of "
                 f"{sorted(retirable)}" for k in spec.retire if k not in retirable]
    problems += [f"pathway.earliest_build_year.{k}: not a city-level technology of this "
                 f"scenario; use one of {sorted(assets)}"
                 for k in spec.earliest_build_year if k not in assets]
    target = scenario.targets.renewable_generation
    if target is None and spec.renewable_milestones_mwh_per_year:
        problems.append("pathway.renewable_milestones_mwh_per_year: the scenario has no "
                        "targets.renewable_generation saying what counts; add one")
    if spec.households_lifted_milestones and scenario.fuel_poverty is None:
        problems.append("pathway.households_lifted_milestones: needs a 'fuel_poverty' section")
    overridden = {"import_price": "import_price_gbp_per_mwh",
                  "export_price": "export_price_gbp_per_mwh", "grid_co2": "grid_co2_t_per_mwh",
                  "electricity_demand": "electricity_demand_mw",
                  "heat_demand": "heat_demand_mw"}
    for item in spec.growth_per_year:
        csv_key = overridden.get(item)
        if csv_key and getattr(scenario.timeseries, csv_key) is not None:
            problems.append(f"pathway.growth_per_year.{item}: timeseries.{csv_key} replaces "
                            "the figure it would scale; give each period's CSV or drop one")
    parts = scenario.grid.energy_value_gbp_per_mwh is not None
    for item in ("import_price", "export_price") if parts else ("energy_value",):
        if item in spec.growth_per_year:
            problems.append(f"pathway.growth_per_year.{item}: the grid is given "
                            + ("in parts; grow energy_value instead" if parts else
                               "as a flat import price; grow import_price instead"))
    if "gas_price" in spec.growth_per_year and scenario.gas is None:
        problems.append("pathway.growth_per_year.gas_price: the scenario has no gas section")
    return problems


def read_values_csv(scenario: Scenario, spec: PathwaySpec) -> pd.DataFrame:
    """The per-year values CSV, indexed by year (empty when none is given).

    Raises
    ------
    ScenarioError
        For a missing file, an unknown column or a missing period.
    """
    if spec.values_csv is None:
        return pd.DataFrame()
    path = scenario.resolve_path(spec.values_csv)
    where = f"pathway.values_csv ({path})"
    try:
        table = pd.read_csv(path, comment="#")
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise ScenarioError(scenario.name, [f"{where}: cannot be read ({err})"]) from None
    unknown = [c for c in table.columns if c != "year" and c not in VALUE_COLUMNS]
    problems = []
    if "year" not in table.columns:
        problems.append(f"{where}: no 'year' column")
    if unknown:
        problems.append(f"{where}: columns {unknown} are not known; use year and some of "
                        f"{list(VALUE_COLUMNS)}")
    if problems:
        raise ScenarioError(scenario.name, problems)
    table = table.set_index("year")
    missing = sorted(set(spec.periods) - set(table.index))
    if missing:
        raise ScenarioError(scenario.name, [f"{where}: no row for periods {missing}"])
    if (table.to_numpy() < 0).any():
        raise ScenarioError(scenario.name, [f"{where}: negative values; fix them"])
    return table


def pathway_plan(scenario: Scenario) -> PathwayPlan:
    """Check the scenario's pathway and derive each period's scenario.

    Per period :math:`p` (year :math:`y_p`), from the base scenario:

    - demand, prices and grid carbon: the ``values_csv`` row for :math:`y_p`, else the
      scenario's figure x :math:`(1 + g)^{y_p - y^{val}}` for each ``growth_per_year``;
    - renewable milestone :math:`M_p`: given by year, else on the straight line from
      (``baseline_year``, baseline) to (``target_year``, baseline x multiplier), reached
      and held from the target year on (``final_only``: none before the target year);
    - fuel poverty: ``households_lifted_milestones`` where given; the scenario's
      ``min_households_lifted`` and ``min_private_homes_improved`` pro rata on a straight
      line from ``base_year`` (nothing done yet) to the target year, and its
      ``max_fuel_poverty_rate`` from the target year on;
    - retirements: ``energy_from_waste`` removed, or a city asset's existing capacity
      set to 0, from the year given on;
    - the scenario's ``capex_budget_gbp`` is left to the pathway (a whole-horizon cap).

    Returns
    -------
    PathwayPlan
    """
    spec = read_spec(scenario)
    values = read_values_csv(scenario, spec)
    target_year = spec.target_year or spec.periods[-1]
    periods = []
    for year, weight in zip(spec.periods, spec.weights, strict=True):
        milestone = renewable_milestone_mwh(scenario, spec, year)
        lifted = _households_milestone(scenario, spec, year, target_year)
        updates = {"pathway": None,
                   # the period builds in its own years; the pathway applies the build
                   # rates to each period (energy_model.pathway.model)
                   "plan_years": {"base_year": year - 1, "plan_year": year},
                   **_value_updates(scenario, spec, values, year),
                   **_target_updates(scenario, spec, year, target_year, milestone, lifted),
                   **_retirements(scenario, spec, year)}
        period_scenario = scenario.with_updates(updates)
        period_scenario = period_scenario.model_copy(
            update={"name": f"{scenario.name}-{year}"})
        periods.append(Period(year, weight, period_scenario, milestone, lifted,
                              _budget(spec, year, weight)))
    return PathwayPlan(spec, scenario, tuple(periods))


def renewable_milestone_mwh(scenario: Scenario, spec: PathwaySpec, year: int) -> float | None:
    """The renewable generation period ``year`` must reach [MWh/yr] (None: no target)."""
    target = scenario.targets.renewable_generation
    if year in spec.renewable_milestones_mwh_per_year:
        return float(spec.renewable_milestones_mwh_per_year[year])
    if target is None:
        return None
    final = target.target_mwh_per_year
    target_year = spec.target_year or spec.periods[-1]
    if year >= target_year:
        return final
    if spec.renewable_milestones == "final_only":
        return None
    start = spec.baseline_year if spec.baseline_year is not None else spec.first_year
    baseline = target.baseline_mwh
    if year <= start:
        return baseline
    return baseline + (final - baseline) * (year - start) / (target_year - start)


def _households_milestone(scenario: Scenario, spec: PathwaySpec, year: int,
                          target_year: int) -> int | None:
    if year in spec.households_lifted_milestones:
        return spec.households_lifted_milestones[year]
    goal = scenario.targets.fuel_poverty
    if goal is None or goal.min_households_lifted is None:
        return None
    return round(goal.min_households_lifted * _share_of_way(spec, year, target_year))


def _share_of_way(spec: PathwaySpec, year: int, target_year: int) -> float:
    """Straight-line share of a goal due by ``year``: 0 at the base year, 1 at the target."""
    start = spec.first_year
    if year >= target_year or target_year <= start:
        return 1.0
    return max(0.0, (year - start) / (target_year - start))


def _value_updates(scenario: Scenario, spec: PathwaySpec, values: pd.DataFrame,
                   year: int) -> dict[str, Any]:
    """Zones' demands, grid prices and carbon, gas price for ``year``."""
    ref = spec.values_reference_year or spec.periods[-1]
    row = values.loc[year] if year in values.index else pd.Series(dtype=float)

    def factor(item: str) -> float:
        return (1.0 + spec.growth_per_year.get(item, 0.0)) ** (year - ref)

    def given(column: str) -> float | None:
        value = row.get(column)
        return None if value is None or pd.isna(value) else float(value)

    updates: dict[str, Any] = {}
    for item, keys in (("electricity_demand", ("domestic_electricity_mwh_per_year",
                                               "non_domestic_electricity_mwh_per_year")),
                       ("heat_demand", ("domestic_heat_mwh_per_year",
                                        "non_domestic_heat_mwh_per_year"))):
        f = given(f"{item}_factor")
        f = factor(item) if f is None else f
        if f != 1.0:
            for z, zone in scenario.zones.items():
                for key in keys:
                    updates[f"zones.{z}.{key}"] = getattr(zone, key) * f
    grid = scenario.grid
    for item, path, base, column in (
            ("import_price", "grid.import_price_gbp_per_mwh", grid.import_price_gbp_per_mwh,
             "import_price_gbp_per_mwh"),
            ("export_price", "grid.export_price_gbp_per_mwh", grid.export_price_gbp_per_mwh,
             "export_price_gbp_per_mwh"),
            ("grid_co2", "grid.co2_t_per_mwh", grid.co2_t_per_mwh, "grid_co2_t_per_mwh"),
            ("energy_value", "grid.energy_value_gbp_per_mwh", grid.energy_value_gbp_per_mwh,
             "energy_value_gbp_per_mwh"),
            ("grid_marginal_co2", "grid.marginal_co2_t_per_mwh", grid.marginal_co2_t_per_mwh,
             "grid_marginal_co2_t_per_mwh"),
            ("carbon_value", "carbon.co2_value_gbp_per_t", scenario.carbon.co2_value_gbp_per_t,
             "co2_value_gbp_per_t"),
            ("gas_price", "gas.price_gbp_per_mwh",
             scenario.gas.price_gbp_per_mwh if scenario.gas else None, "gas_price_gbp_per_mwh")):
        value = given(column)
        if value is None and base is not None and item in spec.growth_per_year:
            value = base * factor(item)
        if value is not None:
            updates[path] = value
    return updates


def _target_updates(scenario: Scenario, spec: PathwaySpec, year: int, target_year: int,
                    milestone: float | None, lifted: int | None) -> dict[str, Any]:
    targets = scenario.targets
    updates: dict[str, Any] = {"targets.capex_budget_gbp": None}
    if targets.renewable_generation is not None or milestone is not None:
        counts = (targets.renewable_generation.counts if targets.renewable_generation
                  else list(DEFAULT_COUNTS))
        # no milestone: keep the target's counts (what is reported) with a target of 0
        updates["targets.renewable_generation"] = {
            "baseline_mwh_per_year": milestone or 0.0, "multiplier": 1.0, "counts": counts,
            "note": f"pathway milestone for {year}"}
    goal = targets.fuel_poverty
    if goal is not None or lifted is not None:
        data = goal.model_dump() if goal is not None else {}
        share = _share_of_way(spec, year, target_year)
        data["min_households_lifted"] = lifted
        if data.get("min_private_homes_improved") is not None:
            data["min_private_homes_improved"] = round(data["min_private_homes_improved"]
                                                       * share)
        if year < target_year:
            data["max_fuel_poverty_rate"] = None
        updates["targets.fuel_poverty"] = {k: v for k, v in data.items() if v is not None}
    return updates


def _retirements(scenario: Scenario, spec: PathwaySpec, year: int) -> dict[str, Any]:
    updates: dict[str, Any] = {}
    for name, retire_year in spec.retire.items():
        if year < retire_year:
            continue
        if name == "energy_from_waste":
            updates["technologies.energy_from_waste"] = None
        else:
            tech = registry.REGISTRY[name]
            updates[f"technologies.{tech.section}.{tech.existing_key}"] = 0.0
    return updates


def _budget(spec: PathwaySpec, year: int, weight: int) -> float | None:
    budget = spec.capex_budget_gbp_per_year
    if isinstance(budget, dict):
        budget = budget.get(year)
    return None if budget is None else budget * weight


def period_years(plan: PathwayPlan, year: int) -> tuple[int, int]:
    """First and last calendar year period ``year`` stands for."""
    period = next(p for p in plan.periods if p.year == year)
    return year, year + period.weight_years - 1
