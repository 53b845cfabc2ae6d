"""Solve the LP with HiGHS in memory, and say clearly when there is no optimal plan."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pyomo.environ as pyo
from pyomo.contrib.solver.common.results import TerminationCondition as TC
from pyomo.contrib.solver.solvers.highs import Highs

from energy_model.errors import SolveError, SolveStatus

log = logging.getLogger(__name__)

_STATUS = {
    TC.convergenceCriteriaSatisfied: SolveStatus.OPTIMAL,
    TC.provenInfeasible: SolveStatus.INFEASIBLE,
    TC.locallyInfeasible: SolveStatus.INFEASIBLE,
    TC.infeasibleOrUnbounded: SolveStatus.INFEASIBLE,
    TC.unbounded: SolveStatus.UNBOUNDED,
    TC.maxTimeLimit: SolveStatus.TIME_LIMIT,
}

# Constraints that a scenario can switch on, and how to name them to a person.
_TARGETS = {
    "renewable_target": "the renewable generation target (targets.renewable_generation)",
    "co2_cap": "the CO2 cap (targets.co2_cap_t_per_year)",
    "capex_budget": "the capital budget (targets.capex_budget_gbp)",
}


@dataclass(frozen=True)
class Solution:
    """What a successful solve returns besides the values loaded into the model."""

    objective_gbp_per_year: float
    duals: dict
    solve_seconds: float
    mip_gap: float | None = None


def _run(m: pyo.ConcreteModel, time_limit_s: float | None, load: bool):
    solver = Highs()
    return solver.solve(
        m,
        load_solutions=load,
        raise_exception_on_nonoptimal_result=False,
        time_limit=time_limit_s,
        solver_options={"output_flag": False},
    )


def solve_model(m: pyo.ConcreteModel, time_limit_s: float | None = None) -> Solution:
    """Solve ``m`` with HiGHS and load the optimal values into it.

    Parameters
    ----------
    m : pyomo.environ.ConcreteModel
        From :func:`energy_model.build.build_model`.
    time_limit_s : float, optional
        Stop the solver after this many seconds (then raise).

    Returns
    -------
    Solution
        Objective [GBP/yr], constraint duals and solve time.

    Raises
    ------
    SolveError
        If the solve is infeasible, unbounded or stopped early; for an infeasible plan
        the message names the targets that cannot be met together and by how much.
    """
    result = _run(m, time_limit_s, load=False)
    status = _STATUS.get(result.termination_condition, SolveStatus.OTHER)
    if status is SolveStatus.OPTIMAL:
        result.solution_loader.load_vars()
        seconds = float(result.timing_info.wall_time or 0.0)
        integers = [v for v in m.component_data_objects(pyo.Var, active=True)
                    if v.is_integer() or v.is_binary()]
        if not integers:
            return Solution(float(pyo.value(m.total_cost)), result.solution_loader.get_duals(),
                            seconds)
        return _lp_duals_for_mip(m, result, integers, seconds, time_limit_s)
    if status is SolveStatus.INFEASIBLE:
        raise SolveError(status, diagnose_infeasibility(m, time_limit_s))
    if status is SolveStatus.UNBOUNDED:
        raise SolveError(status, "Some quantity can grow without limit at a profit: check that "
                                 "export prices are below import prices or set "
                                 "grid.export_limit_mw, and that every cost is non-negative.")
    if status is SolveStatus.TIME_LIMIT:
        raise SolveError(status, f"HiGHS stopped after {time_limit_s} s. Use a coarser "
                                 "--resolution or a shorter time.horizon_hours, or allow "
                                 "more time.")
    raise SolveError(status, f"HiGHS ended with '{result.termination_condition.name}'.")


def _lp_duals_for_mip(m, result, integers, seconds, time_limit_s) -> Solution:
    """Duals of a MILP: fix the integer decisions at their optimum and solve the LP again."""
    objective = float(result.incumbent_objective)
    bound = result.objective_bound
    gap = abs(objective - bound) / max(abs(objective), 1e-9) if bound is not None else None
    domains = [v.domain for v in integers]
    for v in integers:
        value = round(v.value)
        v.domain = pyo.Reals
        v.fix(value)
    try:
        lp = _run(m, time_limit_s, load=True)
        duals = lp.solution_loader.get_duals()
        seconds += float(lp.timing_info.wall_time or 0.0)
    finally:
        for v, domain in zip(integers, domains, strict=True):
            v.unfix()
            v.domain = domain
    return Solution(objective, duals, seconds, mip_gap=gap)


def _feasible(m: pyo.ConcreteModel, time_limit_s: float | None) -> bool:
    result = _run(m, time_limit_s, load=False)
    return _STATUS.get(result.termination_condition) is SolveStatus.OPTIMAL


def diagnose_infeasibility(m: pyo.ConcreteModel, time_limit_s: float | None = None) -> str:
    """Name the targets whose removal makes the plan feasible, with the best reachable values.

    Each active target is switched off in turn; a target without which the plan solves is
    reported, and for the renewable target the most the scenario can generate is found
    by maximising generation under the other constraints.
    """
    active = [n for n in _TARGETS if hasattr(m, n) and getattr(m, n).active]
    culprits = []
    for name in active:
        con = getattr(m, name)
        con.deactivate()
        if _feasible(m, time_limit_s):
            culprits.append(name)
        con.activate()
    if not culprits:
        for name in active:
            getattr(m, name).deactivate()
        ok = _feasible(m, time_limit_s)
        for name in active:
            getattr(m, name).activate()
        if ok and len(active) > 1:
            return ("The targets cannot all be met together: "
                    + ", ".join(_TARGETS[n] for n in active)
                    + ". Relax one of them.")
        return ("Demand cannot be met in some hours even without targets: raise "
                "grid.import_limit_mw, allow more capacity (potential_mw), or check the "
                "demand time series.")
    parts = []
    for name in culprits:
        con = getattr(m, name)
        bound = pyo.value(con.upper if con.upper is not None else con.lower)
        text = f"{_TARGETS[name]} = {bound:,.0f}"
        best = _best_reachable(m, name, time_limit_s)
        if best is not None:
            text += f"; the most this scenario can reach is {best:,.0f}"
        parts.append(text)
    return ("The plan cannot meet " + "; and ".join(parts) + ". Lower the target or raise the "
            "potentials, import limit or budget that bind it.")


def _best_reachable(m: pyo.ConcreteModel, name: str, time_limit_s: float | None) -> float | None:
    """The best value of a target's quantity with the target itself switched off."""
    quantity = {"renewable_target": (m.find_component("renewable_generation_mwh"), pyo.maximize),
                "co2_cap": (m.find_component("co2_t"), pyo.minimize),
                "capex_budget": (m.find_component("capex_gbp"), pyo.minimize)}.get(name)
    if quantity is None or quantity[0] is None:
        return None
    expr, sense = quantity
    con = getattr(m, name)
    con.deactivate()
    m.total_cost.deactivate()
    m._diagnose = pyo.Objective(expr=expr, sense=sense)
    try:
        result = _run(m, time_limit_s, load=False)
        if _STATUS.get(result.termination_condition) is not SolveStatus.OPTIMAL:
            return None
        return float(result.incumbent_objective)
    finally:
        m.del_component(m._diagnose)
        m.total_cost.activate()
        con.activate()
