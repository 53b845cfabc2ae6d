"""The weather-year Dataset convention, its time index and the checks every reader shares.

Convention
----------
A weather year is an :class:`xarray.Dataset` with one dimension, ``time``, at hourly steps.

* ``time`` holds UTC instants as ``datetime64`` without a zone, and both the Dataset and the
  coordinate carry ``attrs["timezone"] = "UTC"``. xarray can hold a timezone-aware coordinate
  only as Python objects, which NetCDF cannot store, so the zone lives in the attributes and
  :func:`time_index` turns it back into a timezone-aware :class:`pandas.DatetimeIndex`. Every
  consumer takes its index from :func:`time_index`, never from ``ds.time`` directly.
* Each stamp labels the start of its hour: values describe the interval ``[t, t + 1 h)``.
  Solar geometry is therefore evaluated at ``t + 30 min``.
* Variables, with pvlib's names: ``ghi``, ``dni``, ``dhi`` [W/m2], ``temp_air`` [degC],
  ``wind_speed`` [m/s] (its ``height_m`` attribute is the measurement height above ground).
* Dataset attributes: ``latitude`` [deg N], ``longitude`` [deg E], ``altitude`` [m], ``name``,
  ``source``, ``timezone``, ``time_label`` and ``filled_gaps`` (what the reader interpolated,
  empty when nothing was).
"""

from __future__ import annotations

import calendar
import contextlib
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
import xarray as xr

from weather.errors import WeatherError, WeatherWarning

TIMEZONE = "UTC"
TIME_LABEL = "start of hour: each value describes the interval [t, t + 1 h)"

#: Units of each variable, in the order the Dataset holds them.
UNITS: dict[str, str] = {
    "ghi": "W/m2",
    "dni": "W/m2",
    "dhi": "W/m2",
    "temp_air": "degC",
    "wind_speed": "m/s",
}

LONG_NAMES: dict[str, str] = {
    "ghi": "global horizontal irradiance",
    "dni": "direct normal irradiance",
    "dhi": "diffuse horizontal irradiance",
    "temp_air": "air temperature at 2 m",
    "wind_speed": "wind speed",
}

#: Physical limits [unit of the variable]; values outside are refused. Irradiance cannot be
#: negative and stays below about 1,400 W/m2 even under cloud enhancement (the solar constant
#: is 1,361 W/m2); air temperatures outside -90..60 degC have never been observed.
LIMITS: dict[str, tuple[float, float]] = {
    "ghi": (0.0, 1400.0),
    "dni": (0.0, 1400.0),
    "dhi": (0.0, 1400.0),
    "temp_air": (-90.0, 60.0),
    "wind_speed": (0.0, 75.0),
}

#: Longest run of missing values [h] that readers interpolate (and report).
MAX_GAP_HOURS = 3

REQUIRED = ("ghi", "temp_air", "wind_speed")


