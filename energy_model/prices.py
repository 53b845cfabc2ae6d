"""What a MWh bought from or sold to the grid is worth to the system, hour by hour.

The system view prices grid electricity in parts (``grid`` section of a scenario):

- the **energy value** :math:`v_t`: an annual mean :math:`\\bar v`
  (``energy_value_gbp_per_mwh``, for Stoke the Green Book long-run variable cost) with an
  hourly shape :math:`\\sigma_t` of mean 1, :math:`v_t = \\bar v \\sigma_t`;
- the **distribution charge** :math:`d_t` that load at that hour causes: the time-band
  unit rate (red, amber or green, in local time, by half-hour) of ``grid.distribution``;
- **import** costs :math:`p^{imp}_t = v_t + d_t`; **export** earns
  :math:`p^{exp}_t = \\max(v_t - m, 0)`, with :math:`m` the spill margin.

The built-in shape (``energy_value_shape: residual_load``) follows national residual
load, the demand that thermal plant must meet once wind and solar have run, which sets
the marginal plant and so the price:

.. math::

    r_t = \\max\\big(\\delta_t - a \\, \\omega_t - b \\, s_t,\\; f\\big), \\qquad
    \\sigma_t = r_t / \\overline{r}

where :math:`\\delta_t`, :math:`\\omega_t` and :math:`s_t` are the weather year's
electricity demand, wind and solar profiles, each scaled to a mean of 1, :math:`a` and
:math:`b` the national shares of demand met by wind and solar, and :math:`f` a floor (a
fraction of mean demand) standing for must-run plant, storage and exports that keep the
price above zero. The shape is a transparent proxy for a price scenario, reproducible
from the weather year alone; a CSV (``timeseries.energy_value_gbp_per_mwh``) replaces it,
scaled to the same annual mean.

Nothing here imports Pyomo: the model reads the columns this module makes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

import weather as wx
from energy_model.scenario import DistributionBands, Grid, Scenario


def residual_load_shape(weather: xr.Dataset, wind_share: float, solar_share: float,
                        floor_fraction: float = 0.1) -> np.ndarray:
    """Hourly shape of the energy value from national residual load, mean 1 [-].

    Parameters
    ----------
    weather : xarray.Dataset
        A weather year from the ``weather`` package.
    wind_share, solar_share : float
        Shares of annual national demand met by wind and by solar [-].
    floor_fraction : float
        Lowest residual load, as a fraction of mean demand [-].

    Returns
    -------
    numpy.ndarray
        One value per hour, time-weighted mean exactly 1.
    """
    demand = (wx.electricity_demand_profile(weather, 1.0, sector="domestic").to_numpy()
              + wx.electricity_demand_profile(weather, 1.0, sector="non_domestic").to_numpy())
    wind = np.asarray(wx.wind_capacity_factor(weather), dtype=float)
    solar = np.asarray(wx.pv_capacity_factor(weather), dtype=float)
    residual = (_unit_mean(demand) - wind_share * _unit_mean(wind)
                - solar_share * _unit_mean(solar))
    residual = np.maximum(residual, floor_fraction)
    return residual / residual.mean()


def _unit_mean(x: np.ndarray) -> np.ndarray:
    mean = float(np.mean(x))
    return x / mean if mean > 0 else np.zeros_like(x)


def distribution_band(index: pd.DatetimeIndex, bands: DistributionBands) -> np.ndarray:
    """The distribution time band of each hour: ``"red"``, ``"amber"`` or ``"green"``.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Timezone-aware start of each hour.
    bands : DistributionBands
        Spans in local time (``bands.timezone``) on weekdays (every day if
        ``weekdays_only`` is false).
    """
    local = index.tz_convert(bands.timezone)
    hour = local.hour + local.minute / 60.0
    active = np.ones(len(index), dtype=bool) if not bands.weekdays_only \
        else np.asarray(local.dayofweek < 5)
    out = np.full(len(index), "green", dtype=object)
    for name, spans in (("amber", bands.amber_hours), ("red", bands.red_hours)):
        for start, end in spans:
            out[active & (hour >= start) & (hour < end)] = name
    return out


def distribution_charge(index: pd.DatetimeIndex, bands: DistributionBands) -> np.ndarray:
    """The distribution unit rate of each hour starting at ``index`` [GBP/MWh]: the mean
    of its two half-hours' rates (07:00-08:00 is half green, half amber)."""
    rate = {"red": bands.red_gbp_per_mwh, "amber": bands.amber_gbp_per_mwh,
            "green": bands.green_gbp_per_mwh}
    halves = [distribution_band(index + pd.Timedelta(minutes=m), bands) for m in (0, 30)]
    return np.array([(rate[a] + rate[b]) / 2 for a, b in zip(*halves, strict=True)],
                    dtype=float)


def grid_columns(scenario: Scenario, weather: xr.Dataset, index: pd.DatetimeIndex
                 ) -> dict[str, np.ndarray]:
    """The grid's hourly columns before a user's CSVs replace any of them.

    Flat grid: ``import_price_gbp_per_mwh``, ``export_price_gbp_per_mwh``. Grid in parts:
    ``energy_value_gbp_per_mwh`` and ``distribution_gbp_per_mwh`` (import and export follow
    in :func:`import_export`). Both: ``grid_co2_t_per_mwh`` (average, footprint) and
    ``grid_marginal_co2_t_per_mwh`` (valuing a change).
    """
    g = scenario.grid
    n = len(index)
    cols = {"grid_co2_t_per_mwh": np.full(n, g.co2_t_per_mwh),
            "grid_marginal_co2_t_per_mwh": np.full(n, g.marginal_co2)}
    if g.energy_value_gbp_per_mwh is None:
        cols["import_price_gbp_per_mwh"] = np.full(n, g.import_price_gbp_per_mwh)
        cols["export_price_gbp_per_mwh"] = np.full(n, g.export_price_gbp_per_mwh or 0.0)
        return cols
    if g.energy_value_shape == "residual_load":
        shape = residual_load_shape(weather, g.residual_load.wind_share_of_demand,
                                    g.residual_load.solar_share_of_demand,
                                    g.residual_load.floor_fraction_of_mean)
    else:
        shape = np.ones(n)
    cols["energy_value_gbp_per_mwh"] = g.energy_value_gbp_per_mwh * shape
    cols["distribution_gbp_per_mwh"] = (distribution_charge(index, g.distribution)
                                        if g.distribution is not None else np.zeros(n))
    return cols


def import_export(frame: pd.DataFrame, grid: Grid, replaced: set[str]) -> pd.DataFrame:
    """Add import and export prices to the hourly table of a grid given in parts.

    A CSV's energy value is a shape: it is scaled to the scenario's annual mean. Import or
    export prices that a CSV gives directly (``replaced``) are kept as given.
    """
    if grid.energy_value_gbp_per_mwh is None:
        return frame
    out = frame.copy()
    value = out["energy_value_gbp_per_mwh"].to_numpy()
    if "energy_value_gbp_per_mwh" in replaced:
        mean = float(value.mean())
        value = value * (grid.energy_value_gbp_per_mwh / mean) if mean > 0 else value
        out["energy_value_gbp_per_mwh"] = value
    if "import_price_gbp_per_mwh" not in replaced:
        out["import_price_gbp_per_mwh"] = value + out["distribution_gbp_per_mwh"].to_numpy()
    if "export_price_gbp_per_mwh" not in replaced:
        out["export_price_gbp_per_mwh"] = np.maximum(value - grid.spill_margin_gbp_per_mwh,
                                                     0.0)
    return out
