"""Sweep files: the schema, loading with clear errors, and expansion into checked cases.

A sweep file names a base scenario, updates applied to every case (``fixed``), and one of
three ways to vary parameters, all addressed by the dotted key paths of scenario files:

``grid``
    Path to a list of values; every combination is a case.
``cases``
    A list of ``{name, updates}``; each is a case.
``sample``
    ``{n, seed, ranges: {path: [low, high]}}``: a seeded Latin hypercube of ``n`` cases.

Every case is validated against the scenario schema before anything runs, and a path
that does not exist in the base scenario is refused.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from energy_model import technologies as registry
from energy_model.errors import ProblemsError, ScenarioError
from energy_model.outputs import safe_folder_name
from energy_model.scenario import (
    MAX_YAML_BYTES,
    Scenario,
    find_scenario,
    load_scenario,
    parse_yaml,
    yaml_problem,
)
from weather.errors import file_problem

# Mappings whose keys are not fixed by the schema: a new key under them is allowed (the
# scenario schema checks it), where anywhere else a path must exist in the base scenario.
OPEN_MAPPINGS = ("fixed_capacity",)
_CASE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
# Most cases a sweep may have: each is checked (and held in memory) before any runs.
MAX_CASES = 10_000


class SweepError(ProblemsError):
    """A sweep file, its cases or its output folder cannot be used."""

    kind = "sweep"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class CaseSpec(_Strict):
    """One explicit case: an optional name and its updates (dotted paths to values)."""

    name: str | None = None
    updates: dict[str, Any] = Field(default_factory=dict)


class SampleSpec(_Strict):
    """A seeded Latin hypercube sample of ``n`` cases over numeric ranges."""

    n: Annotated[int, Field(ge=1, le=MAX_CASES)]
    seed: int = 0
    ranges: dict[str, tuple[float, float]]

    @model_validator(mode="after")
    def _ranges(self) -> SampleSpec:
        if not self.ranges:
            raise ValueError("ranges: give at least one path: [low, high]")
        bad = [p for p, (lo, hi) in self.ranges.items() if not lo <= hi]
        if bad:
            raise ValueError(f"ranges: low is above high for {', '.join(bad)}")
        return self


class SweepSpec(_Strict):
    """A validated sweep file.

    Attributes
    ----------
    name : str
        Names the output folder; defaults to the file's stem.
    base : str
        The base scenario: a built-in name or a path relative to the sweep file.
    fixed : dict
        Updates applied to every case (for example a short horizon).
    grid, cases, sample
        Exactly one: how the cases vary.
    time_limit_s : float, optional
        Solver time limit per case; a case that reaches it is recorded as failed.
    """

    name: Annotated[str, AfterValidator(lambda v: safe_folder_name(v) if v else v)] = ""
    description: str = ""
    base: str
    fixed: dict[str, Any] = Field(default_factory=dict)
    grid: dict[str, list[Any]] | None = None
    cases: Annotated[list[CaseSpec], Field(max_length=MAX_CASES)] | None = None
    sample: SampleSpec | None = None
    time_limit_s: Annotated[float, Field(gt=0)] | None = None
    base_dir: str = Field(default=".", exclude=True)

    @model_validator(mode="after")
    def _one_kind(self) -> SweepSpec:
        given = [k for k in ("grid", "cases", "sample") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of grid, cases or sample"
                             + (f" (got {', '.join(given)})" if given else ""))
        if self.grid is not None:
            if not self.grid:
                raise ValueError("grid: give at least one path: [values]")
            empty = [p for p, v in self.grid.items() if not v]
            if empty:
                raise ValueError(f"grid: no values for {', '.join(empty)}")
        if self.cases is not None and not self.cases:
            raise ValueError("cases: give at least one case")
        return self

    @property
    def kind(self) -> str:
        """``"grid"``, ``"cases"`` or ``"sample"``."""
        return next(k for k in ("grid", "cases", "sample") if getattr(self, k) is not None)


@dataclass(frozen=True)
class Case:
    """One case of a sweep, checked and ready to send to a worker.

    Attributes
    ----------
    case_id : str
        Unique within the sweep; names the case's folder.
    parameters : dict
        The swept parameters' values for this case (path to value), without ``fixed``.
    scenario_data : dict
        The complete scenario as JSON-ready data (what a worker validates and solves).
    base_dir : str
        Folder the scenario's relative paths are resolved against.
    """

    case_id: str
    parameters: dict[str, Any]
    scenario_data: dict[str, Any]
    base_dir: str

    @property
    def digest(self) -> str:
        """SHA-256 of the complete scenario: tells whether a finished case is this case."""
        text = json.dumps(self.scenario_data, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Sweep:
    """A loaded sweep: its spec, source, base scenario (with ``fixed``) and cases."""

    spec: SweepSpec
    source: str
    base: Scenario
    cases: list[Case]

    @property
    def name(self) -> str:
        """The sweep's name."""
        return self.spec.name

    @property
    def parameters(self) -> list[str]:
        """The swept key paths, in order."""
        seen: dict[str, None] = {}
        for case in self.cases:
            seen.update(dict.fromkeys(case.parameters))
        return list(seen)


