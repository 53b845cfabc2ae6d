"""One scenario run, start to finish: load, prepare inputs, check, build, solve, write.

The command line (``energy-model run``), the analyses, the sweeps' workers and the
uncertainty runs all go through :func:`run_scenario`, so a step added here (a check, an
output) reaches every one of them. A pathway solves several periods as one model
(:mod:`energy_model.pathway`) but loads its scenario and guards its folder the same way
(:func:`load_for_run`, :func:`output_folder`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from energy_model.scenario import Scenario, load_scenario


@dataclass
class Run:
    """What a run produced.

    Attributes
    ----------
    scenario : Scenario
        As solved (with any time overrides).
    inputs : energy_model.inputs.ModelInputs
    model : pyomo.environ.ConcreteModel
    solution : energy_model.solve.Solution
    dataset : xarray.Dataset
        The results (:func:`energy_model.results.results_dataset`).
    findings : list of energy_model.checks.Finding
        What the checks before the solve found (empty when not checked).
    shortfalls : list of str
        With ``elastic``, what the plan had to give up.
    path : Path or None
        The results folder, when written.
    """

    scenario: Scenario
    inputs: Any
    model: Any
    solution: Any
    dataset: Any
    findings: list = field(default_factory=list)
    shortfalls: list[str] = field(default_factory=list)
    path: Path | None = None


def with_time(scenario: Scenario, resolution_h: int | None = None,
              typical_days: int | None = None) -> Scenario:
    """The scenario with ``time.resolution_h`` and ``time.representative_days`` replaced
    where given (the command line's ``--resolution`` and ``--typical-days``)."""
    updates = {}
    if resolution_h is not None:
        updates["time.resolution_h"] = resolution_h
    if typical_days is not None:
        updates["time.representative_days"] = typical_days
    return scenario.with_updates(updates) if updates else scenario


def load_for_run(scenario: Scenario | str | Path, resolution_h: int | None = None,
                 typical_days: int | None = None) -> Scenario:
    """A scenario (a file, a built-in name or one already loaded) with its time overrides."""
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    return with_time(scenario, resolution_h, typical_days)


@contextmanager
def output_folder(out_dir: Path, force: bool) -> Iterator[Path]:
    """Hold a results folder's lock and refuse it if it exists (unless ``force``)."""
    from energy_model.outputs import check_output_dir, output_lock

    with output_lock(out_dir):
        check_output_dir(out_dir, force)
        yield out_dir


class _Steps:
    """Say what each long step is doing and how long it took (silent without ``say``)."""

    def __init__(self, say: Callable[[str], None] | None):
        self.say = say or (lambda _: None)

    @contextmanager
    def __call__(self, label: str) -> Iterator[None]:
        self.say(f"{label}...")
        start = time.perf_counter()
        yield
        self.say(f"{label}: done in {time.perf_counter() - start:.1f} s")


def run_scenario(scenario: Scenario | str | Path, *, resolution_h: int | None = None,
                 typical_days: int | None = None, inputs: Any = None,
                 prepare: Callable[[Scenario], Any] | None = None, check: bool = True,
                 elastic: bool = False, time_limit_s: float | None = None,
                 warm_start: Any = None, compare: bool = False, out: str | Path | None = None,
                 force: bool = False, say: Callable[[str], None] | None = None) -> Run:
    """Load, prepare inputs, check, build, solve and (with ``out``) write one scenario.

    Parameters
    ----------
    scenario : Scenario, str or Path
        A validated scenario, a scenario file or a built-in scenario's name.
    resolution_h, typical_days : int, optional
        Replace ``time.resolution_h`` and ``time.representative_days``.
    inputs : ModelInputs, optional
        Inputs already prepared; else ``prepare(scenario)``, else
        :func:`energy_model.inputs.prepare_inputs`.
    check : bool
        Run the checks before the solve (:func:`energy_model.checks.check_plan`); an
        error stops the run unless ``elastic``.
    elastic : bool
        Let targets and balances be missed at a penalty, and report by how much.
    time_limit_s : float, optional
        Solver time limit.
    warm_start : energy_model.solve.WarmStart, optional
        Start from a previous basis of the same shape.
    compare : bool
        Also solve doing nothing and add the comparison to the results' attributes.
    out : str or Path, optional
        Write the results there (atomically); a check error or a failed solve is
        recorded there too (``diagnosis.txt``).
    force : bool
        Replace an existing results folder the planner wrote.
    say : callable, optional
        Receives a line on each step's progress.

    Returns
    -------
    Run

    Raises
    ------
    EnergyModelError
        A bad scenario or input, a plan the checks show cannot work
        (:class:`energy_model.checks.PlanCheckError`), or a solve without a plan
        (:class:`energy_model.errors.SolveError`).
    """
    scenario = load_for_run(scenario, resolution_h, typical_days)
    if out is None:
        return _run(scenario, inputs, prepare, check, elastic, time_limit_s, warm_start,
                    compare, None, force, _Steps(say))
    with output_folder(Path(out), force):
        return _run(scenario, inputs, prepare, check, elastic, time_limit_s, warm_start,
                    compare, Path(out), force, _Steps(say))


def _run(scenario, inputs, prepare, check, elastic, time_limit_s, warm_start, compare,
         out, force, step) -> Run:
    from energy_model.checks import PlanCheckError, check_plan
    from energy_model.inputs import prepare_inputs
    from energy_model.results import write_failure

    days = scenario.time.representative_days
    step.say(f"Scenario {scenario.name}: resolution {scenario.time.resolution_h} h"
             + (f", {days} typical days" if days else "")
             + (" (elastic: targets and balances may be missed at a penalty)"
                if elastic else ""))
    if inputs is None:
        with step("Weather and hourly profiles"):
            inputs = (prepare or prepare_inputs)(scenario)
    findings = check_plan(scenario, inputs) if check else []
    for f in findings:
        if f.level == "warning":
            step.say(f"warning: {f.message}")
    errors = [f for f in findings if f.level == "error"]
    if errors and not elastic:
        err = PlanCheckError(scenario.name, errors)
        if out is not None:
            write_failure(scenario, out, str(err), force=force)
        raise err
    pending = None
    if compare:
        from energy_model.do_nothing import start_do_nothing

        pending = start_do_nothing(scenario, inputs)
        if pending.parallel:
            step.say("Doing nothing: solving in a second process, alongside the plan")
    try:
        return _plan(scenario, inputs, findings, elastic, time_limit_s, warm_start, pending,
                     out, force, step)
    finally:
        if pending is not None:
            pending.cancel()


def _plan(scenario, inputs, findings, elastic, time_limit_s, warm_start, pending, out,
          force, step) -> Run:
    """Build, solve and write the plan (doing nothing may be solving meanwhile)."""
    from energy_model.build import build_model
    from energy_model.errors import SolveError
    from energy_model.results import write_failure
    from energy_model.solve import solve_model

    with step(f"Building the model ({inputs.n_steps} steps)"):
        m = build_model(scenario, inputs, elastic=elastic)
    if out is not None:
        from energy_model.outputs import check_free_space

        # results.nc holds about this many float64 series of n_steps (x2 for the netCDF copy)
        series = 40 + 3 * len(m.Z) + len(m.N) + len(m.P) + len(m.terms.flows)
        check_free_space(out, 2_000_000 + 16 * inputs.n_steps * series)
    try:
        with step("Solving with HiGHS"):
            solution = solve_model(m, time_limit_s=time_limit_s, warm_start=warm_start)
    except SolveError as err:
        if out is not None:
            write_failure(scenario, out, str(err), force=force)
        raise
    return _results(scenario, inputs, m, solution, findings, elastic, pending, out, force,
                    step)


def _results(scenario, inputs, m, solution, findings, elastic, pending, out, force,
             step) -> Run:
    from energy_model.diagnose import elastic_report
    from energy_model.results import network_map_writer, results_dataset, write_results

    shortfalls = elastic_report(m, inputs.step_weight_h) if elastic else []
    ds = results_dataset(m, scenario, inputs, solution)
    if pending is not None:
        from energy_model.do_nothing import compare_with_do_nothing

        label = ("Doing nothing: waiting for the second process" if pending.parallel else
                 "Doing nothing: today's system in the plan year, for comparison")
        with step(label):
            ds = compare_with_do_nothing(ds, scenario, inputs, pending)
    ds.attrs["warnings"] = "\n".join(f.message for f in findings)
    ds.attrs["elastic_shortfalls"] = "\n".join(shortfalls)
    path = None
    if out is not None:
        with step("Writing results"):
            path = write_results(ds, out, force=force, extras=network_map_writer(m, ds))
    return Run(scenario, inputs, m, solution, ds, findings, shortfalls, path)
