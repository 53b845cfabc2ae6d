"""Run an uncertainty analysis on the sweep machinery and write what it finds.

The cases are the plan at the scenario's values (``default``), each range at its low and
high with the others at their values (``oat-NNN-low``/``-high``, with
``one_at_a_time``) and a seeded Latin hypercube over all ranges (``sample-NNN``). They run
as a sweep (:func:`energy_model.sweep.run_sweep`): on a local Dask cluster or a given
scheduler, each case written atomically as it finishes, ``resume`` keeping finished
cases. Each worker also operates the default plan's design under its case, for the
regret. The output folder holds the sweep's files (``sweep.yaml``, ``cases/``,
``sweep.nc``, ``sweep.csv``) and the summary: ``uncertainty.nc``, ``samples.csv``,
``summary.csv``, ``no_regret.csv``, ``tornado.csv`` and ``summary.txt``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import xarray as xr

from energy_model.errors import ScenarioError
from energy_model.outputs import add_to_manifest, write_atomic
from energy_model.scenario import Scenario, find_scenario, load_scenario
from energy_model.uncertainty import DEFAULT_TYPICAL_DAYS
from energy_model.uncertainty.ranges import latin_hypercube, one_at_a_time
from energy_model.uncertainty.summary import Cases, format_summary, summarise, tables

DEFAULT_CASE = "default"
SUMMARY_FILE = "uncertainty.nc"


def default_out_dir(scenario: Scenario) -> Path:
    """``results/uncertainty/<scenario name>``."""
    return Path("results") / "uncertainty" / scenario.name


def case_plan(scenario: Scenario, samples: int = 0, seed: int = 0,
              oat: bool = False) -> dict[str, Any]:
    """The cases of an uncertainty run, as ids and updates.

    Returns
    -------
    dict
        ``cases`` (the sweep's list of ``{name, updates}``), ``samples`` (case id to the
        values drawn) and ``one_at_a_time`` (case id to (path, end)).
    """
    cases: list[dict[str, Any]] = [{"name": DEFAULT_CASE, "updates": {}}]
    oat_ids: dict[str, tuple[str, str]] = {}
    if oat:
        paths = list(scenario.ranges)
        width = max(3, len(str(len(paths) - 1)))
        for path, end, updates in one_at_a_time(scenario.ranges):
            case_id = f"oat-{paths.index(path):0{width}d}-{end}"
            oat_ids[case_id] = (path, end)
            cases.append({"name": case_id, "updates": updates})
    sample_ids: dict[str, dict[str, float]] = {}
    if samples:
        width = max(3, len(str(samples - 1)))
        for i, values in enumerate(latin_hypercube(scenario.ranges, samples, seed)):
            case_id = f"sample-{i:0{width}d}"
            sample_ids[case_id] = values
            cases.append({"name": case_id, "updates": values})
    return {"cases": cases, "samples": sample_ids, "one_at_a_time": oat_ids}


def _say(progress: bool) -> Callable[[str], None]:
    def say(text: str) -> None:
        if progress:
            print(text, file=sys.stderr, flush=True)
    return say


def representation_note(inputs) -> str:
    """One line on how well typical days stand for the year ("" for a full year)."""
    err = inputs.representation_error
    if err is None:
        return ""
    worst_annual = err["annual_error_pct"].abs()
    worst_peak = err["peak_error_pct"].abs()
    return (f"typical days against the year: annual sums within "
            f"{worst_annual.max():.1f} % ({worst_annual.idxmax()}), peaks within "
            f"{worst_peak.max():.1f} % ({worst_peak.idxmax()})")


def default_design(base: Scenario, say: Callable[[str], None]) -> tuple[list, dict[str, Any]]:
    """Solve the plan at the scenario's values; its design as pairs, and facts about it."""
    from energy_model.inputs import prepare_inputs
    from energy_model.pipeline import run_scenario
    from energy_model.solve import design_of

    t0 = time.perf_counter()
    inputs = prepare_inputs(base)
    note = representation_note(inputs)
    if note:
        say(f"Resolution: {note}")
    run = run_scenario(base, inputs=inputs, check=False)
    m, solution = run.model, run.solution
    say(f"Default plan: {solution.objective_gbp_per_year / 1e6:,.2f} m GBP/yr, solved in "
        f"{time.perf_counter() - t0:.1f} s; its design is re-operated under every case")
    return list(design_of(m).items()), {"representation_note": note,
                                        "default_cost_gbp_per_year":
                                            solution.objective_gbp_per_year}


