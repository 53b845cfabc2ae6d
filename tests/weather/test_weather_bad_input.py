"""Every refusal: the message names the file, the column and the first bad timestamps."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from conftest import small_frame, write_plain_csv

import weather

SITE = {"latitude": 53.0, "longitude": -2.18}


def _read(tmp_path, frame, name="bad.csv", **kwargs):
    path = write_plain_csv(tmp_path / name, frame, SITE, **kwargs)
    return weather.read_weather(path)


def test_naive_timestamps(tmp_path):
    frame = small_frame(tz=None)
    with pytest.raises(weather.WeatherError,
                       match=r"bad\.csv: column 'time' has naive.*2030-06-01T00:00:00"):
        _read(tmp_path, frame, time_format="%Y-%m-%d %H:%M")


def test_duplicated_timestamps(tmp_path):
    frame = small_frame()
    frame = pd.concat([frame.iloc[:5], frame.iloc[4:]])
    with pytest.raises(weather.WeatherError,
                       match=r"bad\.csv: column 'time' repeats.*2030-06-01T04:00:00\+00:00"):
        _read(tmp_path, frame)


def test_missing_timestamps(tmp_path):
    frame = small_frame().drop(index=pd.Timestamp("2030-06-01 07:00", tz="UTC"))
    with pytest.raises(weather.WeatherError,
                       match=r"bad\.csv: column 'time' skips 1 .*2030-06-01T07:00:00\+00:00"):
        _read(tmp_path, frame)


def test_timestamps_off_the_hour(tmp_path):
    frame = small_frame()
    frame.index = frame.index + pd.Timedelta(minutes=30)
    with pytest.raises(weather.WeatherError, match="not on the hour.*00:30"):
        _read(tmp_path, frame)


def test_long_gap(tmp_path):
    frame = small_frame()
    frame.iloc[20:24, frame.columns.get_loc("wind_speed")] = np.nan
    with pytest.raises(weather.WeatherError,
                       match=r"bad\.csv: column 'wind_speed' has missing values longer than 3 h"
                             r".*2030-06-01T20:00:00\+00:00"):
        _read(tmp_path, frame)


def test_gap_at_the_edge(tmp_path):
    frame = small_frame()
    frame.iloc[-1, frame.columns.get_loc("ghi")] = np.nan
    with pytest.raises(weather.WeatherError, match="'ghi'.*start or end.*2030-06-02T23:00"):
        _read(tmp_path, frame)


def test_kelvin_temperatures(tmp_path):
    frame = small_frame()
    frame["temp_air"] += 273.15
    with pytest.raises(weather.WeatherError,
                       match=r"bad\.csv: column 'temp_air' looks like kelvin.*2030-06-01T00:00"):
        _read(tmp_path, frame)


@pytest.mark.parametrize("value", [1500.0, -5.0, 9999.0])
def test_irradiance_outside_physical_limits(tmp_path, value):
    frame = small_frame()
    frame.iloc[12, frame.columns.get_loc("ghi")] = value
    with pytest.raises(weather.WeatherError,
                       match=r"bad\.csv: column 'ghi' has values outside.*"
                             r"2030-06-01T12:00:00\+00:00"):
        _read(tmp_path, frame)


def test_missing_column(tmp_path):
    frame = small_frame().drop(columns="wind_speed")
    with pytest.raises(weather.WeatherError, match=r"bad\.csv: missing column\(s\) 'wind_speed'"):
        _read(tmp_path, frame)


def test_only_one_of_dni_dhi(tmp_path):
    frame = small_frame().assign(dni=0.0)
    with pytest.raises(weather.WeatherError, match="missing column.*'dhi'"):
        _read(tmp_path, frame)


def test_text_in_a_number_column(tmp_path):
    frame = small_frame().astype({"temp_air": object})
    frame.iloc[3, frame.columns.get_loc("temp_air")] = "warm"
    with pytest.raises(weather.WeatherError, match="'temp_air' has text.*2030-06-01T03:00"):
        _read(tmp_path, frame)


def test_missing_site(tmp_path):
    path = write_plain_csv(tmp_path / "nosite.csv", small_frame())
    with pytest.raises(weather.WeatherError, match=r"nosite\.csv.*latitude"):
        weather.read_weather(path)


def test_unknown_suffix_and_missing_file(tmp_path):
    odd = tmp_path / "weather.xlsx"
    odd.write_text("x")
    with pytest.raises(weather.WeatherError, match="unknown weather file type"):
        weather.read_weather(odd)
    with pytest.raises(weather.WeatherError, match="no such file"):
        weather.read_weather(tmp_path / "absent.epw")


def test_pvgis_file_with_kelvin_names_source_column(tmp_path, data_dir):
    text = (data_dir / "tmy_45.000_8.000_2005_2023.csv").read_text()
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("time(UTC)"))
    row = lines[header + 1].split(",")
    row[1] = "275.19"
    lines[header + 1] = ",".join(row)
    path = tmp_path / "hot.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(weather.WeatherError,
                       match=r"hot\.csv: column 'temp_air' \(file column 'T2m'\).*"
                             r"2030-01-01T00:00:00\+00:00"):
        weather.read_weather(path, year=2030)


def test_era5_missing_variable(tmp_path):
    times = pd.date_range("2030-01-01", periods=3, freq="h")
    xr.Dataset({"t2m": (("time", "latitude", "longitude"), np.full((3, 1, 1), 280.0))},
               coords={"time": times, "latitude": [53.0], "longitude": [-2.0]}
               ).to_netcdf(tmp_path / "era5.nc")
    with pytest.raises(weather.WeatherError, match=r"era5\.nc: missing variable.*ssrd"):
        weather.read_weather(tmp_path / "era5.nc", latitude=53.0, longitude=-2.0)


def test_time_index_refuses_undeclared_naive_time():
    ds = xr.Dataset(coords={"time": pd.date_range("2030-01-01", periods=3, freq="h")})
    with pytest.raises(weather.WeatherError, match="timezone"):
        weather.time_index(ds)
