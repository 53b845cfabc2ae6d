"""Run a sweep's cases in parallel with dask.distributed, writing each as it finishes.

The output folder holds the sweep's definition (``sweep.yaml``), one folder per case
under ``cases/`` and, once all cases are in, the combined results (see
:mod:`energy_model.sweep.combine`). A case's folder is complete or absent: its results
and its ``case.json`` record (parameters, status, reason, seconds, when it finished and a
digest of its scenario) are moved into place together. ``resume`` keeps every case whose
record says ok or infeasible for the same scenario, and solves the rest.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

import xarray as xr
import yaml

from energy_model.outputs import (
    MANIFEST,
    local_file_locks,
    output_lock,
    write_atomic,
    write_folder,
)
from energy_model.sweep.case import FINISHED, STATUS_FAILED, STATUS_OK, solve_case, warm_up
from energy_model.sweep.spec import Case, Sweep, SweepError, SweepSpec, load_sweep

CASE_RECORD = "case.json"
SWEEP_RECORD = "sweep.yaml"


def default_out_dir(sweep: Sweep) -> Path:
    """``results/sweeps/<sweep name>``."""
    return Path("results") / "sweeps" / sweep.name


def case_dir(out_dir: Path, case: Case | str) -> Path:
    """The folder of one case's results."""
    return Path(out_dir) / "cases" / (case if isinstance(case, str) else case.case_id)


def read_case_record(out_dir: Path, case: Case | str) -> dict[str, Any] | None:
    """A case's ``case.json``, or None when the case has not finished (or it is unreadable)."""
    path = case_dir(out_dir, case) / CASE_RECORD
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


# What a sweep writes at the top of its folder (see energy_model.sweep.combine), and the
# hidden temporaries of those writes.
_SWEEP_ENTRIES = re.compile(r"sweep\.yaml|cases|sweep\.nc|sweep\.csv|cheapest\.(csv|txt)"
                            r"|heatmap\.png|by_.+\.png|\.sweep\.nc\.tmp"
                            r"|\.(sweep\.yaml|sweep\.csv|cheapest\.csv|cheapest\.txt)\.[0-9a-f]{8}")


def _prepare_output(out: Path, sweep: Sweep, resume: bool, force: bool) -> None:
    is_sweep = (out / SWEEP_RECORD).exists()
    if out.exists() and not out.is_dir():
        raise SweepError(str(out), ["exists and is not a folder; choose another --out"])
    if out.exists() and any(out.iterdir()):
        if not (resume or force):
            raise SweepError(str(out), ["already exists; pass --resume to finish the cases "
                                        "left, --force to start again, or --out elsewhere"])
        if not is_sweep:
            raise SweepError(str(out), [f"is not empty and has no {SWEEP_RECORD}, so it is not "
                                        "a sweep's folder; choose another --out"])
        # and what a run on the sweep (an uncertainty run) recorded as its own
        listed = set((out / MANIFEST).read_text(encoding="utf-8").splitlines()) \
            if (out / MANIFEST).is_file() else set()
        foreign = sorted(p.name for p in out.iterdir()
                         if not _SWEEP_ENTRIES.fullmatch(p.name) and p.name not in listed)
        if foreign:
            shown = ", ".join(foreign[:8]) + (" ..." if len(foreign) > 8 else "")
            raise SweepError(str(out), [f"holds files the sweep did not write ({shown}); move "
                                        "them or choose another --out"])
        if force and not resume:
            shutil.rmtree(out)


def _write_sweep_record(out: Path, sweep: Sweep) -> None:
    out.mkdir(parents=True, exist_ok=True)
    record = sweep.spec.model_dump(mode="json", exclude_defaults=True)
    record.update(base=sweep.spec.base, source=sweep.source)
    write_atomic(out / SWEEP_RECORD, yaml.safe_dump(record, sort_keys=False))


def _pending_cases(out: Path, sweep: Sweep) -> list[Case]:
    """The cases to solve: those without a finished record; refuse records of other cases."""
    pending, changed = [], []
    for case in sweep.cases:
        record = read_case_record(out, case)
        if record is None or record.get("status") not in FINISHED:
            pending.append(case)
        elif record.get("scenario_sha256") != case.digest:
            changed.append(case.case_id)
    if changed:
        shown = ", ".join(changed[:5]) + (" ..." if len(changed) > 5 else "")
        raise SweepError(str(out), [
            f"cases {shown} finished with a different scenario (the sweep file or its base "
            "changed since); pass --force to start again or --out to write elsewhere"])
    return pending


