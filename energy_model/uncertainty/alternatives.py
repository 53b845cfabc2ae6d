"""Near-optimal alternatives: how far each build can move at almost no extra cost.

Modelling to generate alternatives (MGA). With the least annual cost :math:`C^*` found,
the cost becomes a constraint and each build :math:`x_b` (a technology's new capacity, a
candidate pipe, homes given heat pumps, connected or retrofitted) is minimised and then
maximised in turn:

.. math::

    \\min / \\max \\; x_b \\quad \\text{s.t. the plan's constraints and} \\quad
    C \\le (1 + \\varepsilon) \\, C^*

The interval :math:`[\\min x_b, \\max x_b]` is what the plan can do with that build while
costing at most :math:`\\varepsilon` more: a narrow interval is a firm decision, a wide
one a choice the cost barely cares about. Only the objective changes between the
:math:`2B` solves, so each starts from the previous optimal basis
(:class:`energy_model.solve.WarmStart`).

=====================  ============================  ========
symbol                 Pyomo name                    unit
=====================  ============================  ========
:math:`C`              ``m.total_cost`` (its expr)   GBP/yr
:math:`\\varepsilon`    ``slack``                     -
cost limit             ``m.near_optimal_cost``       GBP/yr
:math:`x_b`            ``m.near_optimal_objective``  MW, MWh or homes
=====================  ============================  ========
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import pandas as pd
import pyomo.environ as pyo

from energy_model.build import build_model
from energy_model.inputs import ModelInputs, prepare_inputs
from energy_model.scenario import Scenario
from energy_model.solve import WarmStart, solve_model
from energy_model.uncertainty.builds import build_expressions

COLUMNS = ("build", "unit", "optimal", "min", "max", "cost_at_min_gbp_per_year",
           "cost_at_max_gbp_per_year")


def near_optimal_ranges(scenario: Scenario, slack: float = 0.05,
                        inputs: ModelInputs | None = None,
                        builds: list[str] | None = None,
                        progress: Callable[[str], None] | None = None) -> pd.DataFrame:
    """The least and most of each build among plans within ``slack`` of the least cost.

    Parameters
    ----------
    scenario : Scenario
    slack : float
        Allowed extra annual cost as a fraction of the optimum (0.05 for 5 %).
    inputs : ModelInputs, optional
        Prepared from ``scenario`` when not given.
    builds : list of str, optional
        Only these builds (names as in :func:`energy_model.uncertainty.builds.plan_builds`);
        default every build the plan is free to choose.
    progress : callable, optional
        Called with a line of text after each solve.

    Returns
    -------
    pandas.DataFrame
        One row per build: ``build``, ``unit``, ``optimal`` (in the least-cost plan),
        ``min``, ``max`` and the annual cost of the plans reaching them; its ``attrs``
        hold ``solves`` and ``warm_started``; the columns ``slack`` and
        ``optimal_cost_gbp_per_year`` repeat the slack and the least cost on every row.

    Raises
    ------
    SolveError
        If the scenario has no optimal plan.
    ValueError
        For a negative or non-finite slack, or a build the plan cannot choose.
    """
    if not (math.isfinite(slack) and slack >= 0):
        raise ValueError(f"slack must be a non-negative fraction, got {slack}")
    inputs = inputs if inputs is not None else prepare_inputs(scenario)
    m = build_model(scenario, inputs)
    optimum = solve_model(m, schedule=False).objective_gbp_per_year   # design and cost only
    expressions = build_expressions(m, scenario)
    if builds is not None:
        unknown = [b for b in builds if b not in expressions]
        if unknown:
            raise ValueError(f"no free build named {', '.join(unknown)}; the plan can choose "
                             f"{', '.join(expressions)}")
        expressions = {b: expressions[b] for b in builds}
    optimal = {b: float(pyo.value(e)) for b, (e, _) in expressions.items()}
    m.near_optimal_cost = pyo.Constraint(expr=m.total_cost.expr <= (1 + slack) * optimum)
    m.total_cost.deactivate()
    warm = WarmStart()
    rows = []
    start = time.perf_counter()
    for b, (expr, unit) in expressions.items():
        row = {"build": b, "unit": unit, "optimal": optimal[b]}
        for end, sign in (("min", 1.0), ("max", -1.0)):
            if hasattr(m, "near_optimal_objective"):
                m.del_component(m.near_optimal_objective)
            m.near_optimal_objective = pyo.Objective(expr=sign * expr, sense=pyo.minimize)
            solution = solve_model(m, explain=False, warm_start=warm)
            row[end] = _clean(float(pyo.value(expr)))
            row[f"cost_at_{end}_gbp_per_year"] = solution.objective_gbp_per_year
        rows.append(row)
        if progress is not None:
            progress(f"  {b}: {row['min']:,.1f} to {row['max']:,.1f} {unit} "
                     f"(least-cost plan {optimal[b]:,.1f}); "
                     f"{time.perf_counter() - start:.0f} s elapsed")
    table = pd.DataFrame(rows, columns=list(COLUMNS)).assign(
        slack=slack, optimal_cost_gbp_per_year=optimum)
    table.attrs.update(solves=1 + 2 * len(expressions), warm_started=warm.reused)
    return table


def _clean(x: float) -> float:
    """Solver round-off around zero (-1e-9 MW) as zero."""
    return 0.0 if abs(x) < 1e-6 else x


def format_ranges(table: pd.DataFrame, scenario_name: str = "") -> str:
    """The near-optimal ranges as text, one line per build."""
    cost = float(table["optimal_cost_gbp_per_year"].iloc[0])
    slack = float(table["slack"].iloc[0])
    head = (f"Near-optimal plans{' of ' + scenario_name if scenario_name else ''}: every plan "
            f"costing at most {slack:.1%} more than the least annual cost "
            f"({cost / 1e6:,.2f} m GBP/yr, limit {(1 + slack) * cost / 1e6:,.2f} m GBP/yr)")
    shown = pd.DataFrame({
        "build": table["build"], "unit": table["unit"],
        "least-cost plan": table["optimal"], "min": table["min"], "max": table["max"],
    })
    text = shown.to_string(index=False, float_format=lambda v: f"{v:,.1f}")
    return f"{head}\n{text}"
