"""PV output per unit of DC capacity, through pvlib, PVWatts-style."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
import pvlib
import xarray as xr

from weather.dataset import quiet_dependencies, solar_position, time_index

#: SAPM cell-temperature parameters by mounting (King et al. 2004, as tabulated in pvlib):
#: free-standing racks, and modules mounted close to a roof.
MOUNTING_TEMPERATURE_MODEL = {
    "open_rack": "open_rack_glass_polymer",
    "roof": "close_mount_glass_glass",
}

#: Temperature coefficient of DC power [1/K]; NREL PVWatts version 8, "standard" module.
GAMMA_PDC_PER_K = -0.0037


def pv_capacity_factor(
    weather: xr.Dataset,
    tilt_deg: float = 35.0,
    azimuth_deg: float = 180.0,
    mounting: Literal["open_rack", "roof"] = "open_rack",
    system_loss: float = 0.14,
    *,
    inverter_efficiency: float = 0.96,
    albedo: float = 0.2,
) -> pd.Series:
    """Hourly PV output per unit of DC capacity (capacity factor).

    Steps: sun position at mid-hour; Hay-Davies transposition of ``ghi``, ``dni``, ``dhi`` to
    the plane of the array, plus ground reflection; the Fresnel/Snell ("physical") incidence
    angle modifier on the beam part; SAPM cell temperature for the mounting, driven by
    ``temp_air`` and ``wind_speed``; PVWatts DC power with a temperature coefficient of
    ``GAMMA_PDC_PER_K``; then a flat ``system_loss`` (PVWatts default 14 %: soiling, shading,
    mismatch, wiring, availability, degradation) and a flat inverter efficiency.

    Parameters
    ----------
    weather : xarray.Dataset
        A weather year (see :mod:`weather.dataset`).
    tilt_deg : float, default 35
        Array tilt from horizontal [deg].
    azimuth_deg : float, default 180
        Array azimuth [deg east of north]; 180 faces south.
    mounting : {"open_rack", "roof"}, default "open_rack"
        Ground or flat-roof racks, or modules close to a pitched roof (run hotter).
    system_loss : float, default 0.14
        DC system losses [fraction].
    inverter_efficiency : float, default 0.96
        [fraction].
    albedo : float, default 0.2
        Ground reflectance [fraction].

    Returns
    -------
    pandas.Series
        Capacity factor [MW per MWp of DC capacity], in [0, 1], on the weather's UTC index.
    """
    if mounting not in MOUNTING_TEMPERATURE_MODEL:
        raise ValueError(f"mounting must be one of {sorted(MOUNTING_TEMPERATURE_MODEL)}, "
                         f"not {mounting!r}")
    if not 0.0 <= system_loss < 1.0:
        raise ValueError(f"system_loss must be a fraction in [0, 1), not {system_loss}")
    index = time_index(weather)
    lat, lon, alt = (weather.attrs["latitude"], weather.attrs["longitude"],
                     weather.attrs.get("altitude", 0.0))
    position = solar_position(index, lat, lon, alt)
    zenith = position["apparent_zenith"].to_numpy()
    sun_azimuth = position["azimuth"].to_numpy()
    ghi, dni, dhi = (weather[v].to_numpy() for v in ("ghi", "dni", "dhi"))
    with quiet_dependencies():
        dni_extra = np.asarray(pvlib.irradiance.get_extra_radiation(
            (index + pd.Timedelta(minutes=30)).day_of_year.to_numpy()))
        poa = pvlib.irradiance.get_total_irradiance(
            tilt_deg, azimuth_deg, zenith, sun_azimuth, dni, ghi, dhi,
            dni_extra=dni_extra, model="haydavies", albedo=albedo,
        )
        aoi = pvlib.irradiance.aoi(tilt_deg, azimuth_deg, zenith, sun_azimuth)
        iam = pvlib.iam.physical(aoi)
    beam = np.nan_to_num(np.asarray(poa["poa_direct"], dtype=float)) * np.nan_to_num(iam)
    diffuse = np.nan_to_num(np.asarray(poa["poa_diffuse"], dtype=float))
    effective = np.clip(beam + diffuse, 0.0, None)
    params = pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"][
        MOUNTING_TEMPERATURE_MODEL[mounting]]
    temp_cell = pvlib.temperature.sapm_cell(
        effective, weather["temp_air"].to_numpy(), weather["wind_speed"].to_numpy(), **params)
    dc = pvlib.pvsystem.pvwatts_dc(effective, temp_cell, pdc0=1.0, gamma_pdc=GAMMA_PDC_PER_K)
    ac = np.clip(np.asarray(dc) * (1.0 - system_loss) * inverter_efficiency, 0.0, 1.0)
    return pd.Series(ac, index=index, name="pv_capacity_factor")
