"""``energy-model sweep``: the command over :func:`energy_model.sweep.run_sweep`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from energy_model.commands import add_cluster_options, add_folder_options


def cmd_sweep(args: argparse.Namespace) -> int:
    """Run a sweep from parsed arguments; print where its results are. Returns the exit code."""
    from energy_model.sweep.combine import format_cheapest
    from energy_model.sweep.run import default_out_dir, run_sweep
    from energy_model.sweep.spec import load_sweep

    sweep = load_sweep(args.sweep)
    out = Path(args.out) if args.out else default_out_dir(sweep)
    print(f"{len(sweep.cases)} cases checked; starting the workers (this takes a few "
          "seconds)...", file=sys.stderr, flush=True)
    try:
        ds = run_sweep(sweep, out, scheduler=args.scheduler, workers=args.workers,
                       resume=args.resume, force=args.force)
    except KeyboardInterrupt:
        print(f"\ninterrupted; the cases that finished are kept in {out}/cases/: run again "
              "with --resume to solve the rest", file=sys.stderr)
        return 130
    print(format_cheapest(ds))
    files = ", ".join(sorted(f.name for f in out.iterdir() if f.is_file()))
    print(f"\nSweep results written to {out}/ ({files}; one folder per case in cases/)")
    failed = int((ds["status"] == "failed").sum())
    return 1 if failed else 0


def add_sweep_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add ``sweep SWEEP.yaml [--out DIR] [--scheduler ADDR] [--workers N] [--resume]
    [--force]`` to the ``energy-model`` command's subparsers."""
    p = subparsers.add_parser(
        "sweep", help="solve many variants of a scenario in parallel (grid, cases or sample)")
    p.add_argument("sweep", help="sweep YAML file")
    add_folder_options(p, "results/sweeps/<sweep name>", "delete an earlier run of this "
                       "sweep in the folder and start again")
    add_cluster_options(p, "address of a running Dask scheduler, e.g. tcp://host:8786 "
                           "(default: a local cluster on this machine)")
    p.set_defaults(func=cmd_sweep)
    return p
