"""Solve the LP with HiGHS in memory, and say clearly when there is no optimal plan."""

from __future__ import annotations

import functools
import hashlib
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import highspy
import numpy as np
import pyomo.environ as pyo
from pyomo.common.collections import ComponentMap
from pyomo.common.errors import InfeasibleConstraintException
from pyomo.contrib.solver.common.results import SolutionStatus
from pyomo.repn import generate_standard_repn
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from energy_model.build import paused_gc
from energy_model.diagnose import conflicting_targets, iis_explanation
from energy_model.errors import SolveError, SolveStatus
from energy_model.highs import HIGHS_OPTIONS, run_highs, status_of


@dataclass(frozen=True)
class Solution:
    """What a successful solve returns besides the values loaded into the model.

    ``proven_optimal`` is False when a time limit stopped the solver with a feasible plan
    in hand (then ``mip_gap`` says how far from optimal it may be, for binary networks).
    ``columns`` and ``rows`` are the size of the LP handed to HiGHS; ``vertex_seconds``,
    part of ``solve_seconds``, is the time spent turning an interior-point plan into a
    vertex schedule (:func:`vertex_schedule`).
    """

    objective_gbp_per_year: float
    duals: dict
    solve_seconds: float
    mip_gap: float | None = None
    proven_optimal: bool = True
    # Reduced cost of each variable (GBP of objective per unit more of it): at a bound,
    # what moving the bound by one unit is worth; see energy_model.limits.
    reduced_costs: ComponentMap = field(default_factory=ComponentMap)
    columns: int = 0
    rows: int = 0
    vertex_seconds: float = 0.0


# Above this many variables an LP goes to HiGHS's interior-point solver without crossover:
# measured on the Stoke default at 2,190 hourly steps (83,000 variables) it took 22 s
# against 72 s for simplex and 76 s for the interior point with crossover, with the same
# objective to 4e-9 (benchmarks/bench_solvers.py). Small LPs keep HiGHS's own choice.
IPM_ABOVE_VARIABLES = 20_000

# A design run through a year of storage (:func:`operation_options`) goes to the interior
# point above this many variables, to the dual simplex method below. Measured on the Stoke
# default operating its 32-typical-day design through the year (elastic), quiet machine:
# 146,031 columns (3-hour steps) simplex 2.9 s, HiPO 5.4 s and 1.2 s to a schedule;
# 219,031 (2-hour) simplex 8.7 s, HiPO 8.7 + 2.2 s; 438,031 (hourly) simplex 54.2 s,
# HiPO 26.5 + 8.8 s, the same objective to 3e-11.
OPERATION_IPM_ABOVE_VARIABLES = 300_000

# The interior point is scaled so that no cost coefficient exceeds this. Unscaled, the
# heating-share costs (up to 4e7 GBP/yr for a whole zone) made it stall ("no progress")
# on the Stoke default at 2,190 hourly steps, after which the solve had to start again.
# Whether it stalls depends on the scaling more than anything: on the same LP it stalled
# at 2^-9 and reached optimality at 2^-8, 2^-10 and 2^-12, with objectives up to 2e-5
# apart. This limit gives 2^-8 for Stoke at 2,190 and 8,760 hourly steps: optimal at
# both, in 20.5 s and 238 s, objectives within 1e-6 of simplex (benchmarks/bench_model.py,
# 2026-11-26). HiGHS reports the objective and duals unscaled. HiPO (see
# :func:`interior_point`) is not scaled: on the Stoke default at 3-hour steps it ended
# 8e-9 above the crossover optimum unscaled and 1.1e-6 above it scaled by 2^-8.
LARGEST_SCALED_COST = 2e5


def objective_scale_exponent(m: pyo.ConcreteModel) -> int:
    """Power of two by which HiGHS should scale the objective of ``m`` (0 or negative)."""
    objective = next(m.component_data_objects(pyo.Objective, active=True))
    repn = generate_standard_repn(objective.expr, compute_values=True, quadratic=False)
    largest = max((abs(c) for c in repn.linear_coefs), default=0.0)
    if largest <= LARGEST_SCALED_COST:
        return 0
    return -math.ceil(math.log2(largest / LARGEST_SCALED_COST))


