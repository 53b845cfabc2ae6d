"""Readers: weather files in, one checked weather-year Dataset out.

Each reader renames the source's columns once, through a mapping, converts units at this
boundary, and hands the table to :func:`weather.dataset.weather_from_frame`, which applies the
checks every input shares.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
import xarray as xr

from weather.dataset import quiet_dependencies, weather_from_frame
from weather.errors import MAX_WEATHER_BYTES, WeatherError, file_problem

#: PVGIS TMY columns (pvlib's names before ``map_variables``) to this package's names.
PVGIS_VARIABLE_MAP: dict[str, str] = {
    "G(h)": "ghi",
    "Gb(n)": "dni",
    "Gd(h)": "dhi",
    "T2m": "temp_air",
    "WS10m": "wind_speed",
}

#: EPW fields as pvlib names them to this package's names (identical; listed for the messages).
EPW_VARIABLE_MAP: dict[str, str] = {
    "ghi": "ghi",
    "dni": "dni",
    "dhi": "dhi",
    "temp_air": "temp_air",
    "wind_speed": "wind_speed",
}

#: ERA5 single-level variables to this package's names.
ERA5_VARIABLE_MAP: dict[str, str] = {
    "ssrd": "ghi",
    "t2m": "temp_air",
    "u10": "wind_speed",
    "v10": "wind_speed",
}

#: Columns of the plain CSV format, with their units.
PLAIN_CSV_COLUMNS: dict[str, str] = {
    "time": "ISO 8601 stamp with UTC offset, start of the hour, e.g. 2030-01-01T00:00+00:00",
    "ghi": "global horizontal irradiance [W/m2]",
    "dni": "direct normal irradiance [W/m2] (optional, with dhi)",
    "dhi": "diffuse horizontal irradiance [W/m2] (optional, with dni)",
    "temp_air": "air temperature [degC]",
    "wind_speed": "wind speed [m/s] at wind_height_m above ground (default 10 m)",
}


def _inverse(mapping: dict[str, str]) -> dict[str, str]:
    return {ours: theirs for theirs, ours in mapping.items()}


def _pick(value: float | None, fallback: float | None, what: str, path: Path) -> float:
    chosen = value if value is not None else fallback
    if chosen is None:
        raise WeatherError(f"{path}: the file does not state the site's {what}; pass {what}=")
    try:
        return float(chosen)
    except (TypeError, ValueError):
        raise WeatherError(f"{path}: the site's {what} {chosen!r} is not a number") from None


def read_epw(path: str | Path, *, year: int | None = None, latitude: float | None = None,
             longitude: float | None = None, altitude: float | None = None,
             name: str | None = None) -> xr.Dataset:
    """Read an EnergyPlus weather (EPW) file.

    pvlib's reader labels each record with the start of its hour in the file's fixed UTC
    offset; the site comes from the LOCATION line unless given. Wind is taken as measured at
    10 m, the EPW convention.

    Parameters
    ----------
    path : str or Path
        The ``.epw`` file.
    year : int, optional
        Calendar year to map the records onto (typical years mix calendar years and need it).
    latitude, longitude, altitude, name : optional
        Override the site stated in the file [deg N, deg E, m].

    Returns
    -------
    xarray.Dataset
        The weather year.
    """
    path = Path(path)
    try:
        with quiet_dependencies():
            data, meta = pvlib.iotools.read_epw(path)
    except (OSError, ValueError, IndexError, KeyError) as err:
        raise WeatherError(f"{path}: not a readable EPW file ({err})") from err
    frame = data[[c for c in EPW_VARIABLE_MAP if c in data.columns]]
    return weather_from_frame(
        frame,
        latitude=_pick(latitude, meta.get("latitude"), "latitude", path),
        longitude=_pick(longitude, meta.get("longitude"), "longitude", path),
        altitude=_pick(altitude, meta.get("altitude"), "altitude", path),
        name=name if name is not None else str(meta.get("city", path.stem)),
        source=f"EPW file {path.name}",
        wind_height_m=10.0,
        year=year,
        where=path,
        source_columns=EPW_VARIABLE_MAP,
    )


def read_pvgis_tmy(path: str | Path, *, year: int | None = None, latitude: float | None = None,
                   longitude: float | None = None, altitude: float | None = None,
                   name: str | None = None) -> xr.Dataset:
    """Read a PVGIS typical meteorological year, CSV or JSON, as PVGIS writes it.

    Stamps are UTC. PVGIS gives wind at 10 m (``WS10m``). Each month comes from a different
    calendar year, so pass ``year`` to place the records on one year.

    Parameters
    ----------
    path : str or Path
        The ``.csv`` or ``.json`` file from PVGIS's TMY tool.
    year : int, optional
        Calendar year to map the records onto.
    latitude, longitude, altitude, name : optional
        Override the site stated in the file [deg N, deg E, m].

    Returns
    -------
    xarray.Dataset
        The weather year.
    """
    path = Path(path)
    try:
        with quiet_dependencies():
            result = pvlib.iotools.read_pvgis_tmy(path, map_variables=False)
    except (OSError, ValueError, IndexError, KeyError, TypeError, AttributeError,
            RecursionError) as err:
        raise WeatherError(f"{path}: not a readable PVGIS TMY file ({type(err).__name__}: "
                           f"{str(err)[:200]})") from None
    data, meta = result[0], result[-1]
    inputs = meta.get("inputs", meta) if isinstance(meta, dict) else {}
    location = inputs.get("location", inputs) if isinstance(inputs, dict) else {}
    location = location if isinstance(location, dict) else {}
    frame = data.rename(columns=PVGIS_VARIABLE_MAP)
    return weather_from_frame(
        frame,
        latitude=_pick(latitude, location.get("latitude"), "latitude", path),
        longitude=_pick(longitude, location.get("longitude"), "longitude", path),
        altitude=_pick(altitude, location.get("elevation"), "altitude", path),
        name=name if name is not None else path.stem,
        source=f"PVGIS TMY file {path.name}",
        wind_height_m=10.0,
        year=year,
        where=path,
        source_columns=_inverse(PVGIS_VARIABLE_MAP),
    )


def _csv_metadata(path: Path) -> dict[str, str]:
    """``# key: value`` lines at the top of a plain CSV file."""
    meta: dict[str, str] = {}
    try:
        with path.open(encoding="utf-8-sig") as handle:
            for line in handle:
                if not line.startswith("#"):
                    break
                key, sep, value = line[1:].partition(":")
                if sep:
                    meta[key.strip().lower()] = value.strip()
    except UnicodeDecodeError as err:
        raise WeatherError(f"{path}: the file is not UTF-8 text ({err.reason} at byte "
                           f"{err.start}); save it as UTF-8") from None
    return meta


