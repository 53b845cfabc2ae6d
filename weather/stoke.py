"""The built-in Stoke-on-Trent typical year: deterministic, offline, from published normals.

Sources and assumptions
-----------------------
Climate normals: Met Office historic station data for Shawbury (52.794 N, -2.663 E, 72 m,
about 40 km south-west of Stoke-on-Trent), 1991-2020 monthly means of daily maximum and minimum
temperature [degC] and sunshine [h]. Contains Met Office data (c) Crown copyright, Open
Government Licence v3. Stoke-on-Trent stands about 80 m higher, so temperatures are shifted by
-0.5 degC (a standard lapse rate of about 0.6 degC per 100 m).

Irradiance: pvlib's solar position and Ineichen-Perez clear-sky model (with pvlib's bundled
Linke turbidity climatology). Each month's horizontal irradiation follows the Angstrom-Prescott
relation with the FAO-56 default coefficients, H = H0 (0.25 + 0.50 n/N) (Allen et al. 1998,
FAO Irrigation and Drainage Paper 56, eq. 35), from the sunshine normals n and day length N.
Days are made more or less cloudy than the month's mean by a persistent random series, and
each hour's global irradiance is the day's share of the clear-sky value; dni and dhi follow
from the Erbs-Driesse decomposition.

Temperature: daily means follow the monthly normals, smoothly interpolated, plus a
day-to-day AR(1) anomaly (lag-one correlation 0.75, standard deviation 2.2 +/- 0.5 degC,
largest in winter), plus a link to cloud (clear days warmer in summer, colder in winter).
Each day swings by the month's normal tmax - tmin, wider on clear days, as a cosine peaking at
15:00 local solar time. A smooth correction then makes every month's mean equal the normal
(tmax + tmin) / 2 - 0.5 degC.

Wind (an assumption to check; no normal is given in DOMAIN.md): 10 m speeds from a Weibull
distribution with shape k = 2.0 and a mean of 4.3 m/s, typical of inland English Midlands
stations; the mean is 15 % higher in mid-January and 15 % lower in mid-July, and daytime
speeds are higher than night-time ones by +/- 4 % in winter to +/- 20 % in summer, peaking at
14:00 local solar time. Hours are tied together by an AR(1) series with lag-one correlation
0.96 (about a day's memory), mapped to the Weibull distribution through its quantiles.
"""

from __future__ import annotations

import calendar

import numpy as np
import pandas as pd
import pvlib
import xarray as xr
from scipy.signal import lfilter
from scipy.special import gamma, ndtr

from weather.dataset import (
    TIMEZONE,
    _to_dataset,
    decompose_ghi,
    quiet_dependencies,
    solar_position,
)

LATITUDE = 53.00
LONGITUDE = -2.18
ALTITUDE_M = 150.0
NAME = "Stoke-on-Trent (built-in typical year)"

#: Shawbury 1991-2020 monthly mean daily maximum temperature [degC], January to December.
#: Met Office historic station data, OGL v3 (see module docstring).
SHAWBURY_TMAX_C = np.array([7.5, 8.1, 10.4, 13.2, 16.3, 19.1, 21.1, 20.7, 18.1, 14.2, 10.3, 7.7])
#: Shawbury 1991-2020 monthly mean daily minimum temperature [degC].
SHAWBURY_TMIN_C = np.array([1.2, 1.2, 2.3, 3.9, 6.8, 9.6, 11.5, 11.4, 9.3, 6.6, 3.5, 1.3])
#: Shawbury 1991-2020 monthly mean sunshine [h].
SHAWBURY_SUN_H = np.array([50, 71, 109, 148, 181, 173, 179, 156, 127, 92, 59, 48], dtype=float)
#: Shift from Shawbury (72 m) to Stoke-on-Trent (about 150 m) [degC].
HEIGHT_SHIFT_C = -0.5

#: FAO-56 Angstrom-Prescott coefficients a_s and b_s [-].
ANGSTROM_A = 0.25
ANGSTROM_B = 0.50

SEED = 20300101
CLOUD_PERSISTENCE = 0.5
CLOUD_SPREAD = 0.25
CLEARNESS_MIN = 0.08
TEMP_PERSISTENCE = 0.75
WIND_MEAN_MS = 4.3
WIND_WEIBULL_K = 2.0
WIND_PERSISTENCE = 0.96
WIND_HEIGHT_M = 10.0