@functools.cache
def interior_point() -> str:
    """HiGHS's best interior-point solver here: ``"hipo"`` where the ``highspy-extras``
    package supplies what it needs (BLAS and orderings), else ``"ipm"`` (IPX).

    HiPO factorises the Newton system directly where IPX iterates on it with conjugate
    gradients. Measured on the Stoke default at 3-hour steps (113,949 columns, 116,855
    rows) on the shared 2-core machine at load 2-3: HiPO 45 s (unscaled, 8e-9 above the
    optimum of a crossover solve) against 76 s for IPX (scaled by 2^-8, 6.8e-7 above);
    IPX with crossover took 200 s at load 5. HiPO's options did not help: two threads
    56 s (the other core was busy), AMD ordering 44 s, tree parallelism 57 s, normal
    equations over 280 s. With pipe flows bounded (68 iterations, 45-53 s on a quiet
    machine), node parallelism took 52 s, dense blocks of 64 and 256 columns 50 and 55 s,
    presolve off 73 s (76 iterations), and an optimality tolerance of 1e-7 saved 3
    iterations and no time. On 2 December (38-40 s, 68 iterations): HiPO ran on one core
    (CPU time equal to wall time, with ``threads`` 2 as with 1); its factor has 53,083
    supernodes of 4.5 columns on average (largest front 72), so each iteration's 0.55 s
    is overhead more than arithmetic (5e7 flops); objective scaling by 2^-6 or 2^-3 and
    bound scaling by 2^-4 gained nothing, RCM ordering took over 4 minutes, and highspy
    1.16 with the 1.15 extras has no HiPO (it answered by simplex in 58 s).
    """
    # Without them HiGHS answers a request for HiPO by the simplex method: ask it for a
    # two-variable LP and see which method answered.
    h = highspy.Highs()
    for key, value in {**HIGHS_OPTIONS, "solver": "hipo", "presolve": "off"}.items():
        h.setOptionValue(key, value)
    h.addVars(2, np.zeros(2), np.ones(2))
    h.changeColsCost(2, np.arange(2, dtype=np.int32), np.array([-1.0, -2.0]))
    h.addRow(-np.inf, 1.5, 2, np.arange(2, dtype=np.int32), np.ones(2))
    h.run()
    return "hipo" if h.getInfo().ipm_iteration_count > 0 else "ipm"


def algorithm_for(m: pyo.ConcreteModel, has_integers: bool | None = None) -> dict[str, object]:
    """HiGHS options choosing the algorithm for ``m`` (empty: HiGHS's default).
    ``has_integers`` saves looking through the variables when the caller knows."""
    if has_integers is None:
        has_integers = bool(_integers(m))
    if not has_integers and not _free_design(m):
        # operation only (doing nothing, a design re-operated): the dual simplex method
        # solved the Stoke default's do-nothing LP at 3-hour steps (146,029 columns) in
        # 0.4 s, at a vertex, against 1.1 s for the interior point without crossover
        return {"solver": "simplex"}
    if m.nvariables() > IPM_ABOVE_VARIABLES and not has_integers:
        if interior_point() == "hipo":
            # HiPO needs no scaling: scaled by 2^-8 its answer on a winter week of the Stoke
            # default at 3-hour steps was 1.0e-6 above the simplex optimum, unscaled 1.7e-9
            return {"solver": "hipo", "run_crossover": "off"}
        return {"solver": "ipm", "run_crossover": "off",
                "user_objective_scale": objective_scale_exponent(m)}
    return {}


def operation_options(m: pyo.ConcreteModel) -> dict[str, object]:
    """HiGHS options for ``m`` operating a fixed design through a year with storage: the
    dual simplex method, or above :data:`OPERATION_IPM_ABOVE_VARIABLES` the interior point
    without crossover and then the schedule step (:func:`vertex_schedule`). Doing nothing
    (no storage to run) stays with the simplex method: :func:`algorithm_for`."""
    if m.nvariables() > OPERATION_IPM_ABOVE_VARIABLES and interior_point() == "hipo":
        return {"solver": "hipo", "run_crossover": "off"}
    return {"solver": "simplex"}