def _float_or_none(text: str | None, what: str, path: Path) -> float | None:
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError as err:
        raise WeatherError(f"{path}: header line '# {what}: {text}' is not a number") from err
    if not math.isfinite(value):
        raise WeatherError(f"{path}: header line '# {what}: {text}' is not a finite number")
    return value


def read_plain_csv(path: str | Path, *, year: int | None = None, latitude: float | None = None,
                   longitude: float | None = None, altitude: float | None = None,
                   name: str | None = None, timezone: str | None = None,
                   wind_height_m: float | None = None) -> xr.Dataset:
    """Read the project's plain CSV weather format.

    The file may open with ``# key: value`` lines for ``latitude`` [deg N], ``longitude``
    [deg E], ``altitude`` [m], ``name`` and ``wind_height_m`` [m]; keyword arguments override
    them. Then a header row with the columns of :data:`PLAIN_CSV_COLUMNS`: ``time`` (start of
    each hour, with its UTC offset), ``ghi``, ``temp_air``, ``wind_speed`` and, optionally,
    ``dni`` with ``dhi`` (derived from ``ghi`` when both are absent). Leave missing values
    empty.

    Parameters
    ----------
    path : str or Path
        The ``.csv`` file.
    year : int, optional
        Calendar year to select or map the records onto.
    latitude, longitude, altitude, name : optional
        The site [deg N, deg E, m]; required here if the file's header lines do not give them.
    timezone : str, optional
        Zone of stamps written without an offset (e.g. ``"Europe/London"``). Without it such
        stamps are refused. Ambiguous or non-existent local times are refused too.
    wind_height_m : float, optional
        Height of the wind measurement [m]; default 10.

    Returns
    -------
    xarray.Dataset
        The weather year.
    """
    path = Path(path)
    meta = _csv_metadata(path)
    try:
        table = pd.read_csv(path, comment="#", encoding="utf-8-sig")
    except (OSError, ValueError) as err:
        raise WeatherError(f"{path}: not a readable CSV file ({err})") from err
    table.columns = [str(c).strip() for c in table.columns]
    if "time" not in table.columns:
        raise WeatherError(
            f"{path}: missing column 'time'; the plain CSV format needs columns "
            + ", ".join(f"{k} ({v})" for k, v in PLAIN_CSV_COLUMNS.items())
        )
    stamps = pd.Series(table.pop("time"), dtype=str).str.strip()
    try:
        index = pd.DatetimeIndex(pd.to_datetime(stamps, format="ISO8601"), name="time")
    except (ValueError, TypeError) as err:
        raise WeatherError(
            f"{path}: column 'time' has stamps that are not ISO 8601 or mix UTC offsets "
            f"({err}); write them as 2030-01-01T00:00+00:00"
        ) from err
    if index.tz is None and timezone is not None:
        try:
            index = index.tz_localize(timezone, ambiguous="raise", nonexistent="raise")
        except (ValueError, TypeError) as err:
            raise WeatherError(
                f"{path}: column 'time' cannot be placed in {timezone} ({err}); write the "
                "stamps with their UTC offsets"
            ) from err
    table.index = index
    return weather_from_frame(
        table,
        latitude=_pick(latitude, _float_or_none(meta.get("latitude"), "latitude", path),
                       "latitude", path),
        longitude=_pick(longitude, _float_or_none(meta.get("longitude"), "longitude", path),
                        "longitude", path),
        altitude=_pick(altitude, _float_or_none(meta.get("altitude", "0"), "altitude", path),
                       "altitude", path),
        name=name if name is not None else meta.get("name", path.stem),
        source=f"plain CSV file {path.name}",
        wind_height_m=wind_height_m if wind_height_m is not None else
        _float_or_none(meta.get("wind_height_m", "10"), "wind_height_m", path),
        year=year,
        where=path,
    )


