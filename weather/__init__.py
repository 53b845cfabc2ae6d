"""Weather years in, hourly profiles out.

Read a site's weather year (EPW, PVGIS TMY CSV/JSON, the plain CSV format, ERA5 NetCDF) or
generate the built-in Stoke-on-Trent year, then derive hourly profiles from it: PV and wind
capacity factors, heat-pump COP, heat and electricity demand shapes.

Time convention: a weather year is an ``xarray.Dataset`` on an hourly ``time`` dimension whose
values are UTC instants stored without a zone (so NetCDF can hold them), with
``attrs["timezone"] == "UTC"``. Get the timezone-aware index with :func:`time_index`; every
profile is a ``pandas.Series`` on that index. Each stamp is the start of its hour. See
:mod:`weather.dataset` for the full convention.

Nothing here imports Pyomo or ``energy_model``.
"""

from weather.errors import WeatherError, WeatherWarning, file_problem
from weather.lazy import lazy_exports

# Public names and the module each lives in; imported on first use (PEP 562), so that
# `from weather import WeatherError` does not load pvlib, scipy and matplotlib.
_LAZY = {
    **dict.fromkeys(("LIMITS", "MAX_GAP_HOURS", "UNITS", "decompose_ghi", "map_to_year",
                     "solar_position", "time_index", "weather_from_frame"), "dataset"),
    "electricity_demand_profile": "electricity",
    **dict.fromkeys(("COP_COEFFICIENTS", "GB_HEATING_THRESHOLD_C", "bdew_daily_heat",
                     "ground_temperature_c", "heat_demand_profile", "heat_pump_cop"), "heat"),
    "england_bank_holidays": "holidays",
    "plot_year": "plot",
    **dict.fromkeys(("PLAIN_CSV_COLUMNS", "read_epw", "read_era5_netcdf", "read_plain_csv",
                     "read_pvgis_tmy", "read_weather"), "readers"),
    "pv_capacity_factor": "solar",
    **dict.fromkeys(("monthly_mean_temperature_c", "stoke_typical_year"), "stoke"),
    **dict.fromkeys(("turbine_power_curve", "wind_capacity_factor"), "wind"),
}


__getattr__, __dir__ = lazy_exports(__name__, _LAZY)


__all__ = [
    "COP_COEFFICIENTS",
    "GB_HEATING_THRESHOLD_C",
    "LIMITS",
    "MAX_GAP_HOURS",
    "PLAIN_CSV_COLUMNS",
    "UNITS",
    "WeatherError",
    "file_problem",
    "WeatherWarning",
    "bdew_daily_heat",
    "decompose_ghi",
    "electricity_demand_profile",
    "england_bank_holidays",
    "ground_temperature_c",
    "heat_demand_profile",
    "heat_pump_cop",
    "map_to_year",
    "monthly_mean_temperature_c",
    "plot_year",
    "pv_capacity_factor",
    "read_epw",
    "read_era5_netcdf",
    "read_plain_csv",
    "read_pvgis_tmy",
    "read_weather",
    "solar_position",
    "stoke_typical_year",
    "time_index",
    "turbine_power_curve",
    "weather_from_frame",
    "wind_capacity_factor",
]
