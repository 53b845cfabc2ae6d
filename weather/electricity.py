"""Hourly electricity demand shapes from the BDEW 2025 standard load profiles (demandlib)."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
import xarray as xr
from demandlib.bdew import G25, H25

from weather.dataset import quiet_dependencies, time_index
from weather.holidays import england_bank_holidays

#: Standard load profile per sector: BDEW (2025), "Standardlastprofile Strom", H25 for
#: households (with BDEW's seasonal dynamisation polynomial) and G25 for businesses, as
#: shipped by demandlib (MIT).
SECTOR_PROFILES = {"domestic": H25, "non_domestic": G25}


def electricity_demand_profile(
    weather_or_index: xr.Dataset | pd.DatetimeIndex,
    annual_mwh: float,
    sector: Literal["domestic", "non_domestic"] = "domestic",
    *,
    timezone: str = "Europe/London",
) -> pd.Series:
    """Hourly electricity demand following a standard load profile, scaled to an annual total.

    The BDEW 2025 profiles give quarter-hourly load by month and day type (working day,
    Saturday, Sunday or holiday); demandlib averages them to hours. They are evaluated on the
    local clock (``timezone``, default UK time, with England and Wales bank holidays as
    holidays) and then placed on the UTC index, so the evening peak stays at local teatime
    through summer time. German profiles stand in for British ones: no GB standard profile is
    shipped with an open licence (Elexon's profile classes are not).

    Parameters
    ----------
    weather_or_index : xarray.Dataset or pandas.DatetimeIndex
        A weather year or a timezone-aware hourly index.
    annual_mwh : float
        Demand over the whole index [MWh] (Ofgem's typical home uses 2.7 MWh a year).
    sector : {"domestic", "non_domestic"}, default "domestic"
    timezone : str, default "Europe/London"

    Returns
    -------
    pandas.Series
        Demand [MW, i.e. MWh per hour] on the UTC index; sums to ``annual_mwh``.
    """
    if sector not in SECTOR_PROFILES:
        raise ValueError(f"sector must be one of {sorted(SECTOR_PROFILES)}, not {sector!r}")
    index = time_index(weather_or_index)
    wall = index.tz_convert(timezone).tz_localize(None)
    start = wall.min().normalize()
    end = wall.max().normalize() + pd.Timedelta(hours=23)
    grid = pd.date_range(start, end, freq="h")
    holidays = england_bank_holidays(sorted(set(grid.year)))
    with quiet_dependencies():
        profile = SECTOR_PROFILES[sector](grid, holidays=holidays)
    values = pd.Series(np.asarray(profile, dtype=float), index=grid).reindex(wall).to_numpy()
    return pd.Series(values / values.sum() * annual_mwh, index=index,
                     name="electricity_demand_mw")
