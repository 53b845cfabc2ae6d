"""Ranges on a scenario's numbers: how they are written, checked, kept and sampled.

Any numeric assumption of a scenario may be written as a mapping instead of a number::

    capex_gbp_per_kw: {value: 976, low: 700, high: 1400, source: "..."}
    waste_heat_temp_c: {value: 30, low: 25, high: 50, distribution: uniform}
    households: {value: 24000, low: 22000, high: 26000, distribution: normal, sd: 1000}

``value`` is what a single plan uses. ``distribution`` says how samples are drawn:
``triangular`` (the default: most likely at ``value``, never outside ``low``-``high``),
``uniform`` (anywhere in ``low``-``high`` alike) or ``normal`` (mean ``value``, standard
deviation ``sd``, cut at ``low`` and ``high``). Ranges are in the key's own unit.

The loader (:func:`energy_model.scenario.scenario_from_dict`) strips every such mapping
to its ``value`` before the schema sees it, so the schema's classes are unchanged, and
keeps the ranges on :attr:`Scenario.ranges <energy_model.scenario.Scenario.ranges>`,
keyed by dotted path (``technologies.individual_heat_pump.capex_gbp_per_kw``). This module
imports nothing of the scenario schema, which imports it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from energy_model.errors import ScenarioError

DISTRIBUTIONS = ("triangular", "uniform", "normal")
RANGE_KEYS = ("value", "low", "high", "distribution", "sd", "source", "note")


class Range(BaseModel):
    """One scenario number with its range and how to sample it.

    Attributes
    ----------
    path : str
        Dotted key path in the scenario (``zones.Hanley.households``).
    value : float
        The value a single plan uses.
    low, high : float
        Bounds of the samples, in the key's unit.
    distribution : {"triangular", "uniform", "normal"}
        Triangular with its mode at ``value`` unless stated.
    sd : float, optional
        Standard deviation of a normal distribution (cut at ``low`` and ``high``).
    source : str
        Where the range comes from, or that it is an assumption.
    integer : bool
        The key takes whole numbers (households, years): samples are rounded.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str
    value: float
    low: float
    high: float
    distribution: Literal["triangular", "uniform", "normal"] = "triangular"
    sd: float | None = None
    source: str = ""
    note: str = ""
    integer: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> Range:
        numbers = {"value": self.value, "low": self.low, "high": self.high}
        if self.sd is not None:
            numbers["sd"] = self.sd
        bad = [k for k, v in numbers.items() if not math.isfinite(v)]
        if bad:
            raise ValueError(f"{', '.join(bad)} must be finite numbers")
        if not self.low <= self.value <= self.high:
            raise ValueError(f"needs low <= value <= high, got low {self.low:g}, value "
                             f"{self.value:g}, high {self.high:g}")
        if self.distribution == "normal" and (self.sd is None or self.sd <= 0):
            raise ValueError("a normal distribution needs sd > 0 (its standard deviation)")
        if self.distribution != "normal" and self.sd is not None:
            raise ValueError(f"sd is for distribution: normal, not {self.distribution}")
        return self

    def quantile(self, u: np.ndarray) -> np.ndarray:
        """Values at cumulative probabilities ``u`` in [0, 1] (the inverse CDF)."""
        from scipy import stats

        u = np.asarray(u, dtype=float)
        span = self.high - self.low
        if span == 0:
            out = np.full_like(u, self.low)
        elif self.distribution == "uniform":
            out = self.low + u * span
        elif self.distribution == "triangular":
            out = stats.triang.ppf(u, (self.value - self.low) / span, loc=self.low, scale=span)
        else:
            a, b = (self.low - self.value) / self.sd, (self.high - self.value) / self.sd
            out = stats.truncnorm.ppf(u, a, b, loc=self.value, scale=self.sd)
        out = np.clip(out, self.low, self.high)
        return np.round(out) if self.integer else out

    def as_yaml(self) -> dict[str, Any]:
        """The mapping that wrote this range in a scenario file (for ``resolved_yaml``)."""
        out = self.model_dump(exclude={"path", "integer"}, exclude_defaults=True)
        out["value"] = _number(self.value, self.integer)
        out["low"] = _number(self.low, self.integer)
        out["high"] = _number(self.high, self.integer)
        return {k: out[k] for k in RANGE_KEYS if k in out}


def _number(x: float, integer: bool) -> float | int:
    return int(round(x)) if integer else float(x)


def _is_range(node: Any) -> bool:
    return isinstance(node, dict) and "value" in node


def split_ranges(data: dict[str, Any], source: str
                 ) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """Replace every range mapping in scenario data by its ``value``.

    Parameters
    ----------
    data : dict
        Scenario data as read from YAML (after ``extends:``).
    source : str
        Named in error messages.

    Returns
    -------
    data : dict
        A copy with plain numbers where the ranges were (the input is not changed).
    ranges : dict
        Dotted path to the range's mapping, not yet checked against the schema.

    Raises
    ------
    ScenarioError
        For a range mapping with unknown keys or without low and high.
    """
    found: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    if "ranges" in data:
        problems.append("ranges: unknown key; write a range next to its value, as "
                        "capex_gbp_per_kw: {value: 976, low: 700, high: 1400}")

    def walk(node: Any, path: str) -> Any:
        if _is_range(node):
            unknown = sorted(set(node) - set(RANGE_KEYS))
            if unknown:
                problems.append(f"{path}: unknown key{'s' if len(unknown) > 1 else ''} "
                                f"{', '.join(unknown)} in a range; a range has "
                                f"{', '.join(RANGE_KEYS)}")
            missing = [k for k in ("low", "high") if k not in node]
            if missing:
                problems.append(f"{path}: a range needs {' and '.join(missing)} next to value "
                                "(or write the number alone)")
            found[path] = dict(node)
            return node["value"]
        if isinstance(node, dict):
            return {k: walk(v, f"{path}.{k}" if path else str(k)) for k, v in node.items()}
        return node

    stripped = walk(data, "")
    if problems:
        raise ScenarioError(source, problems)
    return stripped, found