def write_case(out_dir: Path, case: Case, result: dict[str, Any]) -> dict[str, Any]:
    """Write a case's folder atomically: its results (when solved) and ``case.json``.

    Returns
    -------
    dict
        The record written to ``case.json``.
    """
    from energy_model.results import write_results

    record = {k: v for k, v in result.items() if k not in ("dataset",)}
    record.update(parameters=case.parameters, scenario_sha256=case.digest,
                  finished_at=datetime.now(UTC).isoformat(timespec="milliseconds"))
    text = json.dumps(record, indent=1, default=str)
    folder = case_dir(out_dir, case)
    folder.parent.mkdir(parents=True, exist_ok=True)
    ds = result.get("dataset")
    if ds is not None:
        with local_file_locks():
            write_results(ds, folder, force=True,
                          extras={CASE_RECORD: lambda p: p.write_text(text, encoding="utf-8")})
        return record
    write_folder(folder, lambda tmp: (tmp / CASE_RECORD).write_text(text, encoding="utf-8"),
                 force=True)
    return record


class ProgressLine:
    """A one-line text progress bar on stderr: done, failed and left, with time per case.

    On a terminal the line is redrawn in place; elsewhere (a log, CI) one line per case.
    """

    def __init__(self, name: str, total: int, already: int, *, enabled: bool = True,
                 stream: TextIO | None = None):
        self.name = name
        self.total = total
        self.done = already
        self.failed = 0
        self.infeasible = 0
        self.seconds: list[float] = []
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.start = time.perf_counter()
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.timings: dict[str, float] = {}

    def write(self, text: str) -> None:
        """Print a line of its own (ending any line being redrawn)."""
        if self.enabled:
            print(("\n" if self.tty and self.seconds else "") + text, file=self.stream,
                  flush=True)

    def update(self, record: dict[str, Any]) -> None:
        """Count a finished case and redraw the line."""
        self.done += 1
        self.failed += record["status"] == STATUS_FAILED
        self.infeasible += record["status"] not in (STATUS_OK, STATUS_FAILED)
        self.seconds.append(float(record["seconds"]))
        if not self.enabled:
            return
        width = 20
        filled = round(width * self.done / max(self.total, 1))
        elapsed = time.perf_counter() - self.start
        line = (f"[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} done, "
                f"{self.failed} failed, {self.infeasible} infeasible, "
                f"{self.total - self.done} left | {record['case']} {record['status']} in "
                f"{record['seconds']:.2f} s | mean {sum(self.seconds) / len(self.seconds):.2f}"
                f" s/case | {elapsed:.0f} s elapsed")
        if self.tty:
            print(f"\r{line}\x1b[K", end="", file=self.stream, flush=True)
        else:
            print(line, file=self.stream, flush=True)

    def close(self) -> None:
        """End the line being redrawn."""
        if self.enabled and self.tty and self.seconds:
            print(file=self.stream, flush=True)


@contextlib.contextmanager
def dask_client(scheduler: Any = None, workers: int | None = None) -> Iterator[Any]:
    """A ``distributed.Client``: to ``scheduler`` when given, else to a new LocalCluster.

    Parameters
    ----------
    scheduler : str or distributed.Client, optional
        A scheduler address (``tcp://host:8786``) or a client already connected; a
        client given is left open.
    workers : int, optional
        Worker processes of the local cluster (default: one per core), one thread each.
    """
    from distributed import Client, LocalCluster

    if isinstance(scheduler, Client):
        yield scheduler
        return
    if scheduler is not None:
        if workers is not None:
            raise SweepError(str(scheduler), ["--workers sets the size of a local cluster; "
                                              "an existing cluster keeps its own workers"])
        try:
            client = Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as err:
            raise SweepError(str(scheduler), [f"cannot reach the Dask scheduler ({err}); check "
                                              "the address and that it is running"]) from None
        try:
            yield client
        finally:
            client.close()
        return
    n = workers or os.cpu_count() or 1
    if n < 1:
        raise SweepError("--workers", [f"needs at least one worker, got {n}"])
    cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=logging.ERROR)
    client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def _describe_client(client: Any) -> str:
    info = client.scheduler_info()
    n = len(info.get("workers", {}))
    return f"{n} worker{'s' if n != 1 else ''} at {info.get('address', '?')}"