def _free_design(m: pyo.ConcreteModel) -> bool:
    """Whether ``m`` has a design decision (:data:`DESIGN`) left to the solver."""
    return any(not v.fixed for name in DESIGN for v in getattr(m, name, {}).values())


class WarmStart:
    """The optimal basis of the last LP solved, offered to the next LP of the same shape.

    Sweeps solve many LPs that differ only in costs, limits or profiles. Passed to
    successive :func:`solve_model` calls, it makes them use the simplex method and start
    each solve from the previous case's optimal basis. Measured on the Stoke default at
    2,190 hourly steps: 28 s for the first (cold) simplex solve, then 0.5-6 s for a change
    of battery or store capex or of the import price, against 20 s for each cold interior
    point solve.

    Attributes
    ----------
    reused : int
        How many solves started from a previous basis.
    """

    def __init__(self) -> None:
        self.signature: str | None = None
        self.basis = None
        self.reused = 0


def _structure(a, sense: np.ndarray) -> str:
    """A digest of an LP's size and row senses: equal for LPs whose bases fit each other
    (coefficients, their sparsity pattern, costs and bounds may differ). Typical days
    chosen afresh for each case of an uncertainty run move zeros in the capacity factors,
    and the previous basis still saves time: on 6 Stoke samples at 32 typical days every
    objective matched the cold solve to 2e-16. A basis that HiGHS cannot start from (one
    Stoke sample in 64) is dropped and the LP solved afresh."""
    digest = hashlib.blake2b(digest_size=16)
    for part in (np.asarray(a.shape), sense):
        digest.update(np.ascontiguousarray(part).tobytes())
    return digest.hexdigest()


def solve_model(m: pyo.ConcreteModel, time_limit_s: float | None = None,
                explain: bool = True, warm_start: WarmStart | None = None,
                schedule: bool = True, options: dict | None = None) -> Solution:
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
    warm_start : WarmStart, optional
        Solve an LP by simplex from the basis of the previous LP given the same
        ``warm_start`` if it has the same shape, and keep this one's basis in it.
    schedule : bool
        Make the dispatch of an interior-point plan a schedule (:func:`vertex_schedule`).
        Callers that read only costs, capacities and prices may skip it: on the Stoke
        default it took 3.9 s of 55 s in HiGHS at 3-hour steps, on a quiet machine.
    options : dict, optional
        HiGHS options choosing the algorithm, in place of :func:`algorithm_for`'s (for
        example :func:`operation_options`).

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
    integers = _integers(m)
    options = algorithm_for(m, bool(integers)) if options is None else options
    if warm_start is not None and not integers:
        options = {"solver": "simplex"}
    if options:
        status, solution, reason = _solve_lp_matrices(m, options, time_limit_s, warm_start,
                                                      schedule)
        if solution is not None:
            return solution
        _raise_for(m, status, time_limit_s, explain, reason)
    _, result = run_highs(m, time_limit_s, options=options)
    status = status_of(result)
    has_plan = result.solution_status in (SolutionStatus.optimal, SolutionStatus.feasible)
    if status is SolveStatus.OPTIMAL or (status is SolveStatus.TIME_LIMIT and integers
                                         and has_plan):
        result.solution_loader.load_vars()
        _value_unused_variables(m)
        seconds = float(result.timing_info.wall_time or 0.0)
        optimal = status is SolveStatus.OPTIMAL
        if not integers:
            return Solution(float(pyo.value(m.total_cost)), result.solution_loader.get_duals(),
                            seconds, reduced_costs=result.solution_loader.get_reduced_costs(),
                            columns=m.nvariables(), rows=m.nconstraints())
        return _lp_duals_for_mip(m, result, integers, seconds, time_limit_s, optimal)
    _raise_for(m, status, time_limit_s, explain, result.termination_condition.name)


