"""The parsers of the commands whose code is heavy to import (report, progress, pathway),
and what each command does with its arguments.

Kept apart so that ``energy-model --help`` and argument errors answer without loading
pandas, xarray, plotly or Pyomo: each command's library module is imported when it runs,
and no library module imports the command line.
"""

from __future__ import annotations

import argparse
import math
import re

from energy_model.years import FIRST_YEAR, LAST_YEAR


def parse_resolution(text: str) -> int:
    """``'3h'`` or ``'3'`` to 3 (hours per step)."""
    match = re.fullmatch(r"\s*(\d+)\s*h?\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"resolution '{text}' is not like 1h, 3h or 6h")
    return int(match.group(1))


def _finite(text: str) -> float | None:
    try:
        value = float(text.replace(",", "").strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def year_argument(text: str) -> int:
    """An argparse type: a whole year from FIRST_YEAR to LAST_YEAR."""
    try:
        year = int(text)
    except ValueError:
        year = None
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        raise argparse.ArgumentTypeError(f"'{text[:20]}' is not a year from {FIRST_YEAR} to "
                                         f"{LAST_YEAR}")
    return year


def non_negative_argument(text: str) -> float:
    """An argparse type: a finite number, zero or more."""
    value = _finite(text)
    if value is None or value < 0:
        raise argparse.ArgumentTypeError(f"'{text[:20]}' is not a finite number >= 0")
    return value


def positive_argument(text: str) -> float:
    """An argparse type: a finite number above zero."""
    value = _finite(text)
    if value is None or value <= 0:
        raise argparse.ArgumentTypeError(f"'{text[:20]}' is not a finite number > 0")
    return value


def positive_int_argument(text: str) -> int:
    """An argparse type: a whole number, 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"needs at least 1, got {value}")
    return value


# ---------------------------------------------------------- options several commands share


def add_folder_options(p: argparse.ArgumentParser, default: str,
                       force_help: str = "replace an existing results folder") -> None:
    """``--out DIR`` (default ``default``) and ``--force``."""
    p.add_argument("--out", default=None, help=f"results folder (default {default})")
    p.add_argument("--force", action="store_true", help=force_help)


def add_cluster_options(p: argparse.ArgumentParser, scheduler_help: str = "") -> None:
    """``--scheduler``, ``--workers`` and ``--resume`` of the commands that run on Dask."""
    p.add_argument("--scheduler", default=None,
                   help=scheduler_help or "address of a running Dask scheduler (default: a "
                                          "local cluster)")
    p.add_argument("--workers", type=positive_int_argument, default=None,
                   help="worker processes of the local cluster (default: one per core)")
    p.add_argument("--resume", action="store_true",
                   help="keep the cases an earlier run finished and solve the rest")


def add_solve_options(p: argparse.ArgumentParser) -> None:
    """``--resolution`` and ``--time-limit``."""
    p.add_argument("--resolution", type=parse_resolution, default=None,
                   help="hours per time step, e.g. 24h (default: the scenario's)")
    p.add_argument("--time-limit", type=positive_argument, default=None,
                   help="solver time limit [s]")


def add_progress_parser(subparsers) -> argparse.ArgumentParser:
    """Add ``energy-model progress`` to the CLI's subparsers.

    Parameters
    ----------
    subparsers
        From ``ArgumentParser.add_subparsers``.

    Returns
    -------
    argparse.ArgumentParser
    """
    p = subparsers.add_parser(
        "progress", help="lay yearly actual renewable generation against the target",
        description="Read ACTUALS.csv (year, renewable_generation_mwh or _gwh, optional "
                    "capacity_mw/<technology>) and show the straight-line trajectory, the "
                    "gap and the growth now needed.")
    p.add_argument("actuals", help="CSV of yearly actual renewable generation")
    p.add_argument("--target-year", type=year_argument, required=True,
                   help="year to reach the target")
    p.add_argument("--baseline-year", type=year_argument, default=None,
                   help="baseline year (default: the first year of the actuals)")
    base = p.add_mutually_exclusive_group()
    base.add_argument("--baseline-gwh", type=non_negative_argument, default=None,
                      help="baseline generation [GWh/yr] (default: the baseline year's actual)")
    base.add_argument("--baseline-mwh", type=non_negative_argument, default=None,
                      help="baseline generation [MWh/yr]")
    p.add_argument("--multiplier", type=positive_argument, default=None,
                   help="target = baseline x multiplier")
    p.add_argument("--scenario", default=None,
                   help="take baseline and multiplier from this scenario's target")
    p.add_argument("--results", default=None,
                   help="a results folder whose counted generation is the planned figure "
                        "for the target year, or a pathway's folder (`energy-model "
                        "pathway`) whose periods give the planned trajectory")
    p.add_argument("--out", default=None,
                   help="folder for progress.csv and progress.html (default: print only)")
    p.set_defaults(func=cmd_progress)
    return p


def add_report_parser(subparsers) -> argparse.ArgumentParser:
    """Add ``energy-model report`` to the CLI's subparsers.

    Parameters
    ----------
    subparsers
        From ``ArgumentParser.add_subparsers``.

    Returns
    -------
    argparse.ArgumentParser
    """
    p = subparsers.add_parser(
        "report", help="write a self-contained HTML report of a results folder",
        description="Write RESULTS_DIR/report.html (opens offline) and the figures as CSV "
                    "in RESULTS_DIR/report_data/.")
    p.add_argument("results_dir", help="a folder written by `energy-model run`")
    p.add_argument("--out", default=None, help="HTML file (default RESULTS_DIR/report.html)")
    p.add_argument("--actuals", default=None,
                   help="CSV of yearly actual renewable generation: adds a progress section")
    p.add_argument("--baseline-year", type=int, default=None,
                   help="progress baseline year (default: the first year of the actuals)")
    p.add_argument("--target-year", type=int, default=None,
                   help="progress target year (default: the modelled year)")
    p.add_argument("--uncertainty", default=None, metavar="DIR",
                   help="folder of an `energy-model uncertainty` run: ranges and a section "
                        "'How sure is this plan'")
    p.add_argument("--alternatives", default=None, metavar="DIR",
                   help="folder of an `energy-model alternatives` run: near-optimal ranges")
    p.set_defaults(func=cmd_report)
    return p


def add_pathway_parser(subparsers) -> argparse.ArgumentParser:
    """Add ``energy-model pathway`` to the CLI's subparsers.

    Parameters
    ----------
    subparsers
        From ``ArgumentParser.add_subparsers``.

    Returns
    -------
    argparse.ArgumentParser
    """
    p = subparsers.add_parser(
        "pathway", help="plan what to build in which year, period by period",
        description="Solve a scenario's investment periods (its 'pathway' section) and write "
                    "builds, capacities, renewables against the milestones, spend and "
                    "households lifted per period.")
    p.add_argument("scenario", help="scenario YAML with a pathway section, or a built-in name")
    p.add_argument("--myopic", action="store_true",
                   help="solve period by period without foresight (for comparison)")
    add_folder_options(p, "results/<scenario>[-myopic]")
    add_solve_options(p)
    p.set_defaults(func=cmd_pathway)
    return p




# --------------------------------------------------------------------- the commands' work
# Each imports its library module when it runs.


def cmd_progress(args) -> int:
    """``energy-model progress``: actuals against the target's trajectory."""
    from energy_model.progress import (
        ProgressError,
        format_progress,
        planned_from_results,
        progress_table,
        read_actuals,
        target_from_scenario,
        write_progress,
    )

    actuals = read_actuals(args.actuals)
    baseline_year = args.baseline_year or int(actuals.index.min())
    if args.scenario and (args.multiplier or args.baseline_gwh or args.baseline_mwh):
        raise ProgressError("command line", ["give --scenario or --baseline-*/--multiplier, "
                                             "not both"])
    if args.scenario:
        baseline_mwh, multiplier = target_from_scenario(args.scenario)
    else:
        if args.multiplier is None:
            raise ProgressError("command line", ["give --multiplier (or --scenario)"])
        multiplier = args.multiplier
        if args.baseline_gwh is not None:
            baseline_mwh = args.baseline_gwh * 1000.0
        elif args.baseline_mwh is not None:
            baseline_mwh = args.baseline_mwh
        elif baseline_year in actuals.index:
            baseline_mwh = float(actuals.loc[baseline_year, "renewable_generation_mwh"])
        else:
            raise ProgressError("command line", [f"no actual for the baseline year "
                                                 f"{baseline_year}; give --baseline-gwh"])
    planned = None
    if args.results:
        from energy_model.report import load_results

        ds = load_results(args.results)
        planned = planned_from_results(ds, args.target_year)
    table = progress_table(actuals, baseline_year, baseline_mwh, baseline_mwh * multiplier,
                           args.target_year, planned)
    print(format_progress(table))
    if args.out:
        paths = write_progress(table, args.out)
        print("\nWritten: " + ", ".join(str(p) for p in paths))
    return 0


def cmd_report(args) -> int:
    """``energy-model report``: the HTML report of a results folder."""
    from energy_model.report import write_report

    path = write_report(args.results_dir, args.out, args.actuals, args.baseline_year,
                        args.target_year, args.uncertainty, args.alternatives)
    print(f"Report written to {path} (figures as CSV in {path.stem}_data/)")
    return 0


def cmd_pathway(args) -> int:
    """``energy-model pathway``: plan and write a pathway."""
    from energy_model.pathway.results import format_pathway, run_pathway

    path, ds = run_pathway(args.scenario, args.myopic, args.resolution, args.out, args.force,
                           args.time_limit)
    print(format_pathway(ds))
    print(f"\nResults written to {path}/ "
          f"({', '.join(sorted(f.name for f in path.iterdir() if f.name[0] != '.'))})")
    return 0
