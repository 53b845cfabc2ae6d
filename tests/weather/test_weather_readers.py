"""Readers on real files (pvlib's PVGIS TMY test data) and on files the tests write."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from conftest import PVGIS_STEM, small_frame, write_plain_csv

import weather


def _check_convention(ds: xr.Dataset, n_hours: int) -> pd.DatetimeIndex:
    index = weather.time_index(ds)
    assert str(index.tz) == "UTC"
    assert len(index) == n_hours
    assert (np.diff(index.asi8) == np.diff(index.asi8)[0]).all()
    assert index.freq is None or index.freqstr == "h"
    assert (index[1:] - index[:-1] == pd.Timedelta(hours=1)).all()
    for name, unit in weather.UNITS.items():
        assert ds[name].attrs["units"] == unit
        assert np.isfinite(ds[name].values).all()
    assert ds["wind_speed"].attrs["height_m"] == 10.0
    for key in ("latitude", "longitude", "altitude", "name", "source"):
        assert key in ds.attrs
    assert ds.attrs["timezone"] == "UTC"
    return index


@pytest.mark.parametrize("suffix", ["csv", "json", "epw"])
def test_pvgis_tmy_files_map_onto_one_year(data_dir, suffix):
    ds = weather.read_weather(data_dir / f"{PVGIS_STEM}.{suffix}", year=2030)
    index = _check_convention(ds, 8760)
    assert index[0] == pd.Timestamp("2030-01-01 00:00", tz="UTC")
    assert index[-1] == pd.Timestamp("2030-12-31 23:00", tz="UTC")
    assert ds.attrs["latitude"] == pytest.approx(45.0)
    assert ds.attrs["longitude"] == pytest.approx(8.0)
    assert ds.attrs["altitude"] == pytest.approx(250.0)
    assert "mapped in order onto 2030" in ds.attrs["source"]
    assert 10.0 < float(ds["temp_air"].mean()) < 16.0


def test_pvgis_csv_and_json_agree(data_dir):
    from_csv = weather.read_weather(data_dir / f"{PVGIS_STEM}.csv", year=2030)
    from_json = weather.read_weather(data_dir / f"{PVGIS_STEM}.json", year=2030)
    for name in weather.UNITS:
        np.testing.assert_allclose(from_csv[name].values, from_json[name].values)


def test_epw_mapping_loses_and_repeats_no_hour(data_dir, pvgis_csv):
    # PVGIS writes this EPW with a +1 h zone, so its records are the CSV's shifted by an hour;
    # mapping onto 2030 must keep every record exactly once.
    from_epw = weather.read_epw(data_dir / f"{PVGIS_STEM}.epw", year=2030)
    for name in ("ghi", "temp_air"):
        np.testing.assert_allclose(np.sort(from_epw[name].values),
                                   np.sort(pvgis_csv[name].values))
    np.testing.assert_allclose(np.roll(from_epw["temp_air"].values, 1),
                               pvgis_csv["temp_air"].values)


def test_typical_year_without_year_is_refused(data_dir):
    with pytest.raises(weather.WeatherError, match="year="):
        weather.read_weather(data_dir / f"{PVGIS_STEM}.csv")


def test_typical_year_onto_leap_year_is_refused(data_dir):
    with pytest.raises(weather.WeatherError, match=PVGIS_STEM):
        weather.read_weather(data_dir / f"{PVGIS_STEM}.json", year=2028)


def test_real_file_has_no_sun_at_night(pvgis_csv):
    index = weather.time_index(pvgis_csv)
    position = weather.solar_position(index, 45.0, 8.0)
    dark = position["elevation"].to_numpy() < -8.0
    assert dark.sum() > 3000
    assert (pvgis_csv["ghi"].values[dark] == 0.0).all()


def test_plain_csv_with_header_and_decomposition(tmp_path):
    frame = small_frame()
    path = write_plain_csv(tmp_path / "site.csv", frame,
                           {"latitude": 53.0, "longitude": -2.18, "altitude": 150,
                            "name": "test site", "wind_height_m": 12})
    ds = weather.read_weather(path)
    _check_convention_partial = weather.time_index(ds)
    assert len(_check_convention_partial) == 48
    assert ds.attrs["name"] == "test site"
    assert ds["wind_speed"].attrs["height_m"] == 12.0
    assert "Erbs-Driesse" in ds.attrs["source"]
    position = weather.solar_position(weather.time_index(ds), 53.0, -2.18)
    cos_z = np.clip(np.cos(np.radians(position["zenith"].to_numpy())), 0, None)
    closure = ds["dhi"].values + ds["dni"].values * cos_z
    np.testing.assert_allclose(closure, ds["ghi"].values, atol=2.0)
    assert float(ds["dni"].max()) > 300.0


def test_plain_csv_year_selects_complete_year(tmp_path):
    frame = small_frame(hours=8760 + 48, start="2029-12-31 00:00")
    path = write_plain_csv(tmp_path / "long.csv", frame, {"latitude": 53, "longitude": -2.18})
    ds = weather.read_plain_csv(path, year=2030)
    index = weather.time_index(ds)
    assert len(index) == 8760 and index[0] == pd.Timestamp("2030-01-01", tz="UTC")
    assert "mapped" not in ds.attrs["source"]


def test_plain_csv_naive_stamps_with_stated_zone(tmp_path):
    frame = small_frame(start="2030-01-10 00:00", tz=None)
    path = write_plain_csv(tmp_path / "naive.csv", frame, {"latitude": 53, "longitude": -2.18},
                           time_format="%Y-%m-%d %H:%M")
    ds = weather.read_plain_csv(path, timezone="Europe/Berlin")
    assert weather.time_index(ds)[0] == pd.Timestamp("2030-01-09 23:00", tz="UTC")


def test_short_gap_is_interpolated_and_reported(tmp_path):
    frame = small_frame()
    frame.iloc[10:13, frame.columns.get_loc("temp_air")] = np.nan
    path = write_plain_csv(tmp_path / "gap.csv", frame, {"latitude": 53, "longitude": -2.18})
    with pytest.warns(weather.WeatherWarning, match=r"gap\.csv.*temp_air: 3 h"):
        ds = weather.read_weather(path)
    assert "temp_air: 3 h from 2030-06-01T10:00:00+00:00" in ds.attrs["filled_gaps"]
    before, after = frame["temp_air"].iloc[9], frame["temp_air"].iloc[13]
    np.testing.assert_allclose(ds["temp_air"].values[10:13],
                               before + (after - before) * np.array([1, 2, 3]) / 4)


def test_clean_file_gives_no_warning(tmp_path):
    path = write_plain_csv(tmp_path / "ok.csv", small_frame(), {"latitude": 53,
                                                                "longitude": -2.18})
    with warnings.catch_warnings():
        warnings.simplefilter("error", weather.WeatherWarning)
        ds = weather.read_weather(path)
    assert ds.attrs["filled_gaps"] == ""


def _write_era5(path, lon_360: bool = False, hours: int = 49):
    times = pd.date_range("2030-06-01 00:00", periods=hours, freq="h")
    lats = np.array([53.5, 53.25, 53.0, 52.75])
    lons = np.array([-2.5, -2.25, -2.0, -1.75])
    if lon_360:
        lons = lons % 360.0
    shape = (hours, lats.size, lons.size)
    position = weather.solar_position(pd.DatetimeIndex(times).tz_localize("UTC")
                                      - pd.Timedelta(hours=1), 53.0, -2.25)
    ghi = 700.0 * np.clip(np.cos(np.radians(position["zenith"].to_numpy())), 0, None)
    ssrd = np.broadcast_to((ghi * 3600.0)[:, None, None], shape)
    t2m = np.broadcast_to((288.15 + np.arange(hours) * 0.01)[:, None, None], shape).copy()
    t2m[:, 2, 1] += 1.0  # the grid point nearest 53.0 N, -2.2 E is one degree warmer
    ds = xr.Dataset(
        {"t2m": (("valid_time", "latitude", "longitude"), t2m, {"units": "K"}),
         "ssrd": (("valid_time", "latitude", "longitude"), ssrd.copy(), {"units": "J m**-2"}),
         "u10": (("valid_time", "latitude", "longitude"), np.full(shape, 3.0)),
         "v10": (("valid_time", "latitude", "longitude"), np.full(shape, -4.0))},
        coords={"valid_time": times, "latitude": lats, "longitude": lons},
    )
    ds.to_netcdf(path)
    return ghi


@pytest.mark.parametrize("lon_360", [False, True])
def test_era5_netcdf(tmp_path, lon_360):
    path = tmp_path / "era5.nc"
    ghi = _write_era5(path, lon_360)
    ds = weather.read_weather(path, latitude=53.0, longitude=-2.2, altitude=150.0)
    index = _check_convention(ds, 48)
    assert index[0] == pd.Timestamp("2030-06-01 00:00", tz="UTC")
    np.testing.assert_allclose(ds["temp_air"].values, 16.0 + np.arange(48) * 0.01, atol=1e-9)
    np.testing.assert_allclose(ds["wind_speed"].values, 5.0)
    # ssrd stamped 01:00 is the hour 00:00-01:00
    np.testing.assert_allclose(ds["ghi"].values, ghi[1:], atol=1e-9)
    assert ds.attrs["grid_latitude"] == 53.0
    assert ds.attrs["grid_longitude"] % 360.0 == pytest.approx(-2.25 % 360.0)
    assert ds.attrs["latitude"] == 53.0 and ds.attrs["altitude"] == 150.0
    assert float(ds["dni"].max()) > 0.0


def test_era5_needs_site(tmp_path):
    path = tmp_path / "era5.nc"
    _write_era5(path)
    with pytest.raises(weather.WeatherError, match="latitude"):
        weather.read_weather(path)


def test_weather_dataset_survives_netcdf(tmp_path, stoke):
    path = tmp_path / "stoke.nc"
    stoke.to_netcdf(path)
    with xr.open_dataset(path) as reopened:
        assert weather.time_index(reopened).equals(weather.time_index(stoke))


def test_era5_calendar_year_needs_next_midnight(tmp_path):
    path = tmp_path / "era5.nc"
    _write_era5(path, hours=48)
    with pytest.raises(weather.WeatherError, match="2031-01-01T00:00 UTC"):
        weather.read_weather(path, latitude=53.0, longitude=-2.2, year=2030)


def test_weather_never_imports_the_model():
    import subprocess
    import sys

    code = ("import sys, weather; weather.stoke_typical_year(); "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('pyomo', 'energy_model')]; "
            "sys.exit(1 if bad else 0)")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