def _raise_for(m: pyo.ConcreteModel, status: SolveStatus, time_limit_s: float | None,
               explain: bool, reason: str) -> None:
    """Raise the :class:`SolveError` for a solve that ended without a plan."""
    if status is SolveStatus.INFEASIBLE:
        _raise_infeasible(m, time_limit_s, explain)
    if status is SolveStatus.UNBOUNDED:
        raise SolveError(status, "Some quantity can grow without limit at a profit: check that "
                                 "export prices are below import prices or set "
                                 "grid.export_limit_mw, and that every cost is non-negative.")
    if status is SolveStatus.TIME_LIMIT:
        raise SolveError(status, f"HiGHS stopped after {time_limit_s} s without a plan. Use a "
                                 "coarser --resolution or a shorter time.horizon_hours, or "
                                 "allow more time.")
    raise SolveError(status, f"HiGHS ended with '{reason}'.")


def _raise_infeasible(m: pyo.ConcreteModel, time_limit_s: float | None, explain: bool) -> None:
    """Raise a :class:`SolveError` naming, when ``explain``, what conflicts."""
    diagnosis = []
    if explain:
        diagnosis = conflicting_targets(m, time_limit_s)
        iis = iis_explanation(m, time_limit_s)
        if iis:
            diagnosis.append("These constraints cannot hold together (an irreducible "
                             "infeasible set):")
            diagnosis += [f"  - {line}" for line in iis]
    raise SolveError(SolveStatus.INFEASIBLE, "\n".join(diagnosis) or "Run with --elastic to "
                     "see by how much each target or balance is missed.", diagnosis=diagnosis)


_HIGHS_STATUS = {
    highspy.HighsModelStatus.kOptimal: SolveStatus.OPTIMAL,
    highspy.HighsModelStatus.kInfeasible: SolveStatus.INFEASIBLE,
    highspy.HighsModelStatus.kUnboundedOrInfeasible: SolveStatus.INFEASIBLE,
    highspy.HighsModelStatus.kUnbounded: SolveStatus.UNBOUNDED,
    highspy.HighsModelStatus.kTimeLimit: SolveStatus.TIME_LIMIT,
}


def _integers(m: pyo.ConcreteModel) -> list:
    return [v for v in m.component_data_objects(pyo.Var, active=True)
            if v.is_integer() or v.is_binary()]