def priced_ranges(data: dict[str, Any], raw: dict[str, dict[str, Any]],
                  convert: Callable[[dict], tuple[dict, list[str]]]
                  ) -> dict[str, dict[str, Any]]:
    """Ranges with value, low and high converted as the scenario's numbers are.

    ``convert`` (:func:`energy_model.scenario.to_price_year`) turns money figures into
    the scenario's price year; a range's ends are converted by setting every range to
    that end and converting the data.

    Parameters
    ----------
    data : dict
        Scenario data from :func:`split_ranges` (ranges at their values), not converted.
    raw : dict
        From :func:`split_ranges`.
    convert : callable
        Data to (converted data, problems); with problems, the ranges stay as written (the
        caller reports the problems).
    """
    out = {path: dict(mapping) for path, mapping in raw.items()}
    for end in ("value", "low", "high"):
        variant = _copy_dicts(data)
        for path, mapping in raw.items():
            if end in mapping:
                _set_value(variant, path, mapping[end])
        converted, problems = convert(variant)
        if problems:
            return raw
        for path, mapping in out.items():
            if end in mapping:
                mapping[end] = _value_at(converted, path)
    for path, mapping in out.items():   # a normal's spread scales with its value
        value = raw[path].get("value")
        if "sd" in mapping and isinstance(value, int | float) and value \
                and isinstance(mapping["value"], int | float):
            mapping["sd"] = raw[path]["sd"] * mapping["value"] / value
    return out


def _set_value(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    node: Any = data
    for key in parents:
        node = node.get(key) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node[last] = value


def _value_at(data: dict[str, Any], path: str) -> Any:
    node: Any = data
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def checked_ranges(validated: dict[str, Any], raw: dict[str, dict[str, Any]], source: str
                   ) -> dict[str, Range]:
    """Check ranges against the validated scenario and type them.

    Parameters
    ----------
    validated : dict
        The validated scenario dumped as JSON-ready data (``model_dump(mode="json")``).
    raw : dict
        From :func:`split_ranges`.
    source : str
        Named in error messages.

    Returns
    -------
    dict of str to Range

    Raises
    ------
    ScenarioError
        Naming ``source`` and each path: a range on something that is not a number, a
        value outside low-high, a bound that is not finite, a bad distribution.
    """
    problems = []
    out: dict[str, Range] = {}
    for path, mapping in raw.items():
        value = _value_at(validated, path)
        if isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(f"{path}: a range needs a numeric key; this one is "
                            f"{'absent' if value is None else type(value).__name__}")
            continue
        try:
            out[path] = Range.model_validate({**mapping, "path": path,
                                              "integer": isinstance(value, int)})
        except ValidationError as err:
            for e in err.errors():
                where = ".".join(str(p) for p in e["loc"])
                msg = e["msg"].removeprefix("Value error, ")
                problems.append(f"{path}{'.' + where if where else ''}: {msg}"
                                + (f" (use one of {', '.join(DISTRIBUTIONS)})"
                                   if where == "distribution" else ""))
    if problems:
        raise ScenarioError(source, problems)
    return out


def ranges_into_data(data: dict[str, Any], ranges: dict[str, Range]) -> dict[str, Any]:
    """Scenario data with each range written back as its mapping (where its key is)."""
    out = _copy_dicts(data)
    for path, r in ranges.items():
        *parents, last = path.split(".")
        node = out
        for key in parents:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, dict) and last in node:
            node[last] = r.as_yaml()
    return out


def _copy_dicts(node: Any) -> Any:
    return {k: _copy_dicts(v) for k, v in node.items()} if isinstance(node, dict) else node


def latin_hypercube(ranges: dict[str, Range], n: int, seed: int = 0
                    ) -> list[dict[str, float | int]]:
    """``n`` seeded Latin hypercube samples over the ranges, each path to its value.

    Each range is cut into ``n`` strata of equal probability and every stratum is drawn
    exactly once, so a share of samples below a value is within 1/n of its probability.
    """
    from scipy.stats import qmc

    paths = list(ranges)
    unit = qmc.LatinHypercube(d=len(paths), seed=seed).random(n)
    columns = {p: ranges[p].quantile(unit[:, j]) for j, p in enumerate(paths)}
    return [{p: _number(columns[p][i], ranges[p].integer) for p in paths} for i in range(n)]


def one_at_a_time(ranges: dict[str, Range]) -> list[tuple[str, str, dict[str, float | int]]]:
    """Each range at its low and its high, the others at their values.

    Returns
    -------
    list of (path, "low" or "high", updates)
    """
    out = []
    for path, r in ranges.items():
        for end in ("low", "high"):
            out.append((path, end, {path: _number(getattr(r, end), r.integer)}))
    return out