def _solve_pending(sweep: Sweep, pending: list[Case], out: Path, client: Any,
                   bar: ProgressLine, on_case: Callable[[dict[str, Any]], None] | None,
                   task: Callable[..., dict[str, Any]] = solve_case,
                   task_kwargs: dict[str, Any] | None = None) -> None:
    from distributed import as_completed

    t0 = time.perf_counter()
    client.run(warm_up)
    bar.timings["warm_up_seconds"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    token = uuid.uuid4().hex[:8]
    by_key = {}
    futures = []
    for i, case in enumerate(pending):
        future = client.submit(task, case.case_id, case.scenario_data, case.base_dir,
                               sweep.spec.time_limit_s, **(task_kwargs or {}),
                               key=f"sweep-{token}-{case.case_id}", pure=False,
                               priority=len(pending) - i)
        by_key[future.key] = case
        futures.append(future)
    try:
        for future in as_completed(futures):
            case = by_key[future.key]
            if future.status == "finished":
                result = future.result()
            else:
                reason = "cancelled" if future.status == "cancelled" else repr(future.exception())
                result = {"case": case.case_id, "status": STATUS_FAILED, "seconds": float("nan"),
                          "reason": f"the worker running this case failed: {reason}",
                          "figures": {}, "units": {}, "capacity": {}, "capacity_unit": {}}
            future.release()
            record = write_case(out, case, result)
            bar.update(record)
            if on_case is not None:
                on_case(record)
    finally:
        client.cancel([f for f in futures if not f.done()])
    bar.timings["cases_seconds"] = time.perf_counter() - t0


def run_sweep(sweep: str | Path | dict | SweepSpec | Sweep, out_dir: str | Path | None = None,
              *, scheduler: Any = None, workers: int | None = None, resume: bool = False,
              force: bool = False, progress: bool = True, plots: bool = True,
              on_case: Callable[[dict[str, Any]], None] | None = None,
              task: Callable[..., dict[str, Any]] = solve_case,
              task_kwargs: dict[str, Any] | None = None) -> xr.Dataset:
    """Solve every case of a sweep in parallel and combine their key results.

    Every case is checked before anything runs. Cases go to Dask workers (a LocalCluster
    of one single-threaded process per core, or the cluster at ``scheduler``); each is
    written to ``out_dir/cases/<case>/`` as it finishes. A failed or infeasible case is
    recorded with its reason and the others go on.

    Parameters
    ----------
    sweep : str, Path, dict, SweepSpec or Sweep
        The sweep file or its loaded form.
    out_dir : str or Path, optional
        Output folder; default ``results/sweeps/<sweep name>``.
    scheduler : str or distributed.Client, optional
        A Dask scheduler address or a connected client; default a new LocalCluster.
    workers : int, optional
        Worker processes of the LocalCluster; default one per core.
    resume : bool
        Keep the cases an earlier run finished (ok or infeasible) and solve the rest.
    force : bool
        Delete an earlier run of this sweep in ``out_dir`` and start again.
    progress : bool
        Print a progress line to stderr.
    plots : bool
        Draw the PNG charts.
    on_case : callable, optional
        Called with each case's record once it is written.
    task : callable
        What a worker runs for each case: :func:`energy_model.sweep.case.solve_case` or a
        function with its arguments and record that does more (an uncertainty run also
        re-operates a fixed design).
    task_kwargs : dict, optional
        Extra keyword arguments of ``task``, the same for every case.

    Returns
    -------
    xarray.Dataset
        One entry per case along ``case``; see :func:`energy_model.sweep.combine_cases`.

    Raises
    ------
    SweepError
        For a bad sweep, an output folder that would be overwritten, or finished cases
        that belong to another sweep.
    """
    start = time.perf_counter()
    sweep = load_sweep(sweep)
    out = Path(out_dir) if out_dir is not None else default_out_dir(sweep)
    with output_lock(out):
        return _run_locked(sweep, out, start, scheduler, workers, resume, force, progress,
                           plots, on_case, task, task_kwargs)


def _run_locked(sweep: Sweep, out: Path, start: float, scheduler: Any, workers: int | None,
                resume: bool, force: bool, progress: bool, plots: bool,
                on_case: Callable[[dict[str, Any]], None] | None, task: Callable,
                task_kwargs: dict[str, Any] | None) -> xr.Dataset:
    from energy_model.sweep.combine import combine_cases, write_outputs

    _prepare_output(out, sweep, resume, force)
    pending = _pending_cases(out, sweep)
    _write_sweep_record(out, sweep)
    n_done = len(sweep.cases) - len(pending)
    bar = ProgressLine(sweep.name, len(sweep.cases), n_done, enabled=progress)
    if pending:
        with dask_client(scheduler, workers) as client:
            bar.write(f"Sweep {sweep.name}: {len(sweep.cases)} cases ({n_done} already "
                      f"finished), {_describe_client(client)}")
            try:
                _solve_pending(sweep, pending, out, client, bar, on_case, task, task_kwargs)
            finally:
                bar.close()
    else:
        bar.write(f"Sweep {sweep.name}: all {len(sweep.cases)} cases already finished")
    t0 = time.perf_counter()
    records = [read_case_record(out, case) for case in sweep.cases]
    ds = combine_cases(sweep, records)
    ds.attrs["cases_solved_this_run"] = len(pending)
    # where the time went: cluster warm-up, the cases (solve and write), combined outputs
    ds.attrs.update(bar.timings)
    ds.attrs["outputs_seconds"] = 0.0
    ds.attrs["wall_seconds"] = time.perf_counter() - start
    write_outputs(ds, sweep, out)
    if plots:
        from energy_model.sweep.plots import plot_sweep

        plot_sweep(ds, out)
    ds.attrs["outputs_seconds"] = time.perf_counter() - t0
    ds.attrs["wall_seconds"] = time.perf_counter() - start
    return ds
