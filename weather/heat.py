"""Heat: heat-pump COP, ground temperature and the hourly heat-demand shape.

Sources
-------
Ruhnau, O., Hirth, L. and Praktiknjo, A. (2019), "Time series of heat demand and heat pump
efficiency for energy system modeling", Scientific Data 6:189 (When2Heat; data MIT licence):

* COP fits COP = c0 + c1 dT + c2 dT^2 on manufacturer data, dT = sink - source [K];
* the GB daily-mean heating threshold, 14.18 degC;
* the BDEW/BGW standard-load-profile parameters for daily heat demand against temperature and
  the hourly shares of a day's demand by temperature class, carried over into
  ``weather/data/`` (see its README). The method itself is BDEW/VKU/GEODE, "Abwicklung von
  Standardlastprofilen Gas" (2011), after Hellwig (2003), TU Munich.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Literal, TypeVar

import numpy as np
import pandas as pd
import xarray as xr

from weather.dataset import time_index
from weather.holidays import england_bank_holidays

#: When2Heat COP fits (c0, c1, c2) per heat source, dT = sink - source [K].
COP_COEFFICIENTS: dict[str, tuple[float, float, float]] = {
    "air": (6.08, -0.0941, 0.000464),
    "ground": (10.29, -0.2084, 0.001322),
    "water": (9.99, -0.2049, 0.001249),
}

#: Smallest temperature lift used in the COP fits [K]: the manufacturer data behind them do
#: not go lower, and smaller lifts would give unrealistically high COPs (our assumption).
MIN_LIFT_K = 15.0

#: Daily-mean heating threshold for Great Britain [degC] (When2Heat): no space heating above.
GB_HEATING_THRESHOLD_C = 14.18

#: Share of domestic heat that is hot water [fraction]: GB boiler monitoring study, Energies
#: 17(19) 4884 (2024), about 88 % space heating and 12 % hot water (see DOMAIN.md).
DOMESTIC_HOT_WATER_SHARE = 0.12

#: Mix of BDEW building types standing for homes: about four in five English dwellings are
#: houses or bungalows and one in five flats (English Housing Survey; our rounding).
DOMESTIC_MIX = {"SFH": 0.8, "MFH": 0.2}

#: Weights of today and the three days before in the BDEW reference temperature.
REFERENCE_WEIGHTS = np.array([1.0, 0.5, 0.25, 0.125])

#: Temperature classes of the BDEW hourly factors [degC].
HOURLY_CLASSES_C = np.arange(-15.0, 31.0, 5.0)

#: Soil thermal diffusivity for the ground temperature model [m2/day] (moist soil, about
#: 5.8e-7 m2/s).
SOIL_DIFFUSIVITY_M2_PER_DAY = 0.05

ArrayLike = TypeVar("ArrayLike", float, np.ndarray, pd.Series)


def heat_pump_cop(
    source_temp_c: ArrayLike,
    sink_temp_c: ArrayLike | float,
    source: Literal["air", "ground", "water"] = "air",
    correction_factor: float = 0.85,
) -> ArrayLike:
    """Coefficient of performance of a heat pump from source and sink temperatures.

    ``COP = correction_factor * (c0 + c1 dT + c2 dT^2)`` with the When2Heat fits
    (:data:`COP_COEFFICIENTS`) and ``dT = sink - source``, held at no less than
    :data:`MIN_LIFT_K`. The correction factor (When2Heat uses 0.85) takes the fits from
    manufacturers' test conditions to field performance. Use ``"water"`` for water and
    waste-heat sources (mine water, data-centre heat) at their own temperature.

    Parameters
    ----------
    source_temp_c : float, numpy.ndarray or pandas.Series
        Heat-source temperature [degC] (outdoor air, ground, water).
    sink_temp_c : float, numpy.ndarray or pandas.Series
        Supply (sink) temperature [degC], e.g. 45 for radiators, 70-80 for a heat network.
    source : {"air", "ground", "water"}, default "air"
    correction_factor : float, default 0.85
        [-].

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        COP [-], the same type (and index) as ``source_temp_c``.
    """
    if source not in COP_COEFFICIENTS:
        raise ValueError(f"source must be one of {sorted(COP_COEFFICIENTS)}, not {source!r}")
    c0, c1, c2 = COP_COEFFICIENTS[source]
    # The fits are quadratics with their minimum near dT = -c1 / (2 c2) (80-100 K); beyond it
    # they would rise again, so the lift is held there.
    max_lift = -c1 / (2.0 * c2)
    lift = np.clip(np.asarray(sink_temp_c, dtype=float) - np.asarray(source_temp_c, dtype=float),
                   MIN_LIFT_K, max_lift)
    cop = correction_factor * (c0 + c1 * lift + c2 * lift**2)
    if isinstance(source_temp_c, pd.Series):
        return pd.Series(np.broadcast_to(cop, source_temp_c.shape).copy(),
                         index=source_temp_c.index, name="cop")
    if isinstance(sink_temp_c, pd.Series):
        return pd.Series(np.broadcast_to(cop, sink_temp_c.shape).copy(),
                         index=sink_temp_c.index, name="cop")
    if np.ndim(cop) == 0 and not isinstance(source_temp_c, np.ndarray):
        return float(cop)
    return cop


def ground_temperature_c(weather: xr.Dataset, depth_m: float = 1.5) -> pd.Series:
    """Undisturbed ground temperature at a depth, from the year's air temperature.

    Kusuda and Achenbach (1965): the annual surface wave, fitted to the daily mean air
    temperature by least squares (mean, amplitude, phase), damped by
    ``exp(-depth * sqrt(pi / (365 alpha)))`` and delayed by the same factor in radians, with
    soil diffusivity ``alpha`` = :data:`SOIL_DIFFUSIVITY_M2_PER_DAY`. Use it as the source
    temperature for ground-source heat pumps (horizontal collectors at 1-2 m); for deep
    boreholes the annual mean is the better figure.

    Parameters
    ----------
    weather : xarray.Dataset
        A weather year.
    depth_m : float, default 1.5
        [m].

    Returns
    -------
    pandas.Series
        Ground temperature [degC] on the weather's UTC index.
    """
    index = time_index(weather)
    temp = np.asarray(weather["temp_air"].values, dtype=float)
    days = (index - index[0]) / pd.Timedelta(days=1)
    angle = 2.0 * np.pi * np.asarray(days) / 365.25
    design = np.column_stack([np.ones_like(angle), np.cos(angle), np.sin(angle)])
    (mean, a, b), *_ = np.linalg.lstsq(design, temp, rcond=None)
    damping = depth_m * np.sqrt(np.pi / (365.25 * SOIL_DIFFUSIVITY_M2_PER_DAY))
    amplitude = np.hypot(a, b) * np.exp(-damping)
    phase = np.arctan2(b, a)
    ground = mean + amplitude * np.cos(angle - phase - damping)
    return pd.Series(ground, index=index, name="ground_temperature_c")


@functools.lru_cache(maxsize=1)
def _bdew_tables() -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    data = resources.files("weather") / "data"
    with (data / "bdew_daily_heat_parameters.csv").open("r", encoding="utf-8") as handle:
        daily = pd.read_csv(handle, index_col="building_type")
    with (data / "bdew_hourly_heat_factors.csv").open("r", encoding="utf-8") as handle:
        hourly = pd.read_csv(handle)
    factors = {}
    for building, table in hourly.groupby("building_type"):
        table = table.sort_values(["weekday", "hour"])
        values = table[[f"{c:g}" for c in HOURLY_CLASSES_C]].to_numpy(dtype=float)
        factors[str(building)] = values.reshape(7, 24, len(HOURLY_CLASSES_C))
    return daily, factors


def bdew_daily_heat(temp_ref_c: np.ndarray, building_type: str) -> tuple[np.ndarray, np.ndarray]:
    """BDEW daily heat factors for space heating and hot water.

    Total: ``A / (1 + (B / (T - 40))^C) + D + max(m_s T + b_s, m_w T + b_w)``. Hot water is the
    linear warm-weather part ``m_w T + b_w`` (for single-family houses, When2Heat's separate
    ``SFH_water`` line); space heating is the rest, and nothing above the GB heating threshold.

    Parameters
    ----------
    temp_ref_c : numpy.ndarray
        BDEW reference (weighted four-day mean) temperature [degC].
    building_type : {"SFH", "MFH", "COM"}

    Returns
    -------
    space, water : numpy.ndarray
        Daily factors [relative to an average day].
    """
    daily, _ = _bdew_tables()
    p = daily.loc[building_type]
    t = np.asarray(temp_ref_c, dtype=float)
    sigmoid = p.A / (1.0 + (p.B / (t - 40.0)) ** p.C) + p.D
    total = sigmoid + np.maximum(p.m_s * t + p.b_s, p.m_w * t + p.b_w)
    water_p = daily.loc["SFH_water"] if building_type == "SFH" else p
    water = np.clip(water_p.m_w * t + water_p.b_w, 0.0, None)
    space = np.clip(total - water, 0.0, None)
    space[t > GB_HEATING_THRESHOLD_C] = 0.0
    return space, water


def _hourly_factors(building_type: str, weekday: np.ndarray, hour: np.ndarray,
                    day_temp_c: np.ndarray) -> np.ndarray:
    """BDEW hourly share, interpolated linearly between the 5-K temperature classes."""
    _, factors = _bdew_tables()
    table = factors[building_type]
    position = np.clip((day_temp_c - HOURLY_CLASSES_C[0]) / 5.0, 0.0,
                       len(HOURLY_CLASSES_C) - 1.0)
    low = np.floor(position).astype(int)
    high = np.minimum(low + 1, len(HOURLY_CLASSES_C) - 1)
    weight = position - low
    return table[weekday, hour, low] * (1.0 - weight) + table[weekday, hour, high] * weight


def heat_demand_profile(
    weather: xr.Dataset,
    annual_mwh: float,
    building: Literal["domestic", "non_domestic"] = "domestic",
    *,
    hot_water_share: float | None = None,
    timezone: str = "Europe/London",
) -> pd.Series:
    """Hourly heat demand (space heating plus hot water) scaled to an annual total.

    BDEW standard-load-profile method as When2Heat applies it: each local day's mean air
    temperature and its weighted four-day reference temperature (today, yesterday ... with
    weights 1, 1/2, 1/4, 1/8; the year wraps round for the first days) give the day's space
    heating and hot water (:func:`bdew_daily_heat`), shared out over the hours with the BDEW
    hourly factors for the day's temperature class (interpolated between classes) and, for
    non-domestic buildings, weekday (bank holidays count as Sundays). Hot water takes the same
    hourly shape. Homes are a mix of single- and multi-family houses
    (:data:`DOMESTIC_MIX`); non-domestic buildings use BDEW's commercial type.

    Parameters
    ----------
    weather : xarray.Dataset
        A weather year (a whole year, hourly).
    annual_mwh : float
        Heat demand over the whole index [MWh].
    building : {"domestic", "non_domestic"}, default "domestic"
    hot_water_share : float, optional
        Hot water's share of the annual total [fraction]. Default: 0.12 for homes
        (:data:`DOMESTIC_HOT_WATER_SHARE`); the BDEW split for non-domestic buildings.
    timezone : str, default "Europe/London"
        Local time for days and hours of the shape.

    Returns
    -------
    pandas.Series
        Heat demand [MW, i.e. MWh per hour] on the weather's UTC index; sums to
        ``annual_mwh``.
    """
    if building not in ("domestic", "non_domestic"):
        raise ValueError(f"building must be 'domestic' or 'non_domestic', not {building!r}")
    if hot_water_share is None and building == "domestic":
        hot_water_share = DOMESTIC_HOT_WATER_SHARE
    index = time_index(weather)
    local = index.tz_convert(timezone)
    local_dates = local.tz_localize(None).normalize()
    codes, days = pd.factorize(local_dates, sort=True)
    temp = np.asarray(weather["temp_air"].values, dtype=float)
    day_temp = np.bincount(codes, temp) / np.bincount(codes)
    reference = sum(w * np.roll(day_temp, lag) for lag, w in enumerate(REFERENCE_WEIGHTS))
    reference = reference / REFERENCE_WEIGHTS.sum()
    days = pd.DatetimeIndex(days)
    holidays = england_bank_holidays(sorted(set(days.year)))
    weekday = np.where(np.isin(days.date, list(holidays)), 6, days.day_of_week)
    mix = DOMESTIC_MIX if building == "domestic" else {"COM": 1.0}
    hour = local.hour.to_numpy()
    space = np.zeros(len(index))
    water = np.zeros(len(index))
    for building_type, weight in mix.items():
        daily_space, daily_water = bdew_daily_heat(reference, building_type)
        shape = _hourly_factors(building_type, weekday[codes], hour, day_temp[codes])
        type_space = daily_space[codes] * shape
        type_water = daily_water[codes] * shape
        type_total = type_space.sum() + type_water.sum()
        space += weight * type_space / type_total
        water += weight * type_water / type_total
    if hot_water_share is not None:
        if not 0.0 <= hot_water_share <= 1.0:
            raise ValueError(f"hot_water_share must be in [0, 1], not {hot_water_share}")
        space = space / space.sum() * (1.0 - hot_water_share) if space.sum() > 0 else space
        water = water / water.sum() * hot_water_share
    total = space + water
    return pd.Series(total / total.sum() * annual_mwh, index=index, name="heat_demand_mw")
