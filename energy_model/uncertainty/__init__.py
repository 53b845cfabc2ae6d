"""Uncertainty: ranges on a scenario's assumptions, samples over them on Dask, what moves
the plan and what else costs about the same.

``ranges`` is imported by the scenario schema, so this package's other modules (which
import the schema) are loaded on first use.
"""

from __future__ import annotations

from energy_model.uncertainty.ranges import Range, latin_hypercube, one_at_a_time
from weather.lazy import lazy_exports

# Typical days per case unless --typical-days says otherwise (the run's default too)
DEFAULT_TYPICAL_DAYS = 32

_LAZY = {"run_uncertainty": "run", "summarise": "summary",
         "near_optimal_ranges": "alternatives", "plan_builds": "builds"}

__all__ = ["DEFAULT_TYPICAL_DAYS", "Range", "latin_hypercube", "one_at_a_time", *_LAZY]

__getattr__, __dir__ = lazy_exports(__name__, _LAZY)
