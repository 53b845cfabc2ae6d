"""HiGHS through Pyomo: the options every solve uses, one solve, and how it ended."""

from __future__ import annotations

import pyomo.environ as pyo
from pyomo.contrib.solver.common.results import TerminationCondition as TC
from pyomo.contrib.solver.solvers.highs import Highs

from energy_model.errors import SolveStatus

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


# HiGHS options for every solve; they override the solve's own choice of algorithm
# (benchmarks/bench_solvers.py sets them to compare algorithms).
HIGHS_OPTIONS: dict[str, object] = {"output_flag": False}


def run_highs(m: pyo.ConcreteModel, time_limit_s: float | None = None, load: bool = False,
              options: dict | None = None):
    """Solve ``m`` with a fresh HiGHS instance; return ``(solver, result)``."""
    solver = Highs()
    result = solver.solve(
        m,
        load_solutions=load,
        raise_exception_on_nonoptimal_result=False,
        time_limit=time_limit_s,
        solver_options={**(options or {}), **HIGHS_OPTIONS},
    )
    return solver, result
