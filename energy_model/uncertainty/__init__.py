"""Uncertainty: ranges on a scenario's assumptions, samples over them on Dask, what moves
the plan and what else costs about the same.

``ranges`` is imported by the scenario schema, so this package's other modules (which
import the schema) are loaded on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from energy_model.uncertainty.ranges import Range, latin_hypercube, one_at_a_time

_LAZY = {
    "run_uncertainty": "energy_model.uncertainty.run",
    "summarise": "energy_model.uncertainty.summary",
    "near_optimal_ranges": "energy_model.uncertainty.alternatives",
    "plan_builds": "energy_model.uncertainty.builds",
}

__all__ = ["Range", "latin_hypercube", "one_at_a_time", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
