"""The plan against doing nothing: today's system operated in the plan year.

Every design decision at its lower bound (nothing built, no new heat pumps, connections,
retrofits or pipes), under the same prices and weather, with no targets; the plan's
headline figures are differences from it (:func:`energy_model.economics.
against_do_nothing`).
"""

from __future__ import annotations

import pyomo.environ as pyo
import xarray as xr

from energy_model.build import build_model
from energy_model.economics import AGAINST_DO_NOTHING, against_do_nothing
from energy_model.inputs import ModelInputs
from energy_model.results import results_dataset
from energy_model.scenario import Scenario
from energy_model.solve import DESIGN, solve_model


def do_nothing_scenario(scenario: Scenario) -> Scenario:
    """The scenario without its targets and fixed capacities: what doing nothing faces."""
    return scenario.with_updates({"targets": {}, "fixed_capacity": {}})


def solve_do_nothing(scenario: Scenario, inputs: ModelInputs) -> xr.Dataset:
    """Today's system operated in the plan year: every design decision at its lower bound.

    Solved elastic, so that demand today's system cannot serve is counted (at a penalty,
    left out of the cost) rather than infeasible.

    Returns
    -------
    xarray.Dataset
        Its results; ``attrs["unserved_penalty_gbp_per_year"]`` is what the penalties
        added, already taken out of ``total_cost_gbp_per_year``.
    """
    base = do_nothing_scenario(scenario)
    m = build_model(base, inputs, elastic=True)
    for name in DESIGN:
        var = getattr(m, name, None)
        for v in (var.values() if var is not None else ()):
            v.fix(v.lb if v.lb is not None else 0.0)
    solution = solve_model(m, explain=False)
    ds = results_dataset(m, base, inputs, solution)
    penalty = sum(pyo.value(t) for k, t in m.cost_terms.items() if k.endswith("_penalty"))
    ds.attrs["total_cost_gbp_per_year"] -= penalty
    ds.attrs["unserved_penalty_gbp_per_year"] = penalty
    return ds


def compare_with_do_nothing(plan: xr.Dataset, scenario: Scenario, inputs: ModelInputs
                            ) -> xr.Dataset:
    """Solve doing nothing and write the comparison into the plan's attributes."""
    figures = against_do_nothing(plan, solve_do_nothing(scenario, inputs))
    for key, value in figures.items():
        unit, _ = AGAINST_DO_NOTHING[key]
        plan.attrs[key] = value
        plan.attrs[f"{key}__units"] = unit
    return plan