def _solve_lp_matrices(m: pyo.ConcreteModel, options: dict, time_limit_s: float | None,
                       warm_start: WarmStart | None = None, schedule: bool = True
                       ) -> tuple[SolveStatus, Solution | None, str]:
    """Solve an LP through matrices: Pyomo's standard-form compiler, then highspy.

    On the Stoke default at 8,760 hourly steps HiGHS took 249 s and the whole run peaked
    at 1.3 GB, against 312 s and 3.8 GB through Pyomo's HiGHS interface, which keeps its
    own copy of the model (benchmarks/bench_model.py). If the interior point without
    crossover cannot certify its answer, the same matrices are solved again.

    Returns
    -------
    status : SolveStatus
    solution : Solution or None
        With the optimal values loaded into ``m``; None unless optimal.
    reason : str
        HiGHS's own word for how it ended.
    """
    objective = next(m.component_data_objects(pyo.Objective, active=True))
    if objective.sense != pyo.minimize:
        raise ValueError("the model's objective must be minimised")
    try:
        with paused_gc():
            repn = LinearStandardFormCompiler().write(m, mixed_form=True, set_sense=None)
    except InfeasibleConstraintException:   # a constraint whose variables are all fixed
        return SolveStatus.INFEASIBLE, None, "infeasible before the solve"
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(repn.columns), len(repn.rows)
    lp.offset_ = float(repn.c_offset[0]) if len(repn.c_offset) else 0.0
    lp.col_cost_ = np.asarray(repn.c.toarray()).ravel() if repn.c.shape[0] else np.zeros(
        lp.num_col_)
    lp.col_lower_ = np.array([-np.inf if v.lb is None else v.lb for v in repn.columns], float)
    lp.col_upper_ = np.array([np.inf if v.ub is None else v.ub for v in repn.columns], float)
    sense = np.array([s for _, s in repn.rows], dtype=int)
    rhs = np.asarray(repn.rhs, dtype=float)
    lp.row_lower_ = np.where(sense == 1, -np.inf, rhs)   # 1: body <= rhs
    lp.row_upper_ = np.where(sense == -1, np.inf, rhs)   # -1: body >= rhs; 0: equality
    a = repn.A.tocsc()
    del repn.A
    signature = _structure(a, sense) if warm_start is not None else None
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = lp.num_col_, lp.num_row_
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = a.indptr, a.indices, a.data
    highs = highspy.Highs()
    for key, value in {**options, **HIGHS_OPTIONS}.items():
        highs.setOptionValue(key, value)
    if time_limit_s is not None:
        highs.setOptionValue("time_limit", float(time_limit_s))
    highs.passModel(lp)
    warm = warm_start is not None and warm_start.signature == signature \
        and highs.setBasis(warm_start.basis) == highspy.HighsStatus.kOk
    start = time.perf_counter()
    highs.run()
    if warm and highs.getModelStatus() == highspy.HighsModelStatus.kNotset:
        # a basis from another sparsity pattern may fail to factorise: start afresh
        warm = False
        highs.clearSolver()
        highs.run()
    status = _HIGHS_STATUS.get(highs.getModelStatus(), SolveStatus.OTHER)
    # When the interior point stalls ("no progress"), which on these LPs depends on little
    # more than the objective's scaling (at 2,190 hourly steps it stalled at 2^-9 and was
    # optimal at 2^-8, 2^-10 and 2^-12), try once more scaled by half again, then with
    # crossover, which finishes with simplex if need be.
    retries = [{"user_objective_scale": int(options.get("user_objective_scale", 0)) - 1},
               {"run_crossover": "on"}] if options.get("run_crossover") == "off" else []
    for retry in retries:
        if status is not SolveStatus.OTHER:
            break
        for key, value in retry.items():
            highs.setOptionValue(key, value)
        highs.clearSolver()
        highs.run()
        status = _HIGHS_STATUS.get(highs.getModelStatus(), SolveStatus.OTHER)
    if status is not SolveStatus.OPTIMAL:
        return status, None, highs.modelStatusToString(highs.getModelStatus())
    if warm_start is not None:
        warm_start.signature, warm_start.basis = signature, highs.getBasis()
        warm_start.reused += warm
    result = highs.getSolution()
    values, row_duals = result.col_value, np.asarray(result.row_dual)
    col_duals = np.asarray(result.col_dual)  # the design's reduced costs, before the schedule
    vertex_seconds = 0.0
    if schedule and options.get("run_crossover") == "off":
        started = time.perf_counter()
        values = vertex_schedule(np.asarray(values), repn.columns, a, *(
            np.asarray(v, dtype=float) for v in (lp.col_lower_, lp.col_upper_, lp.row_lower_,
                                                 lp.row_upper_, lp.col_cost_)))
        vertex_seconds = time.perf_counter() - started
    seconds = time.perf_counter() - start
    for v, x in zip(repn.columns, values, strict=True):
        v.set_value(x, skip_validation=True)
    for v, expr in repn.eliminated_vars:
        v.set_value(pyo.value(expr), skip_validation=True)
    _value_unused_variables(m)
    duals: dict = {}
    for (con, _), y in zip(repn.rows, row_duals, strict=True):
        duals[con] = duals.get(con, 0.0) + y   # a range constraint has two rows
    reduced = ComponentMap(zip(repn.columns, col_duals, strict=True))
    return status, Solution(float(pyo.value(m.total_cost)), duals, seconds,
                            reduced_costs=reduced, columns=lp.num_col_, rows=lp.num_row_,
                            vertex_seconds=vertex_seconds), "optimal"


