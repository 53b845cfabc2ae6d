"""Wind turbine output per unit of rated power, with windpowerlib's power curves."""

from __future__ import annotations

import functools
import warnings

import numpy as np
import pandas as pd
import xarray as xr
from windpowerlib import WindTurbine
from windpowerlib.wind_speed import logarithmic_profile

from weather.dataset import quiet_dependencies, time_index
from weather.errors import WeatherError


@functools.lru_cache(maxsize=16)
def turbine_power_curve(turbine_type: str = "E-126/4200") -> tuple[np.ndarray, np.ndarray]:
    """Power curve of a turbine in windpowerlib's bundled library (OpenEnergy Database).

    Parameters
    ----------
    turbine_type : str
        windpowerlib name, e.g. ``"E-126/4200"`` or ``"V126/3300"``
        (``windpowerlib.get_turbine_types(print_out=False)`` lists them).

    Returns
    -------
    wind_speed : numpy.ndarray
        Hub-height wind speeds [m/s], ascending.
    power : numpy.ndarray
        Output at each speed [fraction of rated power].

    Raises
    ------
    ValueError
        If windpowerlib has no power curve for that name.
    """
    try:
        with quiet_dependencies(), warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            turbine = WindTurbine(hub_height=100.0, turbine_type=turbine_type)
    except (KeyError, ValueError) as err:
        raise WeatherError(
            f"windpowerlib has no turbine {turbine_type!r}; list the names with "
            "windpowerlib.get_turbine_types(print_out=False)"
        ) from err
    curve = getattr(turbine, "power_curve", None)
    if curve is None or not turbine.nominal_power:
        raise WeatherError(
            f"windpowerlib has no power curve for {turbine_type!r}; list the names with "
            "windpowerlib.get_turbine_types(print_out=False)"
        )
    curve = curve.sort_values("wind_speed")
    speeds = curve["wind_speed"].to_numpy(dtype=float)
    power = np.clip(curve["value"].to_numpy(dtype=float) / float(turbine.nominal_power), 0, 1)
    speeds.flags.writeable = False
    power.flags.writeable = False
    return speeds, power


def wind_capacity_factor(
    weather: xr.Dataset,
    hub_height_m: float = 100.0,
    turbine_type: str = "E-126/4200",
    roughness_length_m: float = 0.1,
) -> pd.Series:
    """Hourly turbine output per unit of rated power.

    The measured wind speed (at ``wind_speed.attrs["height_m"]``) is carried to hub height
    with the logarithmic profile for neutral stability (windpowerlib's
    ``logarithmic_profile``), then read off the turbine's power curve by linear
    interpolation. Output is zero below cut-in (the last speed of zero power before the
    curve rises) and above cut-out (the highest speed the curve gives). No air-density
    correction, wake or availability loss is applied.

    Parameters
    ----------
    weather : xarray.Dataset
        A weather year (see :mod:`weather.dataset`).
    hub_height_m : float, default 100
        [m].
    turbine_type : str, default "E-126/4200"
        windpowerlib turbine name (see :func:`turbine_power_curve`).
    roughness_length_m : float, default 0.1
        Surface roughness length [m]; 0.1 suits farmland with hedges, 0.5-1 suburbs.

    Returns
    -------
    pandas.Series
        Capacity factor [MW per MW rated], in [0, 1], on the weather's UTC index.
    """
    index = time_index(weather)
    measured = np.asarray(weather["wind_speed"].values, dtype=float)
    height = float(weather["wind_speed"].attrs.get("height_m", 10.0))
    hub_speed = np.asarray(logarithmic_profile(measured, height, hub_height_m,
                                               roughness_length_m), dtype=float)
    speeds, power = turbine_power_curve(turbine_type)
    cf = np.interp(hub_speed, speeds, power, left=0.0, right=0.0)
    producing = np.flatnonzero(power > 0.0)
    cut_in = speeds[producing[0] - 1] if producing[0] > 0 else speeds[0]
    cf[(hub_speed <= cut_in) | (hub_speed > speeds[-1])] = 0.0
    return pd.Series(np.clip(cf, 0.0, 1.0), index=index, name="wind_capacity_factor")
