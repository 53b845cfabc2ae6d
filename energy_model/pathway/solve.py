"""Solve a pathway: all periods at once (perfect foresight) or one after another (myopic)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyomo.environ as pyo
from pyomo.common.collections import ComponentMap

from energy_model.pathway.model import PathwayModel
from energy_model.solve import solve_model


@dataclass(frozen=True)
class PathwaySolution:
    """What a pathway solve returns besides the values loaded into the model.

    Attributes
    ----------
    total_cost_gbp : float
        The pathway objective at the solution [GBP, discounted to the base year]; for a
        myopic run the same objective evaluated at the plan it built step by step.
    duals : dict
        Constraint duals (for a myopic run, each from the step that solved it).
    solve_seconds : float
    foresight : str
        ``"perfect"`` or ``"myopic"``.
    """

    total_cost_gbp: float
    duals: dict
    solve_seconds: float
    foresight: str
    reduced_costs: ComponentMap = field(default_factory=ComponentMap)


def solve_pathway(pm: PathwayModel, myopic: bool = False,
                  time_limit_s: float | None = None) -> PathwaySolution:
    """Solve the pathway and load its values into ``pm.model``.

    Parameters
    ----------
    pm : PathwayModel
        From :func:`energy_model.pathway.build_pathway`.
    myopic : bool
        Solve period by period: each period sees only its own operation, milestones and
        budget, and the cost of what it builds over the horizon; what earlier periods
        built is fixed. Default: every period at once (perfect foresight).
    time_limit_s : float, optional
        Per solve.

    Returns
    -------
    PathwaySolution

    Raises
    ------
    energy_model.errors.SolveError
        When a solve (for a myopic run: a period's) has no optimal plan.
    """
    if not myopic:
        solution = solve_model(pm.model, time_limit_s=time_limit_s)
        return PathwaySolution(solution.objective_gbp_per_year, dict(solution.duals),
                               solution.solve_seconds, "perfect", solution.reduced_costs)
    return _solve_myopic(pm, time_limit_s)


def _solve_myopic(pm: PathwayModel, time_limit_s: float | None) -> PathwaySolution:
    m, years = pm.model, pm.plan.years
    full = m.total_cost
    m.del_component(full)
    fixed: list[pyo.Var] = []
    duals: dict = {}
    reduced = ComponentMap()
    seconds = 0.0
    per_period = _period_constraints(pm)
    try:
        for y in years:
            for other in years:
                _switch(m.period[other], other == y)
                for con in per_period[other]:
                    _switch(con, other == y)
            if hasattr(m, "horizon_capex_budget"):
                m.horizon_capex_budget.deactivate()
            m.total_cost = pyo.Objective(expr=pm.period_cost[y], sense=pyo.minimize)
            try:
                solution = solve_model(m, time_limit_s=time_limit_s)
            finally:
                m.del_component(m.total_cost)
            duals.update(solution.duals)
            reduced.update(solution.reduced_costs)
            seconds += solution.solve_seconds
            decided = [m.build[y, k] for k in m.K] + [
                i.level(m.period[y]) for i in pm.rollouts[y]]
            for var in decided:
                if not var.fixed:
                    var.fix(var.value if var.value is not None else 0.0)
                    fixed.append(var)
    finally:
        for var in fixed:
            var.unfix()
        for y in years:
            m.period[y].activate()
        for cons in per_period.values():
            for con in cons:
                con.activate()
        if hasattr(m, "horizon_capex_budget"):
            m.horizon_capex_budget.activate()
        m.total_cost = full
    return PathwaySolution(float(pyo.value(full)), duals, seconds, "myopic", reduced)


def _period_constraints(pm: PathwayModel) -> dict[int, list]:
    """The linking constraints of each period (its vintages, roll-outs and budget)."""
    m = pm.model
    out: dict[int, list] = {y: [] for y in pm.plan.years}
    for (y, _k), con in m.vintage_link.items():
        out[y].append(con)
    for (y, _name), con in m.rollout_grows.items():
        out[y].append(con)
    for y, con in m.period_capex_budget.items():
        out[y].append(con)
    for (y, *_rest), con in [*m.period_build_rate.items(), *m.period_rollout_rate.items()]:
        out[y].append(con)
    return out


def _switch(component, on: bool) -> None:
    if on:
        component.activate()
    else:
        component.deactivate()