def flatten_updates(updates: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested mappings to dotted paths: ``{"time": {"horizon_hours": 48}}`` to
    ``{"time.horizon_hours": 48}``, so that updates merge key by key like ``extends:``."""
    out: dict[str, Any] = {}
    for key, value in updates.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            out.update(flatten_updates(value, f"{path}."))
        else:
            out[path] = value
    return out


def path_problem(base_data: dict[str, Any], path: str) -> str | None:
    """Why ``path`` cannot be updated in the base scenario, or None when it can.

    A path must exist in the base scenario's data (every key, with None for an absent
    optional section or value), except below an absent section (the schema then checks
    the section as a whole) or under an open mapping such as ``fixed_capacity``.
    """
    node: Any = base_data
    keys = path.split(".")
    for depth, key in enumerate(keys):
        if node is None:
            return None
        where = ".".join(keys[:depth])
        if depth and where in OPEN_MAPPINGS:
            return None
        if not isinstance(node, dict):
            return f"{path}: {where} is a value, not a section, so it has no key '{key}'"
        if key not in node:
            known = ", ".join(sorted(node)) or "(none)"
            return (f"{path}: the base scenario has no key '{key}'"
                    + (f" under {where}" if where else "") + f"; known keys: {known}")
        node = node[key]
    return None


def _base_value(base_data: dict[str, Any], path: str) -> Any:
    node: Any = base_data
    for key in path.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def _read_sweep_yaml(path: Path) -> dict[str, Any]:
    problem = file_problem(path, MAX_YAML_BYTES)
    if problem:
        raise SweepError(str(path), [problem])
    try:
        data = parse_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise SweepError(str(path), [f"the file cannot be read: {err}"]) from None
    except yaml.YAMLError as err:
        raise SweepError(str(path), [yaml_problem(err)]) from None
    if not isinstance(data, dict):
        raise SweepError(str(path), ["a sweep file is a YAML mapping with base: and one of "
                                     "grid:, cases: or sample:"])
    return data


def sweep_spec_from_dict(data: dict[str, Any], source: str = "<sweep>",
                         base_dir: str | Path = ".") -> SweepSpec:
    """Validate a sweep given as a mapping.

    Raises
    ------
    SweepError
        Naming ``source``, each key path and what was expected.
    """
    try:
        spec = SweepSpec.model_validate({**data, "base_dir": str(base_dir)})
    except ValidationError as err:
        problems = []
        for e in err.errors():
            loc = ".".join(str(p) for p in e["loc"]) or "(top level)"
            msg = e["msg"].removeprefix("Value error, ")
            if e["type"] == "extra_forbidden":
                msg = ("unknown key; a sweep has name, description, base, fixed, "
                       "grid, cases, sample and time_limit_s")
            problems.append(f"{loc}: {msg}")
        raise SweepError(source, problems) from None
    if not spec.name:
        try:
            name = safe_folder_name(Path(source).stem)
        except ValueError as err:
            raise SweepError(source, [f"name: {err} (taken from the file's name; give a "
                                      "name: key)"]) from None
        spec = spec.model_copy(update={"name": name})
    return spec


def load_sweep(sweep: str | Path | SweepSpec | Sweep | dict[str, Any]) -> Sweep:
    """Read a sweep file, load its base scenario and expand and check every case.

    Parameters
    ----------
    sweep : str, Path, dict, SweepSpec or Sweep
        A sweep YAML file, its data (relative paths against the working folder) or a
        spec already validated.

    Returns
    -------
    Sweep

    Raises
    ------
    SweepError
        For a bad sweep file, an unknown key path or a case the scenario schema refuses;
        every problem at once, naming the sweep file, the case and the key.
    """
    if isinstance(sweep, Sweep):
        return sweep
    if isinstance(sweep, SweepSpec):
        spec, source = sweep, sweep.name or "<sweep>"
    elif isinstance(sweep, dict):
        spec = sweep_spec_from_dict(sweep, source=str(sweep.get("name", "<sweep>")))
        source = spec.name
    else:
        path = Path(sweep)
        spec = sweep_spec_from_dict(_read_sweep_yaml(path), source=str(path),
                                    base_dir=path.parent)
        source = str(path)
    base_path = Path(spec.base_dir) / spec.base
    try:
        base = load_scenario(base_path if base_path.exists() else find_scenario(spec.base))
    except ScenarioError as err:
        raise SweepError(source, [f"base: {line}" for line in str(err).splitlines()]) from None
    fixed = flatten_updates(spec.fixed)
    problems = [f"fixed.{p}" for p in _path_problems(base, fixed)]
    if problems:
        raise SweepError(source, problems)
    try:
        base = base.with_updates(fixed)
    except ScenarioError as err:
        raise SweepError(source, [f"fixed: {p}" for p in err.problems]) from None
    cases = _expand(spec, base, source)
    return Sweep(spec=spec, source=source, base=base, cases=cases)


def _path_problems(base: Scenario, updates: dict[str, Any]) -> list[str]:
    data = base.model_dump(mode="json")
    return [p for p in (path_problem(data, path) for path in updates) if p]


def _case_parameters(spec: SweepSpec, base: Scenario, source: str) -> list[tuple[str, dict]]:
    """(case id, updates) for every case, before validation."""
    if spec.grid is not None:
        grid = {path: list(values) for path, values in spec.grid.items()}
        n = _n_combinations(grid)
        if n > MAX_CASES:
            sizes = " x ".join(str(len(v)) for v in grid.values())
            raise SweepError(source, [f"grid: {sizes} = {n:,} cases, more than the "
                                      f"{MAX_CASES:,} a sweep may have; use fewer values or "
                                      "sample: for a Latin hypercube"])
        combos = itertools.product(*grid.values())
        width = len(str(max(0, _n_combinations(grid) - 1)))
        return [(f"case-{i:0{max(3, width)}d}", dict(zip(grid, combo, strict=True)))
                for i, combo in enumerate(combos)]
    if spec.cases is not None:
        out = []
        width = max(3, len(str(len(spec.cases) - 1)))
        problems = []
        for i, case in enumerate(spec.cases):
            case_id = case.name or f"case-{i:0{width}d}"
            if not _CASE_NAME.fullmatch(case_id):
                problems.append(f"cases[{i}].name: '{case_id}' is not usable as a folder name; "
                                "use letters, digits, '.', '_' and '-'")
            out.append((case_id, flatten_updates(case.updates)))
        ids = [c for c, _ in out]
        dupes = sorted({c for c in ids if ids.count(c) > 1})
        if dupes:
            problems.append(f"cases: names used more than once: {', '.join(dupes)}")
        if problems:
            raise SweepError(source, problems)
        return out
    return _sample_cases(spec.sample, base)


def _n_combinations(grid: dict[str, list]) -> int:
    n = 1
    for values in grid.values():
        n *= len(values)
    return n


def _sample_cases(sample: SampleSpec, base: Scenario) -> list[tuple[str, dict]]:
    from scipy.stats import qmc

    paths = list(sample.ranges)
    unit = qmc.LatinHypercube(d=len(paths), seed=sample.seed).random(sample.n)
    lows = np.array([sample.ranges[p][0] for p in paths])
    highs = np.array([sample.ranges[p][1] for p in paths])
    points = lows + unit * (highs - lows)
    data = base.model_dump(mode="json")
    # A whole-number key (years, hours) gets whole numbers.
    integer = [isinstance(_base_value(data, p), int)
               and not isinstance(_base_value(data, p), bool) for p in paths]
    width = max(3, len(str(sample.n - 1)))
    out = []
    for i, row in enumerate(points):
        values = {p: (round(float(v)) if is_int else float(v))
                  for p, v, is_int in zip(paths, row, integer, strict=True)}
        out.append((f"case-{i:0{width}d}", values))
    return out


def _expand(spec: SweepSpec, base: Scenario, source: str) -> list[Case]:
    raw = _case_parameters(spec, base, source)
    paths: dict[str, None] = {}
    for _, updates in raw:
        paths.update(dict.fromkeys(updates))
    where = {"grid": "grid.", "cases": "cases: ", "sample": "sample.ranges."}[spec.kind]
    problems = [f"{where}{p}" for p in _path_problems(base, dict.fromkeys(paths))]
    if problems:
        raise SweepError(source, problems)
    base_data = base.model_dump(mode="json")
    cases = []
    for case_id, updates in raw:
        try:
            scenario = base.with_updates(updates)
        except ScenarioError as err:
            problems += [f"case {case_id} ({_describe_updates(updates)}): {p}"
                         for p in err.problems]
            continue
        # In a list of cases, a parameter a case does not set keeps the base value.
        parameters = {p: updates.get(p, _base_value(base_data, p)) for p in paths}
        data = scenario.model_dump(mode="json", exclude_none=True)
        data["name"] = f"{base.name}-{case_id}"
        cases.append(Case(case_id, parameters, data, str(base.base_dir)))
        if len(problems) > 20:
            break
    if problems:
        raise SweepError(source, problems[:20] + (["... and more"] if len(problems) > 20
                                                  else []))
    return cases


def _describe_updates(updates: dict[str, Any]) -> str:
    return ", ".join(f"{p}={v!r}" for p, v in updates.items()) or "no updates"


_UNIT_WORDS = {"gbp": "GBP", "gwh": "GWh", "mwh": "MWh", "kwh": "kWh", "mw": "MW", "kw": "kW",
               "t": "t", "km": "km", "m": "m", "c": "°C", "deg": "°", "h": "h", "hours": "h",
               "years": "yr", "year": "yr", "hour": "h", "household": "household"}
_UNIT = re.compile(r"_(gbp|gwh|mwh|kwh|mw|kw|t|km|m|c|deg|h|hours|years)"
                   r"((?:_per_(?:gbp|gwh|mwh|kwh|mw|kw|t|km|household|year|hour|h))*)$")
_DIMENSIONLESS = ("fraction", "share", "efficiency", "multiplier", "factor", "rate")


def parameter_unit(path: str) -> str:
    """The unit a key path's name states (``..._gbp_per_kwh`` is GBP/kWh), '-' or ''."""
    keys = path.split(".")
    if keys[0] == "fixed_capacity" and len(keys) == 2:
        tech = registry.REGISTRY.get(keys[1])
        return tech.unit if tech is not None else "MW"
    match = _UNIT.search(keys[-1])
    if match:
        per = [w for w in match.group(2).split("_per_") if w]
        return "/".join([_UNIT_WORDS[match.group(1)], *(_UNIT_WORDS[w] for w in per)])
    if any(word in keys[-1] for word in _DIMENSIONLESS):
        return "-"
    return ""


def parameter_label(path: str) -> str:
    """An axis label: the last two keys of the path and the unit, ``battery.x [GBP/kWh]``."""
    unit = parameter_unit(path)
    short = ".".join(path.split(".")[-2:])
    return f"{short} [{unit}]" if unit else short
