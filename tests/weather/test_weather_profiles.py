"""Profiles: physical checks and published values."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import weather


def _flat_weather(wind_speed: np.ndarray) -> object:
    index = pd.date_range("2030-01-01", periods=len(wind_speed), freq="h", tz="UTC")
    frame = pd.DataFrame({"ghi": 0.0, "dni": 0.0, "dhi": 0.0, "temp_air": 10.0,
                          "wind_speed": wind_speed}, index=index)
    return weather.weather_from_frame(frame, latitude=53.0, longitude=-2.18)


# --- PV -----------------------------------------------------------------------------------

def test_pv_yield_at_stoke(stoke):
    cf = weather.pv_capacity_factor(stoke, tilt_deg=35.0, azimuth_deg=180.0)
    assert cf.index.equals(weather.time_index(stoke))
    assert 850.0 <= cf.sum() <= 950.0  # kWh/kWp a year
    assert cf.min() >= 0.0 and cf.max() <= 1.0


def test_pv_physics(stoke):
    south = weather.pv_capacity_factor(stoke)
    north = weather.pv_capacity_factor(stoke, azimuth_deg=0.0)
    roof = weather.pv_capacity_factor(stoke, mounting="roof")
    assert north.sum() < 0.8 * south.sum()
    assert roof.sum() < south.sum()
    position = weather.solar_position(south.index, 53.0, -2.18, 150.0)
    assert (south[position["apparent_elevation"].to_numpy() <= 0.0] == 0.0).all()
    with pytest.raises(ValueError, match="mounting"):
        weather.pv_capacity_factor(stoke, mounting="tracker")


def test_pv_on_real_file(pvgis_csv):
    cf = weather.pv_capacity_factor(pvgis_csv)
    # Piedmont: PVGIS reports roughly 1,300-1,450 kWh/kWp for an optimally tilted array.
    assert 1150.0 < cf.sum() < 1550.0
    assert cf.between(0.0, 1.0).all()


# --- wind ---------------------------------------------------------------------------------

def test_wind_capacity_factor_range(stoke):
    cf = weather.wind_capacity_factor(stoke)
    assert cf.index.equals(weather.time_index(stoke))
    assert cf.between(0.0, 1.0).all()
    assert 0.15 < cf.mean() < 0.45


def test_wind_cut_in_and_cut_out():
    speeds, power = weather.turbine_power_curve("E-126/4200")
    assert power.max() == pytest.approx(1.0)
    hub_speeds = np.array([0.0, 1.5, 2.0, 8.0, 12.0, 17.0, 25.0, 26.0, 40.0])
    ds = _flat_weather(hub_speeds)
    # measurement at hub height: no extrapolation
    ds["wind_speed"].attrs["height_m"] = 100.0
    cf = weather.wind_capacity_factor(ds, hub_height_m=100.0)
    assert (cf.iloc[:3] == 0.0).all()           # below cut-in
    assert 0.0 < cf.iloc[3] < cf.iloc[4] < 1.0
    assert cf.iloc[5] == pytest.approx(1.0)     # rated
    assert (cf.iloc[7:] == 0.0).all()           # above cut-out (25 m/s)


def test_wind_log_law_raises_speed_with_height():
    ds = _flat_weather(np.full(24, 5.0))
    low = weather.wind_capacity_factor(ds, hub_height_m=60.0)
    high = weather.wind_capacity_factor(ds, hub_height_m=120.0)
    assert (high > low).all()


def test_unknown_turbine():
    with pytest.raises(ValueError, match="get_turbine_types"):
        weather.turbine_power_curve("no-such-turbine")


# --- heat pumps ---------------------------------------------------------------------------

@pytest.mark.parametrize("source", ["air", "ground", "water"])
def test_cop_falls_as_lift_grows(source):
    sink = np.arange(20.0, 76.0, 1.0)
    cop = weather.heat_pump_cop(np.zeros_like(sink), sink, source=source)
    assert (np.diff(cop) < 0).all()
    assert (cop > 1.0).all()


def test_cop_published_fit_and_types():
    # air, dT = 40 K: 0.85 * (6.08 - 0.0941 * 40 + 0.000464 * 1600) = 2.59964
    assert weather.heat_pump_cop(5.0, 45.0, "air") == pytest.approx(2.59964)
    assert isinstance(weather.heat_pump_cop(5.0, 45.0), float)
    assert weather.heat_pump_cop(5.0, 45.0, correction_factor=1.0) == pytest.approx(3.0584)
    series = pd.Series([0.0, 10.0], index=pd.date_range("2030", periods=2, freq="h", tz="UTC"))
    result = weather.heat_pump_cop(series, 55.0, "ground")
    assert isinstance(result, pd.Series) and result.index.equals(series.index)
    assert isinstance(weather.heat_pump_cop(np.array([0.0, 5.0]), 50.0), np.ndarray)
    # lifts under 15 K are held at 15 K
    assert weather.heat_pump_cop(30.0, 35.0) == weather.heat_pump_cop(20.0, 35.0)


def test_ground_temperature_is_damped_and_lagged(stoke):
    ground = weather.ground_temperature_c(stoke)
    air = pd.Series(stoke["temp_air"].values, index=ground.index)
    air_daily = air.resample("D").mean()
    ground_daily = ground.resample("D").mean()
    assert ground_daily.max() - ground_daily.min() < 0.8 * (air_daily.max() - air_daily.min())
    assert ground.mean() == pytest.approx(air.mean(), abs=0.3)
    # the annual wave reaches 1.5 m about six weeks late: coldest ground after mid-January
    assert pd.Timestamp("2030-01-25", tz="UTC") < ground_daily.idxmin() < pd.Timestamp(
        "2030-04-15", tz="UTC")


# --- heat demand --------------------------------------------------------------------------

@pytest.mark.parametrize("building", ["domestic", "non_domestic"])
def test_heat_demand_sums_and_follows_cold(stoke, building):
    heat = weather.heat_demand_profile(stoke, 1000.0, building)
    assert heat.index.equals(weather.time_index(stoke))
    assert heat.sum() == pytest.approx(1000.0)
    assert (heat >= 0.0).all()
    temp = pd.Series(stoke["temp_air"].values, index=heat.index)
    daily_heat = heat.tz_convert("Europe/London").resample("D").sum()
    daily_temp = temp.tz_convert("Europe/London").resample("D").mean()
    assert daily_heat.corr(daily_temp) < -0.9
    coldest = daily_temp.nsmallest(10).index
    assert daily_heat.idxmax() in coldest or daily_heat[coldest].mean() > daily_heat.quantile(0.95)
    assert daily_heat[coldest].mean() > 3.0 * daily_heat[daily_temp.nlargest(30).index].mean()


def test_domestic_hot_water_share(stoke):
    heat = weather.heat_demand_profile(stoke, 1000.0, "domestic")
    no_water = weather.heat_demand_profile(stoke, 1000.0, "domestic", hot_water_share=0.0)
    assert no_water[no_water.index.month == 7].sum() < heat[heat.index.month == 7].sum()
    warm_days = heat[heat.index.month == 7]
    assert warm_days.min() >= 0.0 and warm_days.sum() > 0.0


# --- electricity --------------------------------------------------------------------------

@pytest.mark.parametrize("sector", ["domestic", "non_domestic"])
def test_electricity_demand_sums(stoke, sector):
    demand = weather.electricity_demand_profile(stoke, 2.7, sector)
    assert demand.index.equals(weather.time_index(stoke))
    assert demand.sum() == pytest.approx(2.7)
    assert (demand > 0.0).all()
    monthly = demand.groupby(demand.index.month).sum()
    assert monthly[[12, 1]].mean() > monthly[[6, 7]].mean() or sector == "non_domestic"


def test_electricity_on_local_clock_and_day_types():
    index = pd.date_range("2030-01-01", "2030-12-31 23:00", freq="h", tz="UTC")
    homes = weather.electricity_demand_profile(index, 1.0, "domestic")
    local = homes.tz_convert("Europe/London")
    peak_hour = {m: local[local.index.month == m].groupby(
        local[local.index.month == m].index.hour).mean().idxmax() for m in (1, 7)}
    assert 17 <= peak_hour[1] <= 21 and 17 <= peak_hour[7] <= 21
    business = weather.electricity_demand_profile(index, 1.0, "non_domestic")
    daily = business.tz_convert("Europe/London").resample("D").sum()
    weekdays = daily[daily.index.day_of_week < 5].mean()
    sundays = daily[daily.index.day_of_week == 6].mean()
    assert weekdays > 1.2 * sundays
    good_friday = daily[pd.Timestamp("2030-04-19", tz="Europe/London")]
    assert good_friday < 0.9 * weekdays


def test_england_bank_holidays():
    days = weather.england_bank_holidays(2030)
    assert dt.date(2030, 4, 19) in days and dt.date(2030, 4, 22) in days  # Easter 21 April
    assert dt.date(2030, 5, 6) in days and dt.date(2030, 5, 27) in days
    assert dt.date(2030, 8, 26) in days
    christmas_2027 = weather.england_bank_holidays(2027)  # 25 Dec 2027 is a Saturday
    assert dt.date(2027, 12, 27) in christmas_2027 and dt.date(2027, 12, 28) in christmas_2027
    assert len(days) == 8


# --- plot ---------------------------------------------------------------------------------

def test_plot_year_writes_png(stoke, tmp_path):
    profiles = {"PV [MW/MWp]": weather.pv_capacity_factor(stoke),
                "heat [MW]": weather.heat_demand_profile(stoke, 100.0)}
    path = weather.plot_year(stoke, profiles, tmp_path / "plots" / "year.png")
    assert path.exists() and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
