"""From a scenario and a weather year to the plain arrays the model is built from.

Two steps, so that each can be tested and replaced on its own:

1. :func:`hourly_profiles` gives one hourly table for the weather year: capacity factors,
   demands per zone, heat-pump COPs, prices and grid carbon intensity, derived from the
   weather (``weather`` package) and replaced column by column by the scenario's CSVs.
2. :func:`aggregate` cuts the modelled horizon out of it and averages it to the
   scenario's resolution, giving :class:`ModelInputs` (numpy arrays, no pandas lookups
   left for the model builder).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

import weather as wx
from energy_model import prices
from energy_model import technologies as registry
from energy_model.errors import InputDataError
from energy_model.scenario import HOURS_PER_YEAR, Scenario

# Technologies whose output follows a capacity-factor profile (PV, wind)
VRE = registry.technologies(profile="capacity_factor")

# Capacity factors below this are set to zero. Dawn and dusk PV (down to 1e-6) otherwise
# put coefficients ten orders of magnitude apart in the LP, and HiGHS's interior point then
# stalls; what is dropped is under 0.01 % of a year's PV (PyPSA-Eur clips at 1e-2 for the
# same reason, its ``clip_p_max_pu``).
CAPACITY_FACTOR_FLOOR = 1e-3
# Largest time-series CSV read (a leap year of hourly rows for 100 zones is about 20 MB).
MAX_CSV_BYTES = 200_000_000


@dataclass(frozen=True)
class ModelInputs:
    """Everything time-dependent the model needs, at the model's resolution.

    Attributes
    ----------
    time : pandas.DatetimeIndex
        Start of each time step, timezone-aware (UTC).
    step_hours : float
        Hours per time step; every energy sum is weighted by it.
    year_weight : float
        Modelled hours to a year: 8760 / (steps x step_hours). Operating costs,
        emissions and annual targets are scaled by it.
    capacity_factor : dict of str to ndarray
        Available output per MW of capacity [-], per variable renewable.
    electricity_demand_mw, heat_demand_mw : dict of str to ndarray
        Mean demand per zone in each step [MW].
    heat_peak_mw : dict of str to float
        Hourly peak heat demand per zone [MW], before averaging: sizes building plant.
    cop : dict of str to ndarray
        Heat-pump COP per heat-pump technology [-].
    import_price_gbp_per_mwh, export_price_gbp_per_mwh : ndarray
        What a MWh imported costs and a MWh exported earns the system [GBP/MWh].
    grid_co2_t_per_mwh : ndarray
        Average emissions of grid electricity [t/MWh]: the city's footprint.
    grid_marginal_co2_t_per_mwh : ndarray, optional
        Long-run marginal emissions [t/MWh], for valuing a change in import or export;
        the average where not given.
    data_centre_mw, data_centre_waste_heat_mw : ndarray, optional
        A server centre's electric load and its recoverable waste heat [MW].
    weight_h : ndarray, optional
        Hours of the year each step stands for; by default step_hours x year_weight.
        With representative days, a typical day's steps stand for every day it represents.
    day_order : ndarray of int, optional
        With representative days: the typical day standing for each calendar day, in
        order. Storage links the days through it (Kotzur et al. 2018).
    representation_error : pandas.DataFrame, optional
        With representative days: how far the year rebuilt from its typical days is from
        the year itself, per profile (see :func:`representation_error`).
    heat_annual_mwh : dict of str to float, optional
        Heat demand per zone over the whole weather year [MWh/yr], from the hourly
        profile the model uses (a CSV's where one replaces the derived profile).
    """

    @property
    def step_weight_h(self) -> np.ndarray:
        """Hours of the year each step stands for [h]: every annual sum is weighted by it."""
        if self.weight_h is not None:
            return self.weight_h
        return np.full(self.n_steps, self.step_hours * self.year_weight)

    @property
    def steps_per_day(self) -> int:
        """Time steps in a day."""
        return int(round(24 / self.step_hours))

    time: pd.DatetimeIndex
    step_hours: float
    year_weight: float
    capacity_factor: dict[str, np.ndarray]
    electricity_demand_mw: dict[str, np.ndarray]
    heat_demand_mw: dict[str, np.ndarray]
    heat_peak_mw: dict[str, float]
    cop: dict[str, np.ndarray]
    import_price_gbp_per_mwh: np.ndarray
    export_price_gbp_per_mwh: np.ndarray
    grid_co2_t_per_mwh: np.ndarray
    grid_marginal_co2_t_per_mwh: np.ndarray | None = None
    data_centre_mw: np.ndarray | None = None
    data_centre_waste_heat_mw: np.ndarray | None = None
    weight_h: np.ndarray | None = None
    day_order: np.ndarray | None = None
    representation_error: pd.DataFrame | None = None
    heat_annual_mwh: dict[str, float] | None = None

    @property
    def n_steps(self) -> int:
        """Number of time steps."""
        return len(self.time)


def load_weather(scenario: Scenario) -> xr.Dataset:
    """The scenario's weather year: the built-in Stoke year or a file it names."""
    spec = scenario.weather
    if spec.source.startswith("builtin:"):
        which = spec.source.split(":", 1)[1]
        if which != "stoke":
            raise InputDataError(
                f"weather.source: unknown built-in weather '{spec.source}'; "
                "use builtin:stoke or a file path"
            )
        return wx.stoke_typical_year(year=spec.year)
    path = scenario.resolve_path(spec.source)
    return wx.read_weather(
        path,
        year=spec.year,
        latitude=spec.latitude,
        longitude=spec.longitude,
        altitude=spec.altitude_m,
    )


def hourly_profiles(scenario: Scenario, weather: xr.Dataset) -> pd.DataFrame:
    """One hourly table of every time series the model uses, for the whole weather year.

    Columns are ``capacity_factor/<technology>``, ``electricity_demand_mw/<zone>``,
    ``heat_demand_mw/<zone>``, ``cop/<heat-pump technology>``,
    ``import_price_gbp_per_mwh``, ``export_price_gbp_per_mwh`` and ``grid_co2_t_per_mwh``.

    Parameters
    ----------
    scenario : Scenario
    weather : xarray.Dataset
        A weather year from the ``weather`` package.

    Returns
    -------
    pandas.DataFrame
        Indexed by the weather's timezone-aware hourly time index.
    """
    index = wx.time_index(weather)
    tech = scenario.technologies
    cols: dict[str, np.ndarray | pd.Series] = {}
    for name in registry.technologies(resource="sun"):
        pv = tech.section(name)
        if pv is not None:
            cols[f"capacity_factor/{name}"] = wx.pv_capacity_factor(
                weather, tilt_deg=pv.tilt_deg, azimuth_deg=pv.azimuth_deg,
                mounting=pv.mounting, system_loss=pv.system_loss_fraction,
            )
    if tech.wind is not None:
        try:
            cols["capacity_factor/wind"] = wx.wind_capacity_factor(
                weather, hub_height_m=tech.wind.hub_height_m,
                turbine_type=tech.wind.turbine_type,
                roughness_length_m=tech.wind.roughness_length_m,
            )
        except wx.WeatherError as err:
            raise InputDataError(f"technologies.wind.turbine_type: {err}") from None
    # Demand shapes per unit of annual demand [MW per MWh/yr], one per sector.
    sectors = ("domestic", "non_domestic")
    elec_shape = {s: wx.electricity_demand_profile(weather, 1.0, sector=s).to_numpy()
                  for s in sectors}
    heat_shape = {s: wx.heat_demand_profile(weather, 1.0, building=s).to_numpy()
                  for s in sectors}
    for zone_name, zone in scenario.zones.items():
        cols[f"electricity_demand_mw/{zone_name}"] = (
            elec_shape["domestic"] * zone.domestic_electricity_mwh_per_year
            + elec_shape["non_domestic"] * zone.non_domestic_electricity_mwh_per_year)
        cols[f"heat_demand_mw/{zone_name}"] = (
            heat_shape["domestic"] * zone.domestic_heat_mwh_per_year
            + heat_shape["non_domestic"] * zone.non_domestic_heat_mwh_per_year)
    temp_air = weather["temp_air"].to_numpy()
    for name in registry.technologies(profile="cop"):
        hp = tech.section(name)
        if hp is None:
            continue
        source = getattr(hp, "heat_source", "air")
        steady = _steady_source_temp_c(scenario, name)
        if steady is not None:
            source_temp = np.full(len(index), steady)
        elif source == "air":
            source_temp = temp_air
        else:
            source_temp = wx.ground_temperature_c(weather).to_numpy()
        cols[f"cop/{name}"] = np.asarray(wx.heat_pump_cop(
            source_temp, hp.supply_temp_c, source=source,
            correction_factor=hp.cop_correction_factor,
        ), dtype=float)
    n = len(index)
    cols |= prices.grid_columns(scenario, weather, index)
    dc = scenario.data_centre
    if dc is not None:
        utilisation = np.full(n, dc.utilisation_fraction)
        if dc.utilisation_csv is not None:
            data = read_timeseries_csv(scenario.resolve_path(dc.utilisation_csv),
                                       "data_centre.utilisation_csv", ["utilisation_fraction"],
                                       index)
            utilisation = data["utilisation_fraction"].to_numpy()
            if utilisation.max() > 1:
                raise InputDataError(
                    f"data_centre.utilisation_csv ({dc.utilisation_csv}): utilisation_fraction "
                    f"reaches {utilisation.max():g}; it is a share of the IT load, at most 1")
        it_mw = dc.it_load_mw * utilisation
        cols["data_centre_mw"] = it_mw * dc.pue
        cols["data_centre_waste_heat_mw"] = it_mw * dc.waste_heat_recoverable_fraction
    frame = pd.DataFrame(
        {k: np.asarray(v, dtype=float) for k, v in cols.items()}, index=index
    )
    frame = apply_csv_overrides(frame, scenario)
    replaced = {k for k, v in scenario.timeseries.model_dump().items() if v is not None}
    return calibrate_seasonal_cop(prices.import_export(frame, scenario.grid, replaced),
                                  scenario)


def calibrate_seasonal_cop(frame: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Scale individual heat pumps' hourly COP to the scenario's seasonal performance factor.

    The When2Heat fits give the COP's hourly shape; measured UK homes give its level. The
    factor is heat-weighted over every zone's heat demand, as a seasonal performance
    factor is: :math:`\\mathrm{SPF} = \\sum_t H_t / \\sum_t (H_t / \\mathrm{COP}_t)`.
    """
    hp = scenario.technologies.individual_heat_pump
    col = "cop/individual_heat_pump"
    if hp is None or hp.seasonal_performance_factor is None or col not in frame:
        return frame
    heat = frame[[c for c in frame.columns if c.startswith("heat_demand_mw/")]].sum(axis=1)
    heat = heat.to_numpy()
    if not heat.sum():
        return frame
    cop = frame[col].to_numpy()
    spf = heat.sum() / (heat / cop).sum()
    out = frame.copy()
    out[col] = cop * (hp.seasonal_performance_factor / spf)
    return out


def _steady_source_temp_c(scenario: Scenario, name: str) -> float | None:
    """Source temperature of a heat pump fed by a steady source (waste heat, mine water)."""
    if name == "waste_heat_pump" and scenario.data_centre is not None:
        return scenario.data_centre.waste_heat_temp_c
    if name == "mine_water_heat_pump" and scenario.mine_water is not None:
        return scenario.mine_water.temp_c
    return getattr(getattr(scenario.technologies, name), "source_temp_c", None)


def _csv_columns(scenario: Scenario, key: str) -> tuple[str, list[str]]:
    """Column prefix in the hourly table and the value columns a CSV for ``key`` may have."""
    if key in ("electricity_demand_mw", "heat_demand_mw"):
        return f"{key}/", list(scenario.zones)
    if key == "capacity_factor":
        return "capacity_factor/", [t for t in VRE if getattr(scenario.technologies, t)]
    return "", [key]


def read_timeseries_csv(
    path: Path, key: str, allowed: list[str], index: pd.DatetimeIndex
) -> pd.DataFrame:
    """Read a user's hourly CSV and check it against the weather year's time index.

    Parameters
    ----------
    path : Path
        CSV with a ``time`` column (ISO 8601 with a UTC offset) and value columns.
    key : str
        The scenario key naming the file (for messages).
    allowed : list of str
        Value columns that may appear.
    index : pandas.DatetimeIndex
        The hourly, timezone-aware index the values must cover exactly.

    Returns
    -------
    pandas.DataFrame
        Value columns on ``index``.

    Raises
    ------
    InputDataError
        Naming the file, the column and the first offending rows, with the fix.
    """
    where = f"{key if '.' in key else 'timeseries.' + key} ({path})"
    problem = wx.file_problem(path, MAX_CSV_BYTES)
    if problem:
        raise InputDataError(f"{where}: {problem} (paths are relative to the scenario file)")
    try:
        raw = pd.read_csv(path)
    except (ValueError, OSError) as err:  # parser errors, empty files, non-UTF-8 text
        raise InputDataError(f"{where}: not a readable UTF-8 CSV ({err})") from None
    if raw.empty:
        raise InputDataError(f"{where}: a header but no rows; give one row per hour")
    if "time" not in raw.columns:
        raise InputDataError(f"{where}: no 'time' column; add one with ISO 8601 timestamps "
                             "such as 2030-01-01T00:00:00+00:00")
    values = [c for c in raw.columns if c != "time"]
    unknown = [c for c in values if c not in allowed]
    if unknown or not values:
        raise InputDataError(f"{where}: columns {unknown or '(none)'} are not known here; "
                             f"expected some of {allowed}")
    try:
        times = pd.to_datetime(raw["time"], utc=False)
    except (ValueError, TypeError) as err:
        raise InputDataError(f"{where}: column 'time' does not parse as timestamps ({err})") \
            from None
    if getattr(times.dt, "tz", None) is None:
        raise InputDataError(f"{where}: column 'time' has no UTC offset (first value "
                             f"{raw['time'].iloc[0]!r}); write timestamps like "
                             "2030-01-01T00:00:00+00:00")
    times = pd.DatetimeIndex(times).tz_convert("UTC")
    if times.has_duplicates:
        dup = times[times.duplicated()][:3]
        raise InputDataError(f"{where}: duplicated timestamps, first {list(map(str, dup))}")
    missing = index.difference(times)
    if len(missing):
        raise InputDataError(
            f"{where}: {len(missing)} hours of the weather year are missing, first "
            f"{[str(t) for t in missing[:3]]}; give one row per hour from {index[0]} to {index[-1]}"
        )
    frame = raw[values].set_axis(times).reindex(index)
    # capacity factors and utilisation are fractions; no other value may be infinite
    fraction = key in ("capacity_factor", "data_centre.utilisation_csv")
    upper = 1.0 if fraction else np.finfo(float).max
    for col in values:
        try:
            series = pd.to_numeric(frame[col])
        except (ValueError, TypeError):
            raise InputDataError(f"{where}: column '{col}' has values that are not numbers") \
                from None
        bad = series.isna() | (series < 0) | (series > upper)
        if bad.any():
            first = [f"{t} ({v})" for t, v in series[bad][:3].items()]
            raise InputDataError(f"{where}: column '{col}' has empty, negative or infinite "
                                 + ("values or values above 1 " if upper == 1 else "values ")
                                 + f"at {first}; fill them")
        frame[col] = series.astype(float)
    return frame


def apply_csv_overrides(frame: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Replace derived columns by the scenario's CSV time series, where it gives them."""
    out = frame.copy()
    for key, relative in scenario.timeseries.model_dump().items():
        if relative is None:
            continue
        prefix, allowed = _csv_columns(scenario, key)
        data = read_timeseries_csv(scenario.resolve_path(relative), key, allowed, frame.index)
        for col in data.columns:
            out[f"{prefix}{col}" if prefix else col] = data[col].to_numpy()
    return out


def aggregate(hourly: pd.DataFrame, scenario: Scenario) -> ModelInputs:
    """Cut the modelled horizon out of the hourly table and average it to the resolution.

    Parameters
    ----------
    hourly : pandas.DataFrame
        From :func:`hourly_profiles` (or built by hand, with the same column names).
    scenario : Scenario
        Supplies ``time.start_hour``, ``time.horizon_hours`` and ``time.resolution_h``.

    Returns
    -------
    ModelInputs
    """
    spec = scenario.time
    res = spec.resolution_h
    start = spec.start_hour
    horizon = spec.horizon_hours or (len(hourly) - start)
    if start + horizon > len(hourly):
        raise InputDataError(
            f"time: start_hour {start} + horizon_hours {horizon} runs past the weather "
            f"year's {len(hourly)} hours; shorten the horizon"
        )
    if horizon % res:
        raise InputDataError(
            f"time.horizon_hours ({horizon}) is not a whole number of {res}-hour steps; "
            f"use a multiple of {res}"
        )
    window = hourly.iloc[start:start + horizon]
    heat_peak = {
        c.split("/", 1)[1]: float(window[c].max())
        for c in window.columns if c.startswith("heat_demand_mw/")
    }
    steps = to_resolution(window, res)
    weight = np.full(len(steps), HOURS_PER_YEAR / horizon * res)
    day_order = error = None
    if spec.representative_days:
        if start or horizon != len(hourly) or len(hourly) % 24:
            raise InputDataError(
                "time.representative_days needs the whole weather year: remove "
                "time.start_hour and time.horizon_hours")
        year = steps
        steps, weight, day_order = typical_days(year, res, spec.representative_days)
        weight = weight * HOURS_PER_YEAR / horizon
        error = representation_error(year, steps, day_order)

    def column(col: str) -> np.ndarray:
        return steps[col].to_numpy()

    def group(prefix: str) -> dict[str, np.ndarray]:
        return {c.split("/", 1)[1]: column(c) for c in steps.columns
                if c.startswith(prefix + "/")}

    return ModelInputs(
        time=steps.index,
        step_hours=float(res),
        year_weight=HOURS_PER_YEAR / horizon,
        capacity_factor={g: np.where(cf < CAPACITY_FACTOR_FLOOR, 0.0, cf)
                         for g, cf in group("capacity_factor").items()},
        electricity_demand_mw=group("electricity_demand_mw"),
        heat_demand_mw=group("heat_demand_mw"),
        heat_peak_mw=heat_peak,
        cop=group("cop"),
        import_price_gbp_per_mwh=column("import_price_gbp_per_mwh"),
        export_price_gbp_per_mwh=column("export_price_gbp_per_mwh"),
        grid_co2_t_per_mwh=column("grid_co2_t_per_mwh"),
        grid_marginal_co2_t_per_mwh=column("grid_marginal_co2_t_per_mwh")
        if "grid_marginal_co2_t_per_mwh" in steps else None,
        data_centre_mw=column("data_centre_mw") if "data_centre_mw" in steps else None,
        data_centre_waste_heat_mw=column("data_centre_waste_heat_mw")
        if "data_centre_waste_heat_mw" in steps else None,
        weight_h=weight,
        day_order=day_order,
        representation_error=error,
        heat_annual_mwh={c.split("/", 1)[1]: float(hourly[c].sum())
                         for c in hourly.columns if c.startswith("heat_demand_mw/")},
    )


def to_resolution(window: pd.DataFrame, res: int) -> pd.DataFrame:
    """Average an hourly table to ``res``-hour steps (COPs by harmonic mean, so that the
    electricity a heat pump uses over the step is right for a steady heat output)."""
    n = len(window) // res
    out = {}
    for col in window.columns:
        values = window[col].to_numpy().reshape(n, res)
        out[col] = (1.0 / (1.0 / values).mean(axis=1) if col.startswith("cop/")
                    else values.mean(axis=1))
    return pd.DataFrame(out, index=window.index[::res])


EXTREME_METHOD = "append"


def typical_days(steps: pd.DataFrame, res: int, n_days: int
                 ) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Cluster a year of steps into typical days with tsam (hierarchical, medoids).

    Parameters
    ----------
    steps : pandas.DataFrame
        A whole year at ``res``-hour steps (from :func:`to_resolution`).
    res : int
        Hours per step.
    n_days : int
        Number of typical days.

    Returns
    -------
    frame : pandas.DataFrame
        The typical days one after another; each step is stamped with its time on the
        first calendar day the typical day stands for.
    weight_h : ndarray
        Hours of the year each step stands for (days represented x step hours).
    day_order : ndarray of int
        The typical day standing for each calendar day, in order.
    """
    import tsam

    per_day = 24 // res
    days = len(steps) // per_day
    if not 1 <= n_days <= days:
        raise InputDataError(f"time.representative_days must be between 1 and {days}, "
                             f"got {n_days}")
    data = steps.set_axis(steps.index.tz_convert("UTC").tz_localize(None))
    varying = [c for c in data.columns if np.ptp(data[c].to_numpy()) > 0]
    # Keep the days of peak heat and electricity demand whole: they size boilers,
    # pipes and batteries, and averaging into a typical day would shave them.
    extremes = {f"peak/{kind}": data[[c for c in varying if c.startswith(f"{kind}/")]].sum(axis=1)
                for kind in ("heat_demand_mw", "electricity_demand_mw")}
    extremes = {k: v for k, v in extremes.items() if np.ptp(v.to_numpy()) > 0}
    table = pd.concat([data[varying], pd.DataFrame(extremes)], axis=1)
    result = tsam.aggregate(
        table, n_days, period_duration=24, temporal_resolution=float(res),
        extremes=tsam.ExtremeConfig(method=EXTREME_METHOD, max_value=list(extremes)))
    order = np.asarray(result.cluster_assignments, dtype=int)
    counts = result.cluster_counts
    reps = result.cluster_representatives
    clusters = sorted(counts)
    frames, weights = [], []
    for c in clusters:
        first_day = int(np.flatnonzero(order == c)[0])
        block = steps.iloc[first_day * per_day:(first_day + 1) * per_day].copy()
        block[varying] = reps.loc[c, varying].to_numpy()
        frames.append(block)
        weights.append(np.full(per_day, counts[c] * res))
    renumber = {c: i for i, c in enumerate(clusters)}
    frame = pd.concat(frames)
    return frame, np.concatenate(weights), np.array([renumber[c] for c in order])


def representation_error(year: pd.DataFrame, typical: pd.DataFrame, day_order: np.ndarray
                         ) -> pd.DataFrame:
    """How well typical days stand for the year: the year rebuilt from its typical days in
    calendar order, against the year, for the profiles that drive the plan.

    Parameters
    ----------
    year : pandas.DataFrame
        The whole year of steps that was clustered.
    typical : pandas.DataFrame
        The typical days one after another (from :func:`typical_days`).
    day_order : ndarray of int
        The typical day standing for each calendar day.

    Returns
    -------
    pandas.DataFrame
        One row per profile (city heat and electricity demand, each capacity factor),
        with ``annual_error_pct`` (rebuilt annual sum against the year's), ``peak_error_pct``
        (rebuilt maximum against the year's), ``rmse_pct_of_mean`` (step by step, in
        calendar order: what storage sees) and ``duration_rmse_pct_of_mean`` (sorted:
        what sizing sees), all in % of the year's mean or peak.
    """
    per_day = len(year) // len(day_order)
    index = (np.asarray(day_order)[:, None] * per_day + np.arange(per_day)).ravel()

    def profiles(frame: pd.DataFrame) -> dict[str, np.ndarray]:
        out = {}
        for prefix, label in (("heat_demand_mw/", "heat_demand_mw"),
                              ("electricity_demand_mw/", "electricity_demand_mw")):
            cols = [c for c in frame.columns if c.startswith(prefix)]
            if cols:
                out[label] = frame[cols].to_numpy().sum(axis=1)
        out |= {c: frame[c].to_numpy() for c in frame.columns
                if c.startswith("capacity_factor/")}
        return out

    rows = {}
    typical_profiles = profiles(typical)
    for name, actual in profiles(year).items():
        rebuilt = typical_profiles[name][index]
        mean = np.abs(actual).mean() or 1.0
        peak = np.abs(actual).max() or 1.0
        rows[name] = {
            "annual_error_pct": 100 * (rebuilt.sum() - actual.sum()) / (np.abs(actual).sum()
                                                                       or 1.0),
            "peak_error_pct": 100 * (rebuilt.max() - actual.max()) / peak,
            "rmse_pct_of_mean": 100 * np.sqrt(np.mean((rebuilt - actual) ** 2)) / mean,
            "duration_rmse_pct_of_mean": 100 * np.sqrt(np.mean(
                (np.sort(rebuilt) - np.sort(actual)) ** 2)) / mean,
        }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("profile")


def prepare_inputs(scenario: Scenario, weather: xr.Dataset | None = None) -> ModelInputs:
    """Weather year to model inputs in one call: :func:`hourly_profiles` then :func:`aggregate`."""
    if weather is None:
        weather = load_weather(scenario)
    return aggregate(hourly_profiles(scenario, weather), scenario)