# The plan's design: capacities (a pathway's builds per period), pipes, each zone's
# heating mix and retrofits (a pipe's build share and the households reached follow from
# these). With these fixed, what is left of the LP is the operation.
DESIGN = ("new_capacity", "build", "pipe_new_capacity", "heat_pump_share",
          "heat_network_share", "retrofit_share")

# Flows that a schedule runs one way at a time, by variable name, indexed alike: a store's
# charge and discharge, a pipe's two directions. Both at once lose energy for nothing.
OPPOSED_FLOWS = (("battery_charge", "battery_discharge"),
                 ("pipe_flow_forward", "pipe_flow_backward"))

# Opposed flows in the same step below this [MW] each way count as none (round-off).
SIMULTANEOUS_MW = 1e-6

# The schedule step works through the year in windows of this many hours (a month), the
# rest of the year held where it is. Measured on the Stoke default (interior point's plan
# fixed, quiet machine): at hourly steps, windows of 168, 336, 744 and 2,190 hours took
# 7.9, 10.8, 18.8 and 68 s by dual simplex, against 111.5 s for HiPO and crossover over
# the whole year; at 3-hour steps 744 hours took 3.0 s against about 12 s. A store's
# level is held at the window edges, so the longer the window, the less of the interior
# point's drift survives there: a month is a compromise.
SCHEDULE_WINDOW_HOURS = 744


# How near a bound a fixed design value is taken to be at it (see fixed_design).
BOUND_SNAP = 1e-7


def design_of(m: pyo.ConcreteModel) -> dict[tuple[str, object], float]:
    """The design decisions of a solved model, keyed by (variable name, index); a variable
    no constraint uses (left without a value by the solver) is not a decision."""
    return {(name, i): v.value for name in DESIGN if hasattr(m, name)
            for i, v in getattr(m, name).items() if v.value is not None}


@contextmanager
def fixed_design(m: pyo.ConcreteModel, design: dict[tuple[str, object], float]) -> Iterator[None]:
    """Hold ``m``'s design at ``design`` (from :func:`design_of` on another model of the same
    scenario, e.g. its typical-day version) and set aside the build-rate limits (how fast
    the design could be delivered is not the question); on leaving, free them again. The
    variables keep the values of any solve made meanwhile. A value within
    :data:`BOUND_SNAP` of one of its bounds is fixed at the bound."""
    fixed = []
    for (name, i), value in design.items():
        var = getattr(m, name)[i]
        if not var.fixed:
            low, high = var.bounds
            # Interior-point round-off: a value within 1e-7 of a bound is at it (a share
            # of 1 + 1e-9, or a heat-pump share of 1e-9 beside a network share of 1,
            # would break the heating mix). Rounding every value instead would leave the
            # year short of a capacity rounded down, at the elastic penalty.
            if low is not None and value < low + BOUND_SNAP:
                value = low
            if high is not None and value > high - BOUND_SNAP:
                value = high
            var.fix(value)
            fixed.append(var)
    rates = [getattr(m, n) for n in ("build_rate_limit", "rollout_rate_limit") if hasattr(m, n)]
    for con in rates:
        con.deactivate()
    try:
        yield
    finally:
        for var in fixed:
            var.unfix()
        for con in rates:
            con.activate()