def _era5_time_name(data: xr.Dataset, path: Path) -> str:
    for candidate in ("valid_time", "time"):
        if candidate in data.coords or candidate in data.dims:
            return candidate
    raise WeatherError(f"{path}: no 'time' or 'valid_time' coordinate")


def read_era5_netcdf(path: str | Path, *, year: int | None = None,
                     latitude: float | None = None, longitude: float | None = None,
                     altitude: float | None = None, name: str | None = None) -> xr.Dataset:
    """Read ERA5 hourly single-level reanalysis from NetCDF at the grid point nearest the site.

    Variables used: ``t2m`` [K], ``ssrd`` [J/m2, accumulated over the hour ending at each
    stamp, as ERA5 hourly data are], ``u10`` and ``v10`` [m/s]. Conversions: degC = K - 273.15;
    ghi [W/m2] = ssrd / 3600, relabelled to the start of its hour; wind speed = hypot(u10, v10)
    at 10 m. ERA5 has no direct/diffuse split, so dni and dhi come from ghi by the Erbs-Driesse
    decomposition. Because each accumulation belongs to the hour before its stamp, a calendar
    year needs the stamp at 00:00 on 1 January of the next year too. ERA5-Land, whose
    accumulations run from midnight, is not this format: its hourly values exceed the
    irradiance limit and are refused.

    Parameters
    ----------
    path : str or Path
        The ``.nc`` file, with ``latitude``/``longitude`` (or ``lat``/``lon``) coordinates.
    year : int, optional
        Calendar year to select (or map the records onto).
    latitude, longitude : float
        The site [deg N, deg E]; required. Longitudes in 0..360 files are handled.
    altitude : float, optional
        Site height [m]; ERA5 does not give it. Default 0.
    name : str, optional
        Site name.

    Returns
    -------
    xarray.Dataset
        The weather year; attrs ``grid_latitude`` and ``grid_longitude`` give the grid point.
    """
    path = Path(path)
    if latitude is None or longitude is None:
        raise WeatherError(f"{path}: pass latitude= and longitude= to choose the grid point")
    try:
        data = xr.open_dataset(path)
    except (OSError, ValueError) as err:
        raise WeatherError(f"{path}: not a readable NetCDF file ({err})") from err
    with data:
        missing = [v for v in ("t2m", "ssrd", "u10", "v10") if v not in data]
        if missing:
            raise WeatherError(
                f"{path}: missing variable(s) {', '.join(missing)}; ERA5 single levels "
                "2m_temperature, surface_solar_radiation_downwards and 10m u/v wind are needed"
            )
        lat_name = "latitude" if "latitude" in data.coords else "lat"
        lon_name = "longitude" if "longitude" in data.coords else "lon"
        if lat_name not in data.coords or lon_name not in data.coords:
            raise WeatherError(f"{path}: no latitude/longitude coordinates")
        lons = data[lon_name].values
        target_lon = float(longitude) % 360.0 if np.nanmax(lons) > 180.0 else float(longitude)
        point = data.sel({lat_name: float(latitude), lon_name: target_lon}, method="nearest")
        time_name = _era5_time_name(data, path)
        stamps = pd.DatetimeIndex(point[time_name].values)
        if stamps.tz is None:
            stamps = stamps.tz_localize("UTC")
        temp_k = pd.Series(point["t2m"].values.astype(float), index=stamps)
        wind = pd.Series(np.hypot(point["u10"].values, point["v10"].values).astype(float),
                         index=stamps)
        ssrd = pd.Series(point["ssrd"].values.astype(float), index=stamps)
        grid = (float(point[lat_name]), float(point[lon_name]))
    ghi = ssrd / 3600.0
    # A de-accumulated field can dip a hair below zero from rounding in the archive.
    ghi = ghi.where(~((ghi < 0.0) & (ghi > -1.0)), 0.0)
    ghi.index = ghi.index - pd.Timedelta(hours=1)
    frame = pd.concat({"temp_air": temp_k - 273.15, "wind_speed": wind}, axis=1)
    frame = frame.join(ghi.rename("ghi"), how="inner")
    frame.index.name = "time"
    try:
        ds = weather_from_frame(
            frame,
            latitude=float(latitude),
            longitude=float(longitude),
            altitude=float(altitude) if altitude is not None else 0.0,
            name=name if name is not None else path.stem,
            source=f"ERA5 NetCDF file {path.name}, grid point {grid[0]:.3f} N {grid[1]:.3f} E",
            wind_height_m=10.0,
            year=year,
            where=path,
            source_columns={"temp_air": "t2m", "ghi": "ssrd", "wind_speed": "u10/v10"},
        )
    except WeatherError as err:
        if year is None:
            raise
        raise WeatherError(
            f"{err}. Note: each ERA5 ssrd value belongs to the hour before its stamp, so a "
            f"whole {year} needs the stamps up to {year + 1}-01-01T00:00 UTC in the file"
        ) from err
    ds.attrs["grid_latitude"], ds.attrs["grid_longitude"] = grid
    return ds


