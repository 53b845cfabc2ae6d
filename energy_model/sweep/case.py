"""Solve one case of a sweep: what each Dask worker runs, independently of the others.

A worker receives plain scenario data (a dict), validates it, prepares the inputs,
builds and solves the model, and returns the results as an ``xarray.Dataset`` with a
short record. It never raises for a case that cannot be solved: an infeasible or failed
case comes back with its status and reason, so the sweep goes on.

Weather and hourly profiles depend on only part of a scenario, so each worker keeps the
few it computed last and reuses them for cases that differ only in costs, limits or
targets (the usual storage sweep); the result is the same as preparing them afresh. Each
worker also solves its LPs by simplex from the optimal basis of its previous case when the
LP has the same shape (:class:`energy_model.solve.WarmStart`): the same optimum, found in
a fraction of the time.
"""

from __future__ import annotations

import json
import re
import socket
import time
import traceback
from collections import OrderedDict
from typing import Any

STATUS_OK = "ok"
STATUS_INFEASIBLE = "infeasible"
STATUS_FAILED = "failed"
# Statuses that resume keeps: solving again would give the same answer.
FINISHED = (STATUS_OK, STATUS_INFEASIBLE)

_CACHE_SIZE = 4
_weather_cache: OrderedDict[str, Any] = OrderedDict()
_hourly_cache: OrderedDict[str, Any] = OrderedDict()
_warm_start: Any = None   # this process's energy_model.solve.WarmStart, made on first use

# Scenario sections and technology keys that do not enter the hourly profiles.
_NOT_IN_PROFILES = ("name", "description", "time", "finance", "targets", "fixed_capacity",
                    "network", "gas", "carbon", "payers")
_TECH_KEYS_NOT_IN_PROFILES = re.compile(
    r"^(source|note|.*capex.*|.*_gbp_.*|.*lifetime.*|fixed_om.*|existing_.*|potential_.*"
    r"|max_.*|(dis)?charge_efficiency)$")


def _cached(cache: OrderedDict, key: str, make):
    if key in cache:
        cache.move_to_end(key)
        return cache[key]
    value = make()
    cache[key] = value
    while len(cache) > _CACHE_SIZE:
        cache.popitem(last=False)
    return value


def profile_key(data: dict[str, Any], base_dir: str) -> str:
    """The part of a scenario the hourly profiles depend on, as a canonical string."""
    reduced = {k: v for k, v in data.items() if k not in _NOT_IN_PROFILES}
    reduced["technologies"] = {
        name: ({k: v for k, v in spec.items() if not _TECH_KEYS_NOT_IN_PROFILES.match(k)}
               if isinstance(spec, dict) else spec)
        for name, spec in data.get("technologies", {}).items()
    }
    return json.dumps({"scenario": reduced, "base_dir": base_dir}, sort_keys=True, default=str)


def prepare_case_inputs(scenario, data: dict[str, Any], base_dir: str):
    """:func:`energy_model.inputs.prepare_inputs`, reusing this process's recent profiles."""
    from energy_model.inputs import aggregate, hourly_profiles, load_weather

    weather_key = json.dumps({"weather": data.get("weather"), "base_dir": base_dir},
                             sort_keys=True, default=str)
    weather = _cached(_weather_cache, weather_key, lambda: load_weather(scenario))
    hourly = _cached(_hourly_cache, profile_key(data, base_dir),
                     lambda: hourly_profiles(scenario, weather))
    return aggregate(hourly, scenario)


def headline(ds) -> tuple[dict[str, float], dict[str, str]]:
    """The headline figures of a case's results: name to value, and name to unit."""
    values = {k: float(ds.attrs[k]) for k in ds.attrs if f"{k}__units" in ds.attrs}
    units = {k: str(ds.attrs[f"{k}__units"]) for k in values}
    return values, units


def solve_case(case_id: str, data: dict[str, Any], base_dir: str,
               time_limit_s: float | None = None, warm_start: bool = True) -> dict[str, Any]:
    """Validate, prepare, build and solve one case; never raise for a case's own failure.

    Parameters
    ----------
    case_id : str
        Named in the record.
    data : dict
        The complete scenario as JSON-ready data.
    base_dir : str
        Folder the scenario's relative paths are resolved against; it must be readable
        by the worker (a shared file system on a cluster).
    time_limit_s : float, optional
        Solver time limit.
    warm_start : bool
        Start from the optimal basis of this process's previous case of the same shape.

    Returns
    -------
    dict
        ``case``, ``status`` (ok, infeasible or failed), ``reason``, ``seconds`` (wall
        time of this case on the worker), ``worker``, ``figures``, ``units``,
        ``capacity``, ``capacity_unit`` and ``dataset`` (the results, or None).
    """
    from energy_model.errors import EnergyModelError, SolveError, SolveStatus
    from energy_model.pipeline import run_scenario
    from energy_model.scenario import scenario_from_dict
    from energy_model.solve import WarmStart

    global _warm_start
    if warm_start and _warm_start is None:
        _warm_start = WarmStart()
    start = time.perf_counter()
    record: dict[str, Any] = {"case": case_id, "status": STATUS_OK, "reason": "",
                              "worker": socket.gethostname(), "figures": {}, "units": {},
                              "capacity": {}, "capacity_unit": {}, "dataset": None}
    try:
        scenario = scenario_from_dict(data, source=f"case {case_id}", base_dir=base_dir)
        ds = run_scenario(scenario, prepare=lambda s: prepare_case_inputs(s, data, base_dir),
                          check=False, time_limit_s=time_limit_s,
                          warm_start=_warm_start if warm_start else None).dataset
    except SolveError as err:
        infeasible = err.status is SolveStatus.INFEASIBLE
        record.update(status=STATUS_INFEASIBLE if infeasible else STATUS_FAILED,
                      reason=str(err))
    except EnergyModelError as err:
        record.update(status=STATUS_FAILED, reason=str(err))
    except Exception as err:  # noqa: BLE001 - a case's bug must not stop the sweep
        record.update(status=STATUS_FAILED, reason=f"{type(err).__name__}: {err}",
                      traceback=traceback.format_exc())
    else:
        record["figures"], record["units"] = headline(ds)
        techs = [str(t) for t in ds["technology"].to_numpy()]
        record["capacity"] = dict(zip(techs, map(float, ds["capacity"].to_numpy()), strict=True))
        record["capacity_unit"] = dict(zip(techs, map(str, ds["capacity_unit"].to_numpy()),
                                           strict=True))
        record["horizon"] = {"year_weight": float(ds.attrs.get("year_weight", 1.0)),
                             "step_hours": float(ds.attrs.get("step_hours", 1.0)),
                             "typical_days": "profile" in ds.dims}
        record["dataset"] = ds
    record["seconds"] = time.perf_counter() - start
    return record


def warm_up() -> None:
    """Import the model's modules in a worker, so the first case's time is its own."""
    import energy_model.build  # noqa: F401
    import energy_model.results  # noqa: F401
    import energy_model.solve  # noqa: F401