def vertex_schedule(x: np.ndarray, columns: list, a, lower: np.ndarray, upper: np.ndarray,
                    row_lower: np.ndarray, row_upper: np.ndarray, cost: np.ndarray
                    ) -> np.ndarray:
    """A schedule for the design of the interior-point plan ``x``: at a vertex in each
    window of the year, at no more cost.

    Without crossover the interior point stops inside the face of plans that all cost the
    least. Where schedules tie (a battery charging and discharging in the same step while
    surplus PV would be curtailed anyway), its dispatch mixes them: not a schedule. Here
    the design (:data:`DESIGN`) stays at the interior point's values and the operation is
    solved again, a window of :data:`SCHEDULE_WINDOW_HOURS` at a time, by the dual simplex
    method: the window's time steps, and the columns that belong to no time step (a
    fuel-poverty count, a target's slack), are free; the rest of the year is held at its
    current values. If a store still charges and discharges in the same step, or a pipe
    carries heat both ways (:data:`OPPOSED_FLOWS`), :func:`least_throughput` then keeps
    the window's cost at its least and moves the least energy through stores and pipes.

    The values going into each window are a feasible answer to it, so no window costs
    more than it did: the schedule costs no more than the interior point's plan, which
    is within the interior point's tolerance of the optimum. Each window is a vertex of
    its own LP. A row's bounds are widened, where the interior point's round-off left it
    a hair outside them (HiPO's plan of the hourly year did), to just include its value
    there, so every window has an answer; every balance holds to the simplex method's
    tolerance or, in such a row, the interior point's.

    Measured on the Stoke default at 3-hour steps (quiet machine): the interior point's
    dispatch charged and discharged the battery at once in all 2,920 steps (up to 16.8 MW)
    and sent heat both ways in 26,280 pipe-steps; the schedule, in 3.0 s, has neither
    above 1e-6 MW and costs 0.55 GBP/yr less. At hourly steps: 18.8 s, 281 GBP/yr (9e-7)
    less (benchmarks/bench_model.py prints this step as ``vertex``).

    Parameters
    ----------
    x : numpy.ndarray
        The interior point's column values.
    columns : list of pyomo VarData
        The LP's columns, in order.
    a : scipy.sparse.csc_matrix
        The constraint matrix.
    lower, upper, row_lower, row_upper, cost : numpy.ndarray
        The columns' and rows' bounds, and the columns' costs.

    Returns
    -------
    numpy.ndarray
        Column values: a window whose LP did not end optimal keeps the interior point's.
    """
    names = np.array([v.parent_component().local_name for v in columns])
    steps, step_hours = column_steps(columns)
    activity = a @ x
    row_lower = np.minimum(row_lower, activity)
    row_upper = np.maximum(row_upper, activity)
    x = x.copy()
    untimed = (steps < 0) & ~np.isin(names, DESIGN)
    one_way, other_way = _opposed_flows(columns, names)
    width = max(1, round(SCHEDULE_WINDOW_HOURS / step_hours))
    for first in range(0, int(steps.max()) + 1, width):
        free = np.flatnonzero(untimed | ((steps >= first) & (steps < first + width)))
        window = _window_lp(x, free, a, lower, upper, row_lower, row_upper, cost)
        if window is None:
            continue
        local = np.full(len(x), -1)
        local[free] = np.arange(len(free))
        pairs = (local[one_way] >= 0) & (local[other_way] >= 0)
        y = np.asarray(window.getSolution().col_value)
        ones, others = local[one_way[pairs]], local[other_way[pairs]]
        if len(ones) and np.minimum(y[ones], y[others]).max() > SIMULTANEOUS_MW:
            least = least_throughput(window, np.concatenate([ones, others]), cost[free], 0.0)
            y = least if least is not None else y
        x[free] = y
    return x


def _window_lp(x: np.ndarray, free: np.ndarray, a, lower, upper, row_lower, row_upper,
               cost) -> highspy.Highs | None:
    """The LP in the columns ``free`` with the others held at ``x``, solved by the dual
    simplex method; None if it did not end optimal."""
    part = a[:, free]
    rows = np.unique(part.indices)
    held = x.copy()
    held[free] = 0.0
    shift = (a @ held)[rows]
    part = part[rows, :].tocsc()
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(free), len(rows)
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = cost[free], lower[free], upper[free]
    lp.row_lower_, lp.row_upper_ = row_lower[rows] - shift, row_upper[rows] - shift
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = lp.num_col_, lp.num_row_
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = (
        part.indptr, part.indices, part.data)
    highs = highspy.Highs()
    for key, value in {**HIGHS_OPTIONS, "solver": "simplex"}.items():
        highs.setOptionValue(key, value)
    highs.passModel(lp)
    highs.run()
    return highs if highs.getModelStatus() == highspy.HighsModelStatus.kOptimal else None