@contextlib.contextmanager
def quiet_dependencies() -> Iterator[None]:
    """Silence deprecation chatter that pvlib and windpowerlib emit under pandas 3."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pd.errors.Pandas4Warning)
        warnings.simplefilter("ignore", FutureWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


def time_index(weather: xr.Dataset | pd.DatetimeIndex | pd.Series) -> pd.DatetimeIndex:
    """Timezone-aware UTC index of a weather Dataset (or of an index or Series).

    Parameters
    ----------
    weather : xarray.Dataset, pandas.DatetimeIndex or pandas.Series
        A Dataset following this package's convention, or an index (or Series) that is already
        timezone-aware.

    Returns
    -------
    pandas.DatetimeIndex
        The hourly stamps, timezone UTC, named ``time``.

    Raises
    ------
    WeatherError
        If the stamps carry no timezone and the Dataset does not declare ``timezone = "UTC"``.
    """
    if isinstance(weather, xr.Dataset):
        index = weather.indexes["time"]
        if not isinstance(index, pd.DatetimeIndex):
            raise WeatherError("the Dataset's time coordinate does not hold datetimes")
        if index.tz is None:
            zone = weather.attrs.get("timezone", weather["time"].attrs.get("timezone"))
            if zone != TIMEZONE:
                raise WeatherError(
                    "the Dataset's time coordinate has no timezone and attrs['timezone'] is "
                    f"{zone!r}; build weather Datasets with weather.read_weather or "
                    "weather.weather_from_frame so the time is stored as UTC"
                )
            index = index.tz_localize(TIMEZONE)
        return pd.DatetimeIndex(index.tz_convert(TIMEZONE), name="time")
    if isinstance(weather, pd.Series):
        weather = weather.index
    if not isinstance(weather, pd.DatetimeIndex) or weather.tz is None:
        raise WeatherError(
            "expected a timezone-aware DatetimeIndex; localise it first, for example "
            "index.tz_localize('UTC')"
        )
    return pd.DatetimeIndex(weather.tz_convert(TIMEZONE), name="time")


def solar_position(index: pd.DatetimeIndex, latitude: float, longitude: float,
                   altitude: float = 0.0) -> pd.DataFrame:
    """Sun position at the middle of each hour, indexed by the hour's start.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Timezone-aware hour starts.
    latitude, longitude : float
        Site [deg N, deg E].
    altitude : float, default 0
        Site height [m].

    Returns
    -------
    pandas.DataFrame
        pvlib's columns (``apparent_zenith``, ``zenith``, ``azimuth``, ``elevation`` ... [deg]).
    """
    with quiet_dependencies():
        position = pvlib.solarposition.get_solarposition(
            index + pd.Timedelta(minutes=30), latitude, longitude, altitude=altitude
        )
    position.index = index
    return position


def describe_stamps(stamps: Sequence[pd.Timestamp] | pd.DatetimeIndex, limit: int = 3) -> str:
    """Format the first few timestamps of a list for an error message."""
    stamps = list(stamps)
    shown = ", ".join(pd.Timestamp(t).isoformat() for t in stamps[:limit])
    more = f" and {len(stamps) - limit} more" if len(stamps) > limit else ""
    return shown + more


def _column_label(column: str, source_columns: dict[str, str]) -> str:
    original = source_columns.get(column, column)
    return f"column '{column}'" + (f" (file column '{original}')" if original != column else "")


def _hours_in_year(year: int) -> int:
    return (366 if calendar.isleap(year) else 365) * 24


def _check_index(index: pd.Index, where: str) -> pd.DatetimeIndex:
    """Refuse indexes that are not timezone-aware, hourly-on-the-hour and free of duplicates."""
    if not isinstance(index, pd.DatetimeIndex):
        raise WeatherError(f"{where}: the time column could not be read as timestamps")
    if index.tz is None:
        raise WeatherError(
            f"{where}: column 'time' has naive timestamps (no timezone), first "
            f"{describe_stamps(index)}; write them with a UTC offset such as "
            "'2030-01-01T00:00+00:00', or state the zone when reading (timezone='UTC')"
        )
    if index.hasnans:
        raise WeatherError(f"{where}: column 'time' has empty or unreadable timestamps")
    duplicated = index[index.duplicated(keep="first")]
    if len(duplicated):
        raise WeatherError(
            f"{where}: column 'time' repeats timestamps, first {describe_stamps(duplicated)}; "
            "each hour must appear once"
        )
    off_hour = index[(index.minute != 0) | (index.second != 0) | (index.microsecond != 0)]
    if len(off_hour):
        raise WeatherError(
            f"{where}: column 'time' has stamps that are not on the hour, first "
            f"{describe_stamps(off_hour)}; hourly data labelled at the start of each hour is "
            "expected, resample the file first"
        )
    return index


def _covers_year(utc: pd.DatetimeIndex, year: int) -> np.ndarray | None:
    """Mask of the rows inside calendar year ``year`` (UTC) if they cover it completely."""
    start = pd.Timestamp(year=year, month=1, day=1, tz=TIMEZONE)
    end = pd.Timestamp(year=year + 1, month=1, day=1, tz=TIMEZONE)
    mask = np.asarray((utc >= start) & (utc < end))
    if mask.sum() == _hours_in_year(year):
        return mask
    return None


def map_to_year(index: pd.DatetimeIndex, year: int, where: str = "weather data"
                ) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """Place one year of hourly records onto calendar year ``year`` in UTC.

    If the records already cover that UTC calendar year, those rows are selected. Otherwise the
    records must make up exactly one year, as typical-year files do (each month from a different
    calendar year): every record keeps its month, day and hour in the file's own clock (its fixed
    UTC offset, or UTC when the zone observes daylight saving) and takes the stated year. The
    result is converted to UTC and wrapped round the year's ends, so a file kept in UTC+1 gives
    up its first hour to the last hour of the UTC year. No hour is lost or repeated.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Timezone-aware record stamps, in file order.
    year : int
        Calendar year to map onto.
    where : str
        File name for error messages.

    Returns
    -------
    index : pandas.DatetimeIndex
        Sorted UTC stamps covering the year hour by hour.
    order : numpy.ndarray
        Positions into the original records giving the values for each new stamp.

    Raises
    ------
    WeatherError
        If the records are not one whole year, or 29 February is present in only one of the
        file and the stated year.
    """
    utc = index.tz_convert(TIMEZONE)
    mask = _covers_year(utc, year)
    if mask is not None:
        positions = np.flatnonzero(mask)
        order = positions[np.argsort(np.asarray(utc[positions]), kind="stable")]
        return pd.DatetimeIndex(utc[order], name="time"), order

    n_hours = _hours_in_year(year)
    if len(index) != n_hours:
        raise WeatherError(
            f"{where}: column 'time' holds {len(index)} hourly records from "
            f"{describe_stamps(index[:1])} to {describe_stamps(index[-1:])}, neither the whole of "
            f"{year} nor exactly one year of records ({n_hours} h for {year}) to map onto it; "
            "give a complete year, or choose a year with the same number of days as the file"
        )
    local_wall = index.tz_localize(None)
    offsets = local_wall - utc.tz_localize(None)
    if offsets.nunique() == 1:
        wall, offset = local_wall, offsets[0]
    else:
        wall, offset = utc.tz_localize(None), pd.Timedelta(0)
    feb29 = (wall.month == 2) & (wall.day == 29)
    if feb29.any() and not calendar.isleap(year):
        raise WeatherError(
            f"{where}: column 'time' includes 29 February ({describe_stamps(index[feb29])}) but "
            f"{year} is not a leap year; map the file onto a leap year"
        )
    new_wall = pd.to_datetime(
        pd.DataFrame({"year": year, "month": wall.month, "day": wall.day, "hour": wall.hour})
    )
    new_wall = pd.DatetimeIndex(new_wall)
    repeated = new_wall[new_wall.duplicated()]
    if len(repeated):
        raise WeatherError(
            f"{where}: column 'time' gives the same month, day and hour twice once mapped onto "
            f"{year}, first {describe_stamps(repeated)}; a typical year must hold each hour of "
            "the calendar once"
        )
    start = pd.Timestamp(year=year, month=1, day=1)
    hours = np.asarray((new_wall - offset - start) // pd.Timedelta(hours=1), dtype=np.int64)
    hours = np.mod(hours, n_hours)
    order = np.argsort(hours, kind="stable")
    if not np.array_equal(hours[order], np.arange(n_hours)):
        raise WeatherError(
            f"{where}: column 'time' does not give every hour of {year} once after mapping"
        )
    new_index = pd.date_range(start.tz_localize(TIMEZONE), periods=n_hours, freq="h",
                              name="time")
    return new_index, order


def _check_complete(index: pd.DatetimeIndex, where: str) -> None:
    if not index.is_monotonic_increasing:
        steps = np.diff(index.tz_localize(None).as_unit("s").asi8)
        back = index[1:][steps < 0]
        raise WeatherError(
            f"{where}: column 'time' goes backwards at {describe_stamps(back)}; sort the file, "
            "or, for a typical year that mixes calendar years, pass year= to map it onto one year"
        )
    expected = pd.date_range(index[0], index[-1], freq="h")
    missing = expected.difference(index)
    if len(missing):
        raise WeatherError(
            f"{where}: column 'time' skips {len(missing)} hourly timestamps, first "
            f"{describe_stamps(missing)}; supply every hour (leave values empty where data are "
            f"missing: runs of up to {MAX_GAP_HOURS} h are then interpolated)"
        )


def _nan_runs(values: np.ndarray) -> list[tuple[int, int]]:
    """Start and stop positions of runs of NaN."""
    isnan = np.isnan(values)
    if not isnan.any():
        return []
    edges = np.diff(np.concatenate(([0], isnan.astype(np.int8), [0])))
    return list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True))


def _fill_gaps(frame: pd.DataFrame, where: str, source_columns: dict[str, str]
               ) -> tuple[pd.DataFrame, list[str]]:
    """Interpolate runs of up to MAX_GAP_HOURS missing values; refuse anything longer."""
    notes: list[str] = []
    filled = frame.copy()
    for column in frame.columns:
        values = np.array(frame[column].to_numpy(dtype=float), copy=True)
        runs = _nan_runs(values)
        if not runs:
            continue
        label = _column_label(column, source_columns)
        at_edge = [(a, b) for a, b in runs if a == 0 or b == len(values)]
        too_long = [(a, b) for a, b in runs if b - a > MAX_GAP_HOURS]
        for bad, why in ((at_edge, "at the start or end of the record, with nothing to "
                                   "interpolate from"),
                         (too_long, f"longer than {MAX_GAP_HOURS} h")):
            if bad:
                stamps = [frame.index[a] for a, _ in bad]
                raise WeatherError(
                    f"{where}: {label} has missing values {why}, starting "
                    f"{describe_stamps(stamps)}; fill them from another source or choose a "
                    "different weather year (nothing is filled silently)"
                )
        positions = np.arange(len(values))
        good = ~np.isnan(values)
        values[~good] = np.interp(positions[~good], positions[good], values[good])
        filled[column] = values
        for a, b in runs:
            notes.append(f"{column}: {b - a} h from {frame.index[a].isoformat()}")
    return filled, notes


def _check_limits(frame: pd.DataFrame, where: str, source_columns: dict[str, str]) -> None:
    if "temp_air" in frame:
        temp = frame["temp_air"]
        if temp.median() > 150.0:
            label = _column_label("temp_air", source_columns)
            raise WeatherError(
                f"{where}: {label} looks like kelvin (median {temp.median():.1f}), first values "
                f"at {describe_stamps(temp.index)}; convert to degC (subtract 273.15)"
            )
    for column, (low, high) in LIMITS.items():
        if column not in frame:
            continue
        values = frame[column]
        bad = values[(values < low) | (values > high)]
        if len(bad):
            label = _column_label(column, source_columns)
            raise WeatherError(
                f"{where}: {label} has values outside the physical range {low:g} to {high:g} "
                f"{UNITS[column]}, first {describe_stamps(bad.index)} "
                f"({', '.join(f'{v:g}' for v in bad.iloc[:3])}); check the file's units and "
                "missing-value markers"
            )


def decompose_ghi(ghi: pd.Series, latitude: float, longitude: float, altitude: float = 0.0
                  ) -> pd.DataFrame:
    """Split global horizontal irradiance into direct normal and diffuse parts.

    Uses pvlib's Erbs-Driesse model (Driesse et al. 2024, a continuous refit of Erbs et al.
    1982) with the sun's position at the middle of each hour.

    Parameters
    ----------
    ghi : pandas.Series
        Global horizontal irradiance [W/m2] on a timezone-aware hourly index (hour starts).
    latitude, longitude : float
        Site [deg N, deg E].
    altitude : float
        Site height [m].

    Returns
    -------
    pandas.DataFrame
        Columns ``dni`` and ``dhi`` [W/m2].
    """
    position = solar_position(ghi.index, latitude, longitude, altitude)
    with quiet_dependencies():
        parts = pvlib.irradiance.erbs_driesse(
            ghi.to_numpy(dtype=float),
            position["zenith"].to_numpy(),
            datetime_or_doy=(ghi.index + pd.Timedelta(minutes=30)).day_of_year.to_numpy(),
        )
    return pd.DataFrame({"dni": np.asarray(parts["dni"]), "dhi": np.asarray(parts["dhi"])},
                        index=ghi.index).fillna(0.0).clip(lower=0.0)


def weather_from_frame(
    frame: pd.DataFrame,
    *,
    latitude: float,
    longitude: float,
    altitude: float = 0.0,
    name: str = "",
    source: str = "",
    wind_height_m: float = 10.0,
    year: int | None = None,
    where: str | Path = "weather data",
    source_columns: dict[str, str] | None = None,
) -> xr.Dataset:
    """Check a table of hourly weather and turn it into a weather-year Dataset.

    Every reader ends here, so every input passes the same checks: timezone-aware, on the hour,
    no repeated or skipped stamps, values within physical limits, temperature not in kelvin.
    Runs of up to ``MAX_GAP_HOURS`` missing values are interpolated linearly, reported with a
    :class:`WeatherWarning` and listed in ``attrs["filled_gaps"]``; longer runs are refused.

    Parameters
    ----------
    frame : pandas.DataFrame
        Indexed by timezone-aware hour starts, with columns ``ghi`` [W/m2], ``temp_air``
        [degC], ``wind_speed`` [m/s] and optionally ``dni`` and ``dhi`` [W/m2]. Without both
        ``dni`` and ``dhi`` they are derived from ``ghi`` (:func:`decompose_ghi`).
    latitude, longitude : float
        Site [deg N, deg E].
    altitude : float, default 0
        Site height [m].
    name, source : str
        Site name and a description of where the data came from.
    wind_height_m : float, default 10
        Height of the wind measurement above ground [m].
    year : int, optional
        Calendar year to select or map the records onto (see :func:`map_to_year`).
    where : str or Path
        File name used in error messages.
    source_columns : dict, optional
        Map from this package's column names to the file's, for error messages.

    Returns
    -------
    xarray.Dataset
        The weather year (see the module docstring for the convention).

    Raises
    ------
    WeatherError
        On any refused input; the message names the file, column and first bad timestamps.
    """
    where = str(where)
    source_columns = source_columns or {}
    for what, value, low, high in (("latitude [deg N]", latitude, -90, 90),
                                   ("longitude [deg E]", longitude, -180, 360),
                                   ("altitude [m]", altitude, -500, 9000),
                                   ("wind_height_m (height of the wind measurement)",
                                    wind_height_m, 0.5, 300)):
        if not isinstance(value, int | float) or not low <= value <= high:
            raise WeatherError(f"{where}: {what} is {value!r}; give a number from {low:g} to "
                               f"{high:g} (in the file's header or the scenario's weather "
                               "section)")
    missing = [c for c in REQUIRED if c not in frame.columns]
    if ("dni" in frame.columns) != ("dhi" in frame.columns):
        missing.append("dhi" if "dni" in frame.columns else "dni")
    if missing:
        wanted = ", ".join(f"'{source_columns.get(c, c)}'" for c in missing)
        raise WeatherError(
            f"{where}: missing column(s) {wanted}; the file has "
            f"{', '.join(map(str, frame.columns))}"
        )
    columns = [c for c in UNITS if c in frame.columns]
    frame = frame[columns]
    for column in columns:
        if not pd.api.types.is_numeric_dtype(frame[column]):
            converted = pd.to_numeric(frame[column], errors="coerce")
            bad = frame.index[converted.isna() & frame[column].notna()]
            if len(bad):
                raise WeatherError(
                    f"{where}: {_column_label(column, source_columns)} has text that is not a "
                    f"number at {describe_stamps(bad)}; leave missing values empty"
                )
            frame = frame.assign(**{column: converted})
    index = _check_index(frame.index, where)
    mapped_note = ""
    if year is not None:
        new_index, order = map_to_year(index, year, where)
        first_years = sorted(set(index.year))
        if not (index.tz_convert(TIMEZONE)[order] == new_index).all():
            mapped_note = f"records from years {first_years} mapped in order onto {year}"
        frame = frame.iloc[order]
        frame.index = new_index
    else:
        frame.index = pd.DatetimeIndex(index.tz_convert(TIMEZONE), name="time")
        _check_complete(frame.index, where)
    frame = frame.astype(float)
    frame, notes = _fill_gaps(frame, where, source_columns)
    if notes:
        warnings.warn(
            f"{where}: interpolated short gaps: {'; '.join(notes)}", WeatherWarning, stacklevel=3
        )
    _check_limits(frame, where, source_columns)
    if "dni" not in frame.columns:
        parts = decompose_ghi(frame["ghi"], latitude, longitude, altitude)
        frame = frame.assign(dni=parts["dni"], dhi=parts["dhi"])
        source = (source + "; " if source else "") + "dni and dhi from ghi by Erbs-Driesse"
    return _to_dataset(
        frame,
        latitude=latitude,
        longitude=longitude,
        altitude=altitude,
        name=name,
        source=source + (f"; {mapped_note}" if mapped_note else ""),
        wind_height_m=wind_height_m,
        filled_gaps="; ".join(notes),
    )


def _to_dataset(frame: pd.DataFrame, *, latitude: float, longitude: float, altitude: float,
                name: str, source: str, wind_height_m: float, filled_gaps: str = ""
                ) -> xr.Dataset:
    """Assemble the Dataset from a checked frame on a UTC index."""
    naive = frame.index.tz_convert(TIMEZONE).tz_localize(None).as_unit("ns")
    data_vars = {}
    for column, unit in UNITS.items():
        attrs = {"units": unit, "long_name": LONG_NAMES[column]}
        if column == "wind_speed":
            attrs["height_m"] = float(wind_height_m)
        data_vars[column] = ("time", frame[column].to_numpy(dtype=float), attrs)
    ds = xr.Dataset(
        data_vars,
        coords={"time": ("time", np.asarray(naive), {"timezone": TIMEZONE,
                                                      "label": TIME_LABEL})},
        attrs={
            "latitude": float(latitude),
            "longitude": float(longitude),
            "altitude": float(altitude),
            "name": str(name),
            "source": str(source),
            "timezone": TIMEZONE,
            "time_label": TIME_LABEL,
            "filled_gaps": filled_gaps,
        },
    )
    return ds