def monthly_mean_temperature_c() -> np.ndarray:
    """Target monthly mean air temperature for Stoke-on-Trent [degC], January to December."""
    return (SHAWBURY_TMAX_C + SHAWBURY_TMIN_C) / 2.0 + HEIGHT_SHIFT_C


def _ar1(rng: np.random.Generator, n: int, phi: float) -> np.ndarray:
    """Stationary AR(1) series with unit variance and lag-one correlation ``phi``."""
    shocks = rng.standard_normal(n)
    innovations = shocks * np.sqrt(1.0 - phi**2)
    innovations[0] = shocks[0]
    return lfilter([1.0], [1.0, -phi], innovations)


def _periodic_interp(day_of_year: np.ndarray, monthly: np.ndarray, days_in_year: int
                     ) -> np.ndarray:
    """Interpolate month values, placed mid-month, onto days of the year, wrapping round."""
    year = 2001 if days_in_year == 365 else 2000
    mid = np.array([(pd.Timestamp(year=year, month=m, day=1).day_of_year - 1)
                    + calendar.monthrange(year, m)[1] / 2.0 for m in range(1, 13)])
    return np.interp(day_of_year, mid, monthly, period=days_in_year)


def _day_length_h(day_of_year: np.ndarray, latitude: float) -> np.ndarray:
    """Astronomical day length N [h], FAO-56 eq. 34."""
    declination = pvlib.solarposition.declination_spencer71(day_of_year)
    cos_ws = np.clip(-np.tan(np.radians(latitude)) * np.tan(declination), -1.0, 1.0)
    return 24.0 / np.pi * np.arccos(cos_ws)


def _daily_clearness(clear_daily: np.ndarray, month: np.ndarray, target_monthly: np.ndarray,
                     noise: np.ndarray) -> np.ndarray:
    """Daily share of clear-sky irradiation, matching each month's target exactly."""
    clearness = np.empty_like(clear_daily)
    for m in range(1, 13):
        days = month == m
        low, high = -1.0, 2.0
        for _ in range(60):
            mid = 0.5 * (low + high)
            k = np.clip(mid + CLOUD_SPREAD * noise[days], CLEARNESS_MIN, 1.0)
            if (k * clear_daily[days]).sum() < target_monthly[m - 1]:
                low = mid
            else:
                high = mid
        clearness[days] = np.clip(0.5 * (low + high) + CLOUD_SPREAD * noise[days],
                                  CLEARNESS_MIN, 1.0)
    return clearness


