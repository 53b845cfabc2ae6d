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

from energy_model.errors import ScenarioError
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
    design : Run or None
        When this run operated another's design through the year (``operate_year``):
        the typical-day run that chose it.
    """

    scenario: Scenario
    inputs: Any
    model: Any
    solution: Any
    dataset: Any
    findings: list = field(default_factory=list)
    shortfalls: list[str] = field(default_factory=list)
    path: Path | None = None
    design: Run | None = None


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
                 force: bool = False, say: Callable[[str], None] | None = None,
                 operate_year: bool = False) -> Run:
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
    operate_year : bool
        With typical days: design on them, then run that design through every step of
        the year with its capacities, pipes, heating mix and retrofits fixed (an LP with
        no investment left, solved to a schedule:
        :func:`energy_model.solve.operation_options`), elastic so that what the design
        cannot serve is reported (``shortfalls``) rather than infeasible.
        The results are the year's. A screening plan: storage and peak plant sized on
        typical days can differ from the full-year optimum's by tens of per cent.

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
    if operate_year and not scenario.time.representative_days:
        raise ScenarioError(scenario.name, [
            "time.representative_days: operating a design through the year (--operate-year) "
            "needs the typical days to design on; give their number (--typical-days N)"])
    if out is None:
        return _run(scenario, inputs, prepare, check, elastic, time_limit_s, warm_start,
                    compare, None, force, _Steps(say), operate_year)
    with output_folder(Path(out), force):
        return _run(scenario, inputs, prepare, check, elastic, time_limit_s, warm_start,
                    compare, Path(out), force, _Steps(say), operate_year)


def _run(scenario, inputs, prepare, check, elastic, time_limit_s, warm_start, compare,
         out, force, step, operate_year) -> Run:
    from energy_model.checks import PlanCheckError, check_plan
    from energy_model.results import write_failure

    days = scenario.time.representative_days
    step.say(f"Scenario {scenario.name}: resolution {scenario.time.resolution_h} h"
             + (f", {days} typical days" if days else "")
             + (", their design then operated through the year" if operate_year else "")
             + (" (elastic: targets and balances may be missed at a penalty)"
                if elastic else ""))
    year = year_inputs = None
    if operate_year:
        year = scenario.with_updates({"time.representative_days": None})
    if inputs is None or operate_year:
        with step("Weather and hourly profiles"):
            inputs, year_inputs = _inputs(scenario, year, inputs, prepare)
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

        pending = start_do_nothing(year or scenario, year_inputs or inputs)
        if pending.parallel:
            step.say("Doing nothing: solving in a second process, alongside the plan")
    try:
        run = _plan(scenario, inputs, findings, elastic, time_limit_s, warm_start, out, force,
                    step, year_inputs)
        if year is not None:
            run = _operate_year(run, year, year_inputs, time_limit_s, out, force, step)
        return _results(run, pending, out, force, step)
    finally:
        if pending is not None:
            pending.cancel()


def _inputs(scenario, year, inputs, prepare) -> tuple[Any, Any]:
    """The inputs of the scenario and, when a design is to be operated through the year,
    the year's (the weather and hourly profiles computed once for both)."""
    from energy_model.inputs import aggregate, hourly_profiles, load_weather, prepare_inputs

    if prepare is not None or year is None:
        prepare = prepare or prepare_inputs
        return (inputs or prepare(scenario)), (prepare(year) if year is not None else None)
    hourly = hourly_profiles(year, load_weather(year))
    return (inputs or aggregate(hourly, scenario)), aggregate(hourly, year)


def _plan(scenario, inputs, findings, elastic, time_limit_s, warm_start, out, force, step,
          year_inputs=None) -> Run:
    """Build and solve the plan (doing nothing may be solving meanwhile)."""
    from energy_model.build import build_model

    with step(f"Building the model ({inputs.n_steps} steps)"):
        m = build_model(scenario, inputs, elastic=elastic)
    if out is not None:
        from energy_model.outputs import check_free_space

        # results.nc holds about this many float64 series of n_steps (x2 for the netCDF copy)
        series = 40 + 3 * len(m.Z) + len(m.N) + len(m.P) + len(m.terms.flows)
        check_free_space(out, 2_000_000 + 16 * (year_inputs or inputs).n_steps * series)
    with step("Solving with HiGHS"):
        solution = _solve(m, scenario, out, force, time_limit_s=time_limit_s,
                          warm_start=warm_start)
    return Run(scenario, inputs, m, solution, None, findings)


def _solve(m, scenario, out, force, **options):
    """Solve ``m``; a solve without a plan is recorded in the results folder."""
    from energy_model.errors import SolveError
    from energy_model.results import write_failure
    from energy_model.solve import solve_model

    try:
        return solve_model(m, **options)
    except SolveError as err:
        if out is not None:
            write_failure(scenario, out, str(err), force=force)
        raise


def _operate_year(run: Run, year, year_inputs, time_limit_s, out, force, step) -> Run:
    """The typical-day plan's design run through every step of the year (elastic)."""
    # No correction step from here to the full year's optimum: measured on the Stoke default
    # at 3-hour steps (2 December), the simplex method started from this solve's basis with
    # the design freed took 48.5 s by primal (43,767 iterations) and 102 s by dual simplex,
    # and IPX crossover refused this point (flag 105), against 35-37 s for the whole year
    # solved afresh by the interior point.
    from energy_model.build import build_model
    from energy_model.solve import design_of, fixed_design, operation_options

    with step(f"Building the full year ({year_inputs.n_steps} steps) to operate the design"):
        m = build_model(year, year_inputs, elastic=True)
    with step("Operating the typical-day design through the year"), \
            fixed_design(m, design_of(run.model)):
        solution = _solve(m, year, out, force, time_limit_s=time_limit_s,
                          options=operation_options(m))
    return Run(year, year_inputs, m, solution, None, run.findings, design=run)


def _results(run: Run, pending, out, force, step) -> Run:
    from energy_model.diagnose import elastic_report
    from energy_model.results import network_map_writer, results_dataset, write_results

    scenario, inputs, m, solution = run.scenario, run.inputs, run.model, run.solution
    shortfalls = elastic_report(m, inputs.step_weight_h) if m.elastic else []
    design = run.design
    ds = results_dataset(m, scenario, inputs, solution, design and (
        design.model, design.scenario, design.solution))
    if design is not None:
        days = design.scenario.time.representative_days
        ds.attrs["design_typical_days"] = days
        ds.attrs["screening_note"] = (
            f"A screening plan: designed on {days} typical days, then operated through every "
            "step of the year. Storage and peak plant sized on typical days can differ from "
            "a full-year optimum's by tens of per cent at almost the same cost: confirm them "
            "with a full-year run.")
    if pending is not None:
        from energy_model.do_nothing import compare_with_do_nothing

        label = ("Doing nothing: waiting for the second process" if pending.parallel else
                 "Doing nothing: today's system in the plan year, for comparison")
        with step(label):
            ds = compare_with_do_nothing(ds, scenario, inputs, pending)
    ds.attrs["warnings"] = "\n".join(f.message for f in run.findings)
    ds.attrs["elastic_shortfalls"] = "\n".join(shortfalls)
    path = None
    if out is not None:
        with step("Writing results"):
            path = write_results(ds, out, force=force, extras=network_map_writer(m, ds))
    return Run(scenario, inputs, m, solution, ds, run.findings, shortfalls, path, run.design)