def column_steps(columns: list) -> tuple[np.ndarray, float]:
    """The time step of each column (-1 for one indexed by none: a capacity, a count) and
    the hours a step stands for.

    A column belongs to time step ``t`` when its variable is indexed by its block's time
    set ``T`` (on its own or as one factor of a product), ``t`` being that part of its
    index. Blocks of several periods (a pathway) share the step numbers.
    """
    steps = np.full(len(columns), -1, dtype=np.int64)
    hours = 1.0
    where: dict[int, int | None] = {}   # a variable's id: position of T in its index
    for j, v in enumerate(columns):
        var = v.parent_component()
        if id(var) not in where:
            where[id(var)] = _time_position(var)
            hours = getattr(var.parent_block(), "step_hours", hours)
        k = where[id(var)]
        if k is not None:
            steps[j] = v.index() if k < 0 else v.index()[k]
    return steps, float(hours)


def _time_position(var) -> int | None:
    """Where the block's time set sits in ``var``'s index: -1 if it is the whole index,
    None if it is not there."""
    time_set = getattr(var.parent_block(), "T", None)
    if time_set is None or not var.is_indexed():
        return None
    index = var.index_set()
    if index is time_set:
        return -1
    factors = list(index.subsets()) if index.dimen and index.dimen > 1 else []
    return next((k for k, s in enumerate(factors) if s is time_set), None)


def least_throughput(highs: highspy.Highs, flows: np.ndarray, cost: np.ndarray,
                     offset: float) -> np.ndarray | None:
    """Among the plans that cost no more than the optimum ``highs`` has just found, the
    one with the least power through stores and pipes (the columns ``flows``).

    The cost becomes a row, :math:`c^T x \\le z^* (1 + 10^{-9})`, and the objective the
    sum of the flows; the simplex method starts from the optimal basis. A store that
    charges and discharges in the same step, or a pipe that carries heat both ways, loses
    energy for nothing, so the least flow nets such steps wherever the cost allows it.
    Returns the column values, or None if the solve did not end optimal.
    """
    best = highs.getInfo().objective_function_value - offset
    priced = np.flatnonzero(cost).astype(np.int32)
    highs.addRow(-np.inf, best + 1e-9 * abs(best), len(priced), priced, cost[priced])
    every = np.arange(len(cost), dtype=np.int32)
    throughput = np.zeros(len(cost))
    throughput[flows] = 1.0
    highs.changeColsCost(len(every), every, throughput)
    highs.setOptionValue("user_objective_scale", 0)
    highs.setOptionValue("solver", "simplex")
    highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    return np.asarray(highs.getSolution().col_value)


def _opposed_flows(columns: list, names: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Column numbers of each flow of :data:`OPPOSED_FLOWS` and, in the same order, of
    the flow the other way."""
    one_way, other_way = [], []
    for forward, backward in OPPOSED_FLOWS:
        by_index = {columns[j].index(): j for j in np.flatnonzero(names == backward)}
        for j in np.flatnonzero(names == forward):
            partner = by_index.get(columns[j].index())
            if partner is not None:
                one_way.append(j)
                other_way.append(partner)
    return np.array(one_way, dtype=int), np.array(other_way, dtype=int)


def _value_unused_variables(m: pyo.ConcreteModel) -> None:
    """Give a variable that no constraint or objective uses (so not in the matrices) a value
    within its bounds, nearest zero: any is optimal, and results read every variable."""
    for v in m.component_data_objects(pyo.Var, descend_into=True):
        if v.value is None:
            low = -math.inf if v.lb is None else v.lb
            high = math.inf if v.ub is None else v.ub
            v.set_value(min(max(0.0, low), high), skip_validation=True)


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
        reduced = lp.solution_loader.get_reduced_costs()
        seconds += float(lp.timing_info.wall_time or 0.0)
    finally:
        for v, domain in zip(integers, domains, strict=True):
            v.unfix()
            v.domain = domain
    return Solution(objective, duals, seconds, mip_gap=gap, proven_optimal=optimal,
                    reduced_costs=reduced)