def run_uncertainty(scenario: str | Path, out_dir: str | Path | None = None, *,
                    samples: int = 0, one_at_a_time_cases: bool = False, seed: int = 0,
                    typical_days: int | None = DEFAULT_TYPICAL_DAYS,
                    updates: dict[str, Any] | None = None, no_regret_share: float = 0.9,
                    scheduler: Any = None, workers: int | None = None, resume: bool = False,
                    force: bool = False, progress: bool = True, regret: bool = True
                    ) -> xr.Dataset:
    """Sample a scenario's ranges, solve every case on Dask and summarise.

    Parameters
    ----------
    scenario : str or Path
        A scenario file or built-in name whose numbers carry ranges.
    out_dir : str or Path, optional
        Default ``results/uncertainty/<scenario name>``.
    samples : int
        Latin hypercube samples over all ranges (0 for none).
    one_at_a_time_cases : bool
        Also solve each range at its low and its high, the others at their values.
    seed : int
        Seed of the Latin hypercube: the same seed draws the same samples.
    typical_days : int or None
        Solve each case on this many typical days (``time.representative_days``); None
        keeps the scenario's own time resolution.
    updates : dict, optional
        Further updates applied to every case (dotted paths), e.g. a short horizon.
    no_regret_share : float
        A build in at least this share of the samples is listed as no-regret.
    scheduler, workers, resume, force, progress
        As for :func:`energy_model.sweep.run_sweep`.
    regret : bool
        Operate the default plan's design under each case.

    Returns
    -------
    xarray.Dataset
        From :func:`energy_model.uncertainty.summary.summarise`.

    Raises
    ------
    ScenarioError
        For a scenario without ranges or asking for no cases.
    SweepError
        For a case the schema refuses, or an output folder that would be overwritten.
    """
    from energy_model.sweep.run import read_case_record, run_sweep
    from energy_model.uncertainty.case import uncertainty_case

    say = _say(progress)
    path = find_scenario(scenario)
    loaded = load_scenario(path)
    if not loaded.ranges:
        raise ScenarioError(str(path), [
            "no ranges to sample: write a number as {value: 976, low: 700, high: 1400, "
            "source: ...} (see energy_model/uncertainty/ranges.py)"])
    if not samples and not one_at_a_time_cases:
        raise ScenarioError(str(path), ["no cases asked for: give --samples N and/or "
                                        "--one-at-a-time"])
    fixed = dict(updates or {})
    if typical_days:
        fixed["time.representative_days"] = typical_days
    out = Path(out_dir) if out_dir is not None else default_out_dir(loaded)
    plan = case_plan(loaded, samples, seed, one_at_a_time_cases)
    say(f"Uncertainty on {loaded.name}: {len(loaded.ranges)} ranges, {len(plan['cases'])} "
        f"cases ({samples} samples, seed {seed}"
        + (f", {2 * len(loaded.ranges)} one at a time" if one_at_a_time_cases else "")
        + ")" + (f", {typical_days} typical days" if typical_days else "")
        + "; solving the default plan first")
    base = loaded.with_updates(fixed) if fixed else loaded
    design, facts = default_design(base, say) if regret else ([], {})
    spec = {"name": f"uncertainty-{loaded.name}", "base": str(path.resolve()),
            "fixed": fixed, "cases": plan["cases"]}
    run_sweep(spec, out, scheduler=scheduler, workers=workers, resume=resume, force=force,
              progress=progress, plots=False, task=uncertainty_case,
              task_kwargs={"design": design} if design else None)
    records = {c["name"]: read_case_record(out, c["name"]) for c in plan["cases"]}
    cases = Cases(
        default=records[DEFAULT_CASE],
        samples=[(c, values, records[c]) for c, values in plan["samples"].items()],
        one_at_a_time=[(p, end, c, records[c])
                       for c, (p, end) in plan["one_at_a_time"].items()])
    ds = summarise(loaded.ranges, cases, no_regret_share)
    ds.attrs.update(scenario_name=loaded.name, seed=seed, typical_days=typical_days or 0,
                    fixed=str(fixed), **{k: v for k, v in facts.items()})
    write_outputs(ds, out)
    return ds


def write_outputs(ds: xr.Dataset, out_dir: Path) -> None:
    """Write ``uncertainty.nc``, the CSV tables and ``summary.txt``, each atomically."""
    from energy_model.outputs import local_file_locks

    out = Path(out_dir)
    tmp = out / f".{SUMMARY_FILE}.tmp"
    with local_file_locks():
        ds.to_netcdf(tmp)
    tmp.replace(out / SUMMARY_FILE)
    written = tables(ds)
    for name, table in written.items():
        write_atomic(out / f"{name}.csv", table.to_csv(index=False))
    text = format_summary(ds)
    note = ds.attrs.get("representation_note", "")
    write_atomic(out / "summary.txt", text + (f"\nResolution: {note}" if note else "") + "\n")
    add_to_manifest(out, [SUMMARY_FILE, *(f"{name}.csv" for name in written), "summary.txt"])


def read_uncertainty(folder: str | Path) -> xr.Dataset | None:
    """An uncertainty run's summary from its folder, or None if it has none."""
    path = Path(folder) / SUMMARY_FILE
    if not path.exists():
        return None
    with xr.open_dataset(path) as ds:
        return ds.load()
