"""The built-in Stoke-on-Trent year against the normals it is built from."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import weather


def test_identical_run_to_run(stoke):
    again = weather.stoke_typical_year(2030)
    assert again.identical(stoke)


def test_shape_and_convention(stoke):
    index = weather.time_index(stoke)
    assert len(index) == 8760
    assert index[0] == pd.Timestamp("2030-01-01", tz="UTC")
    assert (index[1:] - index[:-1] == pd.Timedelta(hours=1)).all()
    assert stoke.attrs["latitude"] == 53.0 and stoke.attrs["longitude"] == -2.18
    assert stoke.attrs["altitude"] == 150.0
    assert stoke["wind_speed"].attrs["height_m"] == 10.0
    for name, unit in weather.UNITS.items():
        assert stoke[name].attrs["units"] == unit


def test_leap_year_has_every_hour():
    assert len(weather.time_index(weather.stoke_typical_year(2028))) == 8784


def test_monthly_mean_temperatures_match_normals(stoke):
    index = weather.time_index(stoke)
    monthly = pd.Series(stoke["temp_air"].values, index=index).groupby(index.month).mean()
    expected = weather.monthly_mean_temperature_c()
    assert np.abs(monthly.to_numpy() - expected).max() <= 0.3
    # January normal (7.5 + 1.2) / 2 - 0.5 = 3.85 degC, from DOMAIN.md's Shawbury table
    assert expected[0] == pytest.approx(3.85)


def test_daily_range_and_persistence(stoke):
    index = weather.time_index(stoke)
    temp = pd.Series(stoke["temp_air"].values, index=index)
    daily_max = temp.resample("D").max()
    daily_min = temp.resample("D").min()
    july_range = (daily_max - daily_min)[daily_max.index.month == 7].mean()
    assert 7.0 < july_range < 12.0  # Shawbury July normal: 21.1 - 11.5 = 9.6 degC
    daily_mean = temp.resample("D").mean()
    anomaly = daily_mean - daily_mean.rolling(31, center=True, min_periods=1).mean()
    assert anomaly.autocorr(1) > 0.4


def test_annual_irradiation_in_midlands_range(stoke):
    annual_kwh_m2 = float(stoke["ghi"].sum()) / 1000.0
    assert 950.0 <= annual_kwh_m2 <= 1050.0


def test_sunnier_months_follow_sunshine_normals(stoke):
    index = weather.time_index(stoke)
    monthly = pd.Series(stoke["ghi"].values, index=index).groupby(index.month).sum()
    assert monthly.idxmax() in (5, 6, 7)
    assert monthly.idxmin() in (12, 1)


def test_no_sun_at_night_and_components_close(stoke):
    index = weather.time_index(stoke)
    position = weather.solar_position(index, 53.0, -2.18, 150.0)
    night = position["apparent_elevation"].to_numpy() <= 0.0
    for name in ("ghi", "dni", "dhi"):
        assert (stoke[name].values[night] == 0.0).all()
        assert (stoke[name].values >= 0.0).all()
    cos_z = np.clip(np.cos(np.radians(position["zenith"].to_numpy())), 0, None)
    closure = stoke["dhi"].values + stoke["dni"].values * cos_z
    np.testing.assert_allclose(closure, stoke["ghi"].values, atol=2.0)


def test_wind_is_plausible(stoke):
    index = weather.time_index(stoke)
    wind = pd.Series(stoke["wind_speed"].values, index=index)
    assert 4.0 < wind.mean() < 4.7
    assert (wind > 0).all() and wind.max() < 30.0
    by_month = wind.groupby(index.month).mean()
    assert by_month[[12, 1, 2]].mean() > by_month[[6, 7, 8]].mean()
