"""``energy-model``: a thin command line over the library.

Every command is a library call a script can make too. Errors are one short message
and a non-zero exit; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

from energy_model.commands import (
    add_folder_options,
    add_pathway_parser,
    add_progress_parser,
    add_report_parser,
    add_solve_options,
    parse_resolution,
)
from energy_model.errors import EnergyModelError
from weather.errors import WeatherError


def _progress(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


class _Step:
    """Print what a long step is doing and how long it took."""

    def __init__(self, label: str):
        self.label = label

    def __enter__(self):
        _progress(f"{self.label}...")
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            _progress(f"{self.label}: done in {time.perf_counter() - self.start:.1f} s")


def run(scenario_path: str, resolution_h: int | None = None, out: str | None = None,
        force: bool = False, time_limit_s: float | None = None, elastic: bool = False,
        report: bool = False, typical_days: int | None = None,
        operate_year: bool = False) -> tuple[Path, list[str]]:
    """Load, check, build, solve and write one scenario.

    ``resolution_h`` and ``typical_days`` override ``time.resolution_h`` and
    ``time.representative_days``; ``operate_year`` runs the typical days' design through
    the year (:func:`energy_model.pipeline.run_scenario`).

    Returns
    -------
    path : Path
        The results folder.
    shortfalls : list of str
        With ``elastic`` or ``operate_year``, what the plan had to give up (empty if
        nothing).

    Raises
    ------
    EnergyModelError
        For a bad scenario, a plan that the checks show cannot work, or a solve without
        a plan; the last two are recorded in the results folder (``diagnosis.txt``).
    """
    from energy_model.pipeline import load_for_run, run_scenario
    from energy_model.results import format_summary

    scenario = load_for_run(scenario_path, resolution_h, typical_days)
    out_dir = Path(out) if out else Path("results") / scenario.name
    result = run_scenario(scenario, elastic=elastic, time_limit_s=time_limit_s, compare=True,
                          out=out_dir, force=force, say=_progress, operate_year=operate_year)
    path, ds, shortfalls = result.path, result.dataset, result.shortfalls
    if report:
        from energy_model.report import write_report

        with _Step("Writing the report"):
            write_report(path)
    print(format_summary(ds))
    if operate_year:
        print("\nThe typical days' design through the year: " + (
            "it meets every demand and target." if not shortfalls else
            "it falls short (a full-year run sizes what the year needs):\n"
            + "\n".join(f"  - {line}" for line in shortfalls)))
    elif elastic:
        print("\nElastic solve: " + ("nothing was given up." if not shortfalls else
                                     "the plan as stated cannot be met:\n"
                                     + "\n".join(f"  - {line}" for line in shortfalls)))
    files = ", ".join(sorted(f.name for f in path.iterdir() if not f.name.startswith(".")))
    print(f"\nResults written to {path}/ ({files})")
    return path, shortfalls


def _cmd_run(args) -> int:
    _, shortfalls = run(args.scenario, args.resolution, args.out, args.force, args.time_limit,
                        args.elastic, args.report, args.typical_days, args.operate_year)
    return 3 if shortfalls else 0


def _cmd_validate(args) -> int:
    from energy_model.checks import PlanCheckError, check_plan
    from energy_model.inputs import aggregate, hourly_profiles, load_weather
    from energy_model.scenario import load_scenario

    s = load_scenario(args.scenario)
    # open and check every file the scenario names (weather, time series, network), and
    # run the checks a run makes before its solve
    inputs = aggregate(hourly_profiles(s, load_weather(s)), s)
    findings = check_plan(s, inputs)
    for f in findings:
        if f.level == "warning":
            print(f"warning: {f.message}", file=sys.stderr)
    errors = [f for f in findings if f.level == "error"]
    if errors:
        raise PlanCheckError(str(args.scenario), errors)
    print(f"{args.scenario}: valid scenario '{s.name}' with {len(s.zones)} zones; its files "
          "read and its targets can be met")
    return 0


def _cmd_scenarios(args) -> int:
    from energy_model.scenario import builtin_scenario_dir, list_scenarios

    folder = Path(args.folder) if args.folder else builtin_scenario_dir()
    found = list_scenarios(folder)
    if not found:
        print(f"No scenarios in {folder}")
    for name, desc in found:
        print(f"{name:<28} {desc}")
    return 0


def _cmd_lifting_cost(args) -> int:
    from energy_model.analysis import cost_of_lifting
    from energy_model.pipeline import load_for_run

    scenario = load_for_run(args.scenario, args.resolution)
    if scenario.fuel_poverty is None:
        from energy_model.errors import ScenarioError

        raise ScenarioError(args.scenario, ["no 'fuel_poverty' section: nothing to price"])
    _progress(f"Pricing {len(args.households)} households targets for {scenario.name} at "
              f"{scenario.time.resolution_h} h steps: {len(args.households) + 1} solves")
    table = cost_of_lifting(scenario, args.households, progress=_progress)
    print(f"Cost of lifting households out of fuel poverty, {scenario.name} "
          f"({scenario.time.resolution_h} h steps), against the plan without such a target:")
    print(table.to_string(index=False, float_format=lambda v: f"{v:,.0f}"))
    return 0


def _cmd_compare(args) -> int:
    from energy_model.analysis import compare, solve_scenario
    from energy_model.errors import ProblemsError
    from energy_model.outputs import OutputError
    from energy_model.pipeline import load_for_run

    if args.csv and Path(args.csv).exists() and not args.force:
        raise OutputError(f"{args.csv} already exists; give another --csv or add --force to "
                          "replace it")
    # every scenario is read and checked before the first (slow) solve
    scenarios = [load_for_run(name, args.resolution) for name in args.scenarios]
    names = [s.name for s in scenarios]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ProblemsError("compare " + " ".join(args.scenarios), [
            f"two scenarios are named {n!r}; give each variant its own `name:`" for n in twice])
    datasets = {}
    for i, scenario in enumerate(scenarios, start=1):
        with _Step(f"Solving {scenario.name} ({i} of {len(scenarios)})"):
            datasets[scenario.name] = solve_scenario(scenario)
    table = compare(datasets)
    print(table.to_string(float_format=lambda v: f"{v:,.1f}", na_rep="-"))
    for note in table.attrs.get("notes", []):
        print(f"\nNote: {note}")
    if args.csv:
        table.to_csv(args.csv)
        print(f"\nWritten to {args.csv}")
    return 0


def _count(low: int, high: int):
    """An argparse type: a whole number from ``low`` to ``high``."""

    def count(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"'{text[:20]}' is not a whole number from {low} "
                                             f"to {high:,}")
        return value

    return count


def make_parser() -> argparse.ArgumentParser:
    """The argument parser of ``energy-model``."""
    p = argparse.ArgumentParser(prog="energy-model", description=__doc__.splitlines()[0])
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="plan a scenario and write its results")
    r.add_argument("scenario", help="scenario YAML file or built-in name (stoke-2030)")
    add_solve_options(r)
    add_folder_options(r, "results/<scenario>")
    r.add_argument("--typical-days", type=_count(1, 366), default=None, metavar="N",
                   help="solve N typical days (and the peak days) linked across the year "
                        "instead of every day (time.representative_days; a fast screening "
                        "run)")
    r.add_argument("--operate-year", action="store_true",
                   help="with --typical-days: then run their design through every step of "
                        "the year and write the year's results, saying where the design falls "
                        "short (exit code 3)")
    r.add_argument("--elastic", action="store_true",
                   help="let targets and balances be missed at a penalty and report by how "
                        "much (exit code 3 when anything is missed)")
    r.add_argument("--report", action="store_true",
                   help="also write report.html and report_data/ (as `energy-model report`)")
    r.set_defaults(func=_cmd_run)
    v = sub.add_parser("validate", help="check a scenario file and report every problem")
    v.add_argument("scenario", help="scenario YAML file or built-in name; its weather, "
                                    "time-series and network files are read and checked too")
    v.set_defaults(func=_cmd_validate)
    c = sub.add_parser("lifting-cost",
                       help="annual cost of lifting N households out of fuel poverty")
    c.add_argument("scenario", help="scenario YAML file (with a fuel_poverty section) or "
                                    "built-in name")
    c.add_argument("--households", type=_count(0, 100_000_000), nargs="+",
                   default=[1000, 5000, 10000],
                   help="numbers of households to lift (default 1000 5000 10000)")
    c.add_argument("--resolution", type=parse_resolution, default=None,
                   help="hours per time step, e.g. 24h (default: the scenario's)")
    c.set_defaults(func=_cmd_lifting_cost)
    k = sub.add_parser("compare", help="solve variants and print their figures side by side")
    k.add_argument("scenarios", nargs="+", help="scenario YAML files or built-in names")
    k.add_argument("--resolution", type=parse_resolution, default=None,
                   help="hours per time step, e.g. 24h (default: each scenario's)")
    k.add_argument("--csv", default=None, help="also write the table to this CSV file")
    k.add_argument("--force", action="store_true", help="replace the CSV file if it exists")
    k.set_defaults(func=_cmd_compare)
    s = sub.add_parser("scenarios", help="list the built-in scenarios (or those in a folder)")
    s.add_argument("folder", nargs="?", default=None,
                   help="a folder of scenario files (default: the built-in scenarios)")
    s.set_defaults(func=_cmd_scenarios)
    add_report_parser(sub)
    add_progress_parser(sub)
    from energy_model.sweep.cli import add_sweep_parser

    add_sweep_parser(sub)
    add_pathway_parser(sub)
    from energy_model.uncertainty.cli import add_uncertainty_parser

    add_uncertainty_parser(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``energy-model``; returns the exit code."""
    args = make_parser().parse_args(argv)
    try:
        return args.func(args)
    except (EnergyModelError, WeatherError) as err:
        if args.debug:
            traceback.print_exc()
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; no results were written", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