def stoke_typical_year(year: int = 2030) -> xr.Dataset:
    """Generate the built-in Stoke-on-Trent weather year (53.00 N, -2.18 E, 150 m).

    Deterministic: a fixed seed gives the same year on every run and machine with the same
    numpy. See the module docstring for the sources and every assumption.

    Parameters
    ----------
    year : int, default 2030
        Calendar year to label the hours with (leap years get 8,784 hours).

    Returns
    -------
    xarray.Dataset
        A weather year following this package's convention; wind at 10 m.
    """
    n_days = 366 if calendar.isleap(year) else 365
    index = pd.date_range(pd.Timestamp(year=year, month=1, day=1, tz=TIMEZONE),
                          periods=24 * n_days, freq="h", name="time")
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(SEED).spawn(3)]
    cloud_rng, temp_rng, wind_rng = streams

    position = solar_position(index, LATITUDE, LONGITUDE, ALTITUDE_M)
    mid_hour = index + pd.Timedelta(minutes=30)
    with quiet_dependencies():
        location = pvlib.location.Location(LATITUDE, LONGITUDE, altitude=ALTITUDE_M)
        shifted = position.set_axis(mid_hour)
        clear = location.get_clearsky(mid_hour, model="ineichen", solar_position=shifted)
        extra = pvlib.irradiance.get_extra_radiation(mid_hour)
    clear_ghi = clear["ghi"].to_numpy()
    cos_zenith = np.clip(np.cos(np.radians(position["zenith"].to_numpy())), 0.0, None)
    top_of_atmosphere = np.asarray(extra) * cos_zenith

    day = np.repeat(np.arange(n_days), 24)
    day_of_year = np.arange(1, n_days + 1)
    month_of_day = index.month.to_numpy()[::24]

    # Monthly irradiation targets from sunshine (Angstrom-Prescott, FAO-56).
    h0_daily = np.bincount(day, top_of_atmosphere)
    clear_daily = np.bincount(day, clear_ghi)
    day_length = _day_length_h(day_of_year, LATITUDE)
    sun_fraction = SHAWBURY_SUN_H / np.bincount(month_of_day, day_length)[1:]
    h0_monthly = np.bincount(month_of_day, h0_daily)[1:]
    target_monthly = h0_monthly * (ANGSTROM_A + ANGSTROM_B * sun_fraction)
    cloud_noise = _ar1(cloud_rng, n_days, CLOUD_PERSISTENCE)
    clearness = _daily_clearness(clear_daily, month_of_day, target_monthly, cloud_noise)
    ghi = pd.Series(clear_ghi * clearness[day], index=index)
    parts = decompose_ghi(ghi, LATITUDE, LONGITUDE, ALTITUDE_M)

    # Temperature: seasonal normal + persistent daily anomaly + cloud link + diurnal swing.
    season = np.cos(2.0 * np.pi * (day_of_year - 15.0) / n_days)  # +1 mid-January
    mean_normal = _periodic_interp(day_of_year, monthly_mean_temperature_c(), n_days)
    range_normal = _periodic_interp(day_of_year, SHAWBURY_TMAX_C - SHAWBURY_TMIN_C, n_days)
    spread = 2.2 + 0.5 * season
    monthly_clearness = (np.bincount(month_of_day, clearness, minlength=13)[1:] /
                         np.bincount(month_of_day, minlength=13)[1:])[month_of_day - 1]
    cloud_link = -4.0 * season * (clearness - monthly_clearness)
    daily_mean = mean_normal + spread * _ar1(temp_rng, n_days, TEMP_PERSISTENCE) + cloud_link
    swing = 0.5 * range_normal * (0.5 + 0.5 * clearness / monthly_clearness)
    solar_hour = (index.hour.to_numpy() + 0.5 + LONGITUDE / 15.0) % 24.0
    temp = daily_mean[day] + swing[day] * np.cos(2.0 * np.pi * (solar_hour - 15.0) / 24.0)
    temp = _match_monthly_means(temp, index, monthly_mean_temperature_c(), n_days)

    # Wind: Weibull quantiles of a persistent Gaussian series, seasonal and diurnal mean.
    hour_season = np.cos(2.0 * np.pi * (index.day_of_year.to_numpy() - 15.0) / n_days)
    diurnal_amplitude = 0.12 - 0.08 * hour_season
    mean_speed = WIND_MEAN_MS * (1.0 + 0.15 * hour_season) * (
        1.0 + diurnal_amplitude * np.cos(2.0 * np.pi * (solar_hour - 14.0) / 24.0))
    scale = mean_speed / gamma(1.0 + 1.0 / WIND_WEIBULL_K)
    quantile = np.clip(ndtr(_ar1(wind_rng, len(index), WIND_PERSISTENCE)), 0.0, 1.0 - 1e-12)
    wind = scale * (-np.log1p(-quantile)) ** (1.0 / WIND_WEIBULL_K)

    frame = pd.DataFrame({"ghi": ghi.to_numpy(), "dni": parts["dni"].to_numpy(),
                          "dhi": parts["dhi"].to_numpy(), "temp_air": temp,
                          "wind_speed": wind}, index=index)
    return _to_dataset(
        frame,
        latitude=LATITUDE,
        longitude=LONGITUDE,
        altitude=ALTITUDE_M,
        name=NAME,
        source=("generated by weather.stoke_typical_year from Met Office Shawbury 1991-2020 "
                "normals (OGL v3), pvlib clear sky, FAO-56 Angstrom-Prescott; "
                f"seed {SEED}; wind Weibull k={WIND_WEIBULL_K}, mean {WIND_MEAN_MS} m/s "
                "(assumption)"),
        wind_height_m=WIND_HEIGHT_M,
    )


def _match_monthly_means(temp: np.ndarray, index: pd.DatetimeIndex, target: np.ndarray,
                         n_days: int) -> np.ndarray:
    """Add a smooth seasonal correction until every month's mean equals its target."""
    month = index.month.to_numpy()
    day_of_year = index.day_of_year.to_numpy() + index.hour.to_numpy() / 24.0
    counts = np.bincount(month)[1:]
    correction_knots = np.zeros(12)
    corrected = temp
    for _ in range(50):
        corrected = temp + _periodic_interp(day_of_year, correction_knots, n_days)
        error = target - np.bincount(month, corrected)[1:] / counts
        if np.abs(error).max() < 1e-3:
            break
        correction_knots = correction_knots + error
    return corrected
