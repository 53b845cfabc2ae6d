"""``energy-model uncertainty`` and ``energy-model alternatives``: commands over
:func:`energy_model.uncertainty.run.run_uncertainty` and
:func:`energy_model.uncertainty.alternatives.near_optimal_ranges`."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from energy_model.commands import (
    add_cluster_options,
    add_folder_options,
    positive_int_argument,
)
from energy_model.uncertainty import DEFAULT_TYPICAL_DAYS


def parse_slack(text: str) -> float:
    """``'5%'`` or ``'0.05'`` to 0.05."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*(%?)\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"slack '{text}' is not like 5% or 0.05")
    value = float(match.group(1))
    if match.group(2):
        return value / 100.0
    if value >= 1:
        raise argparse.ArgumentTypeError(f"slack {text} reads as {value:.0%}; write {text}% "
                                         "for a percentage or a fraction such as 0.05")
    return value


def _share(text: str) -> float:
    value = parse_slack(text)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"needs a share in (0, 100 %], got {text}")
    return value


def _days(text: str) -> int | None:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"needs 0 (the scenario's own steps) or more, "
                                         f"got {value}")
    return value or None


def cmd_uncertainty(args: argparse.Namespace) -> int:
    """Run an uncertainty analysis from parsed arguments. Returns the exit code."""
    from energy_model.scenario import load_scenario
    from energy_model.uncertainty.run import default_out_dir, run_uncertainty
    from energy_model.uncertainty.summary import format_summary

    samples = args.samples
    if samples is None and not args.one_at_a_time:
        samples = 64
    out = Path(args.out) if args.out else default_out_dir(load_scenario(args.scenario))
    try:
        ds = run_uncertainty(args.scenario, out, samples=samples or 0,
                             one_at_a_time_cases=args.one_at_a_time, seed=args.seed,
                             typical_days=args.typical_days, no_regret_share=args.no_regret,
                             scheduler=args.scheduler, workers=args.workers,
                             resume=args.resume, force=args.force)
    except KeyboardInterrupt:
        print(f"\ninterrupted; the cases that finished are kept in {out}/cases/: run again "
              "with --resume to solve the rest", file=sys.stderr)
        return 130
    print(format_summary(ds))
    if ds.attrs.get("representation_note"):
        print(f"Resolution: {ds.attrs['representation_note']}")
    files = ", ".join(sorted(f.name for f in out.iterdir() if f.is_file()))
    print(f"\nUncertainty results written to {out}/ ({files}; one folder per case in cases/)")
    failed = int((ds["status"] == "failed").sum())
    return 1 if failed else 0


def cmd_alternatives(args: argparse.Namespace) -> int:
    """Near-optimal ranges of every build from parsed arguments. Returns the exit code."""
    from energy_model.outputs import check_output_dir, write_folder
    from energy_model.scenario import load_scenario
    from energy_model.uncertainty.alternatives import format_ranges, near_optimal_ranges

    scenario = load_scenario(args.scenario)
    if args.typical_days:
        scenario = scenario.with_updates({"time.representative_days": args.typical_days})
    out = Path(args.out) if args.out else Path("results") / "alternatives" / scenario.name
    check_output_dir(out, args.force)
    print(f"Near-optimal plans of {scenario.name} within {args.slack:.1%} of the least cost"
          + (f", {args.typical_days} typical days" if args.typical_days else "")
          + ": solving the least-cost plan, then each build's least and most",
          file=sys.stderr, flush=True)
    table = near_optimal_ranges(scenario, args.slack, progress=lambda line: print(
        line, file=sys.stderr, flush=True))
    text = format_ranges(table, scenario.name)

    def write(tmp: Path) -> None:
        table.to_csv(tmp / "alternatives.csv", index=False)
        (tmp / "alternatives.txt").write_text(text + "\n", encoding="utf-8")
        (tmp / "scenario.yaml").write_text(scenario.resolved_yaml(), encoding="utf-8")

    write_folder(out, write, args.force)
    print(text)
    print(f"\nWritten to {out}/ (alternatives.csv, alternatives.txt, scenario.yaml)")
    return 0


def add_uncertainty_parser(subparsers: argparse._SubParsersAction) -> None:
    """Add ``uncertainty`` and ``alternatives`` to the ``energy-model`` command."""
    p = subparsers.add_parser(
        "uncertainty", help="sample the ranges of a scenario's assumptions on Dask: spread, "
                            "no-regret builds, tornado and regret of the default plan")
    p.add_argument("scenario", help="scenario YAML file or built-in name, with ranges")
    p.add_argument("--samples", type=positive_int_argument, default=None, metavar="N",
                   help="Latin hypercube samples over every range (default 64 unless "
                        "--one-at-a-time alone)")
    p.add_argument("--one-at-a-time", action="store_true",
                   help="also solve each assumption at its low and high, the others at "
                        "their values (a tornado)")
    p.add_argument("--seed", type=int, default=0, help="seed of the sample (default 0)")
    p.add_argument("--typical-days", type=_days, default=DEFAULT_TYPICAL_DAYS, metavar="N",
                   help=f"typical days per case (default {DEFAULT_TYPICAL_DAYS}; 0 keeps "
                        "the scenario's own time steps)")
    p.add_argument("--no-regret", type=_share, default=0.9, metavar="SHARE",
                   help="share of samples a build must appear in to be no-regret "
                        "(default 90%%)")
    add_folder_options(p, "results/uncertainty/<scenario name>",
                       "delete an earlier run in the folder and start again")
    add_cluster_options(p)
    p.set_defaults(func=cmd_uncertainty)

    a = subparsers.add_parser(
        "alternatives", help="near-optimal plans: how far each build can move within a "
                             "slack of the least cost")
    a.add_argument("scenario", help="scenario YAML file or built-in name")
    a.add_argument("--slack", type=parse_slack, default=0.05,
                   help="extra annual cost allowed, e.g. 5%% or 0.05 (default 5%%)")
    a.add_argument("--typical-days", type=_days, default=DEFAULT_TYPICAL_DAYS, metavar="N",
                   help=f"typical days (default {DEFAULT_TYPICAL_DAYS}; 0 keeps the "
                        "scenario's own time steps)")
    add_folder_options(a, "results/alternatives/<scenario name>")
    a.set_defaults(func=cmd_alternatives)