def _looks_like_pvgis_csv(path: Path) -> bool:
    with path.open(encoding="utf-8-sig", errors="replace") as handle:
        head = "".join(handle.readline() for _ in range(40))
    return "G(h)" in head and "T2m" in head


def read_weather(path: str | Path, *, year: int | None = None, latitude: float | None = None,
                 longitude: float | None = None, altitude: float | None = None,
                 name: str | None = None) -> xr.Dataset:
    """Read a weather file of any supported kind, chosen by its suffix and content.

    ``.epw`` -> :func:`read_epw`; ``.json`` -> :func:`read_pvgis_tmy`; ``.csv`` ->
    :func:`read_pvgis_tmy` when the header has PVGIS's columns (``G(h)``, ``T2m``), else
    :func:`read_plain_csv`; ``.nc`` -> :func:`read_era5_netcdf`.

    Parameters
    ----------
    path : str or Path
        The weather file.
    year : int, optional
        Calendar year to select, or to map a typical year onto in order.
    latitude, longitude, altitude, name : optional
        The site [deg N, deg E, m]; override the file's own where it has them.

    Returns
    -------
    xarray.Dataset
        The weather year.

    Raises
    ------
    WeatherError
        For a missing file, an unknown suffix, or any refused content.
    """
    path = Path(path)
    problem = file_problem(path, MAX_WEATHER_BYTES)
    if problem:
        raise WeatherError(f"{path}: {problem}")
    suffix = path.suffix.lower()
    site = {"year": year, "latitude": latitude, "longitude": longitude, "altitude": altitude,
            "name": name}
    if suffix == ".epw":
        return read_epw(path, **site)
    if suffix == ".json":
        return read_pvgis_tmy(path, **site)
    if suffix == ".csv":
        if _looks_like_pvgis_csv(path):
            return read_pvgis_tmy(path, **site)
        return read_plain_csv(path, **site)
    if suffix in (".nc", ".nc4", ".netcdf"):
        return read_era5_netcdf(path, **site)
    raise WeatherError(
        f"{path}: unknown weather file type '{suffix}'; use .epw, PVGIS TMY .csv/.json, the "
        "plain .csv format or ERA5 .nc"
    )
