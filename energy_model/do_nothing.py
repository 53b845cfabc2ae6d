"""The plan against doing nothing: today's system operated in the plan year.

Every design decision at its lower bound (nothing built, no new heat pumps, connections,
retrofits or pipes), under the same prices and weather, with no targets; the plan's
headline figures are differences from it (:func:`energy_model.economics.
against_do_nothing`).
"""

from __future__ import annotations

import multiprocessing
import os

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


# From this many time steps up, doing nothing is solved in a second process while the plan
# solves, where the machine has a second core: on the Stoke default at 3-hour steps (2,920)
# it took 9.0 s of an 81 s run, at hourly steps 22 s, nearly all of it Pyomo building and
# translating its model, which threads would not overlap. A second process costs about 3 s
# of imports, so short runs (the tests' weeks) stay in one process.
PARALLEL_FROM_STEPS = 1000


class PendingDoNothing:
    """Doing nothing, being solved (:func:`start_do_nothing`); :meth:`result` waits for it.

    In parallel, a second process solves it and sends back its results. If that process
    ends without an answer (killed for memory, an error there), :meth:`result` solves
    doing nothing here instead, so that the run never waits on a process that is gone.
    """

    def __init__(self, scenario: Scenario, inputs: ModelInputs, parallel: bool):
        self.scenario, self.inputs = scenario, inputs
        self.parallel = parallel
        self._process = self._answer = None
        if parallel:
            # spawn, not fork: a forked child would inherit HiGHS's thread pool half-made
            context = multiprocessing.get_context("spawn")
            self._answer, sender = context.Pipe(duplex=False)
            self._process = context.Process(target=_solve_and_send, daemon=True,
                                            args=(scenario, inputs, sender))
            self._process.start()
            sender.close()   # the child's end: when the child ends, reading here ends too

    def result(self) -> xr.Dataset:
        """The results of doing nothing (:func:`solve_do_nothing`)."""
        answer = None
        if self._answer is not None:
            try:
                answer = self._answer.recv()
            except EOFError:   # the second process ended without an answer
                pass
            finally:
                self.cancel()
        return answer if answer is not None else solve_do_nothing(self.scenario, self.inputs)

    def cancel(self) -> None:
        """Stop the second process, if any (the plan failed, or its answer is in)."""
        if self._process is not None:
            self._process.terminate()
            self._process.join()
            self._answer.close()
            self._process = self._answer = None


def _solve_and_send(scenario: Scenario, inputs: ModelInputs, sender) -> None:
    """The second process's work: doing nothing's results, or None if it failed (the
    first process then solves it again, and raises what went wrong there)."""
    try:
        answer = solve_do_nothing(scenario, inputs)
    except Exception:
        answer = None
    sender.send(answer)
    sender.close()


def start_do_nothing(scenario: Scenario, inputs: ModelInputs, parallel: bool | None = None
                     ) -> PendingDoNothing:
    """Start solving doing nothing, in a second process when ``parallel``.

    ``parallel`` by default: when the machine offers this process a second core and the
    year has at least :data:`PARALLEL_FROM_STEPS` steps.
    """
    if parallel is None:
        parallel = (inputs.n_steps >= PARALLEL_FROM_STEPS
                    and len(os.sched_getaffinity(0)) > 1)
    return PendingDoNothing(scenario, inputs, parallel)


def compare_with_do_nothing(plan: xr.Dataset, scenario: Scenario, inputs: ModelInputs,
                            pending: PendingDoNothing | None = None) -> xr.Dataset:
    """Write the comparison with doing nothing into the plan's attributes: solved here, or
    the answer of ``pending`` (:func:`start_do_nothing`)."""
    nothing = pending.result() if pending is not None else solve_do_nothing(scenario, inputs)
    figures = against_do_nothing(plan, nothing)
    for key, value in figures.items():
        unit, _ = AGAINST_DO_NOTHING[key]
        plan.attrs[key] = value
        plan.attrs[f"{key}__units"] = unit
    return plan
