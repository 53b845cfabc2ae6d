"""Small systems that can be solved by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd

from energy_model.build import build_model
from energy_model.inputs import ModelInputs
from energy_model.scenario import deep_merge, scenario_from_dict
from energy_model.solve import solve_model

BASE = {
    "name": "tiny",
    "finance": {"discount_rate": 0.0},
    "grid": {"import_price_gbp_per_mwh": 100.0},
    "zones": {"A": {"households": 0, "domestic_electricity_mwh_per_year": 8760,
                    "domestic_heat_mwh_per_year": 0}},
    "technologies": {},
}


def make_scenario(**overrides):
    """A tiny scenario: one zone, grid at 100 GBP/MWh, no technologies unless given."""
    return scenario_from_dict(deep_merge(BASE, overrides))


def make_inputs(n: int, *, step_hours: float = 1.0, year_weight: float | None = None,
                cf=None, load=1.0, heat=0.0, cop=None, price=100.0, export_price=0.0,
                co2=0.0, data_centre=None) -> ModelInputs:
    """Inputs for ``n`` steps; scalars are broadcast, lists taken as given."""

    def arr(x):
        return np.broadcast_to(np.asarray(x, dtype=float), (n,)).copy()

    heat_arr = arr(heat)
    return ModelInputs(
        time=pd.date_range("2030-01-01", periods=n, freq=f"{int(step_hours)}h", tz="UTC"),
        step_hours=step_hours,
        year_weight=year_weight if year_weight is not None else 8760.0 / (n * step_hours),
        capacity_factor={k: arr(v) for k, v in (cf or {}).items()},
        electricity_demand_mw={"A": arr(load)},
        heat_demand_mw={"A": heat_arr},
        heat_peak_mw={"A": float(heat_arr.max())},
        cop={k: arr(v) for k, v in (cop or {}).items()},
        import_price_gbp_per_mwh=arr(price),
        export_price_gbp_per_mwh=arr(export_price),
        grid_co2_t_per_mwh=arr(co2),
        data_centre_mw=None if data_centre is None else arr(data_centre),
    )


def solve(scenario, inputs):
    """Build and solve; return (model, solution)."""
    m = build_model(scenario, inputs)
    return m, solve_model(m)
