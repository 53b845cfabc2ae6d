"""Solve the LP with HiGHS in memory, and say clearly when there is no optimal plan."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pyomo.environ as pyo
from pyomo.contrib.solver.common.results import SolutionStatus
from pyomo.contrib.solver.common.results import TerminationCondition as TC
from pyomo.repn import generate_standard_repn

from energy_model.diagnose import conflicting_targets, iis_explanation, run_highs
from energy_model.errors import SolveError, SolveStatus

_STATUS = {
    TC.convergenceCriteriaSatisfied: SolveStatus.OPTIMAL,
    TC.provenInfeasible: SolveStatus.INFEASIBLE,
    TC.locallyInfeasible: SolveStatus.INFEASIBLE,
    TC.infeasibleOrUnbounded: SolveStatus.INFEASIBLE,
    TC.unbounded: SolveStatus.UNBOUNDED,
    TC.maxTimeLimit: SolveStatus.TIME_LIMIT,
}


def status_of(result) -> SolveStatus:
    """How a Pyomo HiGHS result ended, as a :class:`SolveStatus`."""
    return _STATUS.get(result.termination_condition, SolveStatus.OTHER)


@dataclass(frozen=True)
class Solution:
    """What a successful solve returns besides the values loaded into the model.

    ``proven_optimal`` is False when a time limit stopped the solver with a feasible plan
    in hand (then ``mip_gap`` says how far from optimal it may be, for binary networks).
    """

    objective_gbp_per_year: float
    duals: dict
    solve_seconds: float
    mip_gap: float | None = None
    proven_optimal: bool = True


# Above this many variables an LP goes to HiGHS's interior-point solver without crossover:
# measured on the Stoke default at 2,190 hourly steps (83,000 variables) it took 22 s
# against 72 s for simplex and 76 s for the interior point with crossover, with the same
# objective to 4e-9 (benchmarks/bench_solvers.py). Small LPs keep HiGHS's own choice.
IPM_ABOVE_VARIABLES = 20_000

# The interior point is scaled so that no cost coefficient exceeds this. Unscaled, the
# heating-share costs (up to 4e7 GBP/yr for a whole zone) made it stall ("no progress")
# on the Stoke default at 2,190 hourly steps and fall back to crossover; scaled by 2^-6
# to 2^-12 it reached optimality every time, in 19-20 s (benchmarks/bench_solvers.py).
# HiGHS reports objective and duals unscaled.
LARGEST_SCALED_COST = 1e5


def objective_scale_exponent(m: pyo.ConcreteModel) -> int:
    """Power of two by which HiGHS should scale the objective of ``m`` (0 or negative)."""
    objective = next(m.component_data_objects(pyo.Objective, active=True))
    repn = generate_standard_repn(objective.expr, compute_values=True, quadratic=False)
    largest = max((abs(c) for c in repn.linear_coefs), default=0.0)
    if largest <= LARGEST_SCALED_COST:
        return 0
    return -math.ceil(math.log2(largest / LARGEST_SCALED_COST))


def algorithm_for(m: pyo.ConcreteModel) -> dict[str, object]:
    """HiGHS options choosing the algorithm for ``m`` (empty: HiGHS's default)."""
    n = m.nvariables()
    has_integers = any(v.is_integer() or v.is_binary()
                       for v in m.component_data_objects(pyo.Var, active=True))
    if n > IPM_ABOVE_VARIABLES and not has_integers:
        return {"solver": "ipm", "run_crossover": "off",
                "user_objective_scale": objective_scale_exponent(m)}
    return {}


def solve_model(m: pyo.ConcreteModel, time_limit_s: float | None = None,
                explain: bool = True) -> Solution:
    """Solve ``m`` with HiGHS and load the optimal values into it.

    Parameters
    ----------
    m : pyomo.environ.ConcreteModel
        From :func:`energy_model.build.build_model`.
    time_limit_s : float, optional
        Stop the solver after this many seconds. A mixed-integer plan found by then is
        kept and labelled not proven optimal; otherwise the solve raises.
    explain : bool
        On an infeasible plan, find which targets conflict and an irreducible infeasible
        set (a few more solves).

    Returns
    -------
    Solution
        Objective [GBP/yr], constraint duals and solve time.

    Raises
    ------
    SolveError
        If the solve is infeasible, unbounded or stopped without a plan; for an
        infeasible plan ``err.diagnosis`` lists what conflicts, in scenario terms.
    """
    options = algorithm_for(m)
    _, result = run_highs(m, time_limit_s, options=options)
    status = status_of(result)
    if status is SolveStatus.OTHER and options:
        # the interior point without crossover could not certify its answer: finish it
        # with crossover, which also gives a basic solution
        _, result = run_highs(m, time_limit_s, options={**options, "run_crossover": "on"})
        status = status_of(result)
    integers = [v for v in m.component_data_objects(pyo.Var, active=True)
                if v.is_integer() or v.is_binary()]
    has_plan = result.solution_status in (SolutionStatus.optimal, SolutionStatus.feasible)
    if status is SolveStatus.OPTIMAL or (status is SolveStatus.TIME_LIMIT and integers
                                         and has_plan):
        result.solution_loader.load_vars()
        seconds = float(result.timing_info.wall_time or 0.0)
        optimal = status is SolveStatus.OPTIMAL
        if not integers:
            return Solution(float(pyo.value(m.total_cost)), result.solution_loader.get_duals(),
                            seconds)
        return _lp_duals_for_mip(m, result, integers, seconds, time_limit_s, optimal)
    if status is SolveStatus.INFEASIBLE:
        diagnosis = []
        if explain:
            diagnosis = conflicting_targets(m, time_limit_s)
            iis = iis_explanation(m, time_limit_s)
            if iis:
                diagnosis.append("These constraints cannot hold together (an irreducible "
                                 "infeasible set):")
                diagnosis += [f"  - {line}" for line in iis]
        raise SolveError(status, "\n".join(diagnosis) or "Run with --elastic to see by how "
                         "much each target or balance is missed.", diagnosis=diagnosis)
    if status is SolveStatus.UNBOUNDED:
        raise SolveError(status, "Some quantity can grow without limit at a profit: check that "
                                 "export prices are below import prices or set "
                                 "grid.export_limit_mw, and that every cost is non-negative.")
    if status is SolveStatus.TIME_LIMIT:
        raise SolveError(status, f"HiGHS stopped after {time_limit_s} s without a plan. Use a "
                                 "coarser --resolution or a shorter time.horizon_hours, or "
                                 "allow more time.")
    raise SolveError(status, f"HiGHS ended with '{result.termination_condition.name}'.")


def _lp_duals_for_mip(m, result, integers, seconds, time_limit_s, optimal) -> Solution:
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
        _, lp = run_highs(m, time_limit_s, load=True)
        duals = lp.solution_loader.get_duals()
        seconds += float(lp.timing_info.wall_time or 0.0)
    finally:
        for v, domain in zip(integers, domains, strict=True):
            v.unfix()
            v.domain = domain
    return Solution(objective, duals, seconds, mip_gap=gap, proven_optimal=optimal)
