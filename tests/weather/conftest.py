"""Shared fixtures for the weather tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import weather

DATA = Path(__file__).parent / "data"
PVGIS_STEM = "tmy_45.000_8.000_2005_2023"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def stoke():
    return weather.stoke_typical_year(2030)


@pytest.fixture(scope="session")
def pvgis_csv():
    return weather.read_weather(DATA / f"{PVGIS_STEM}.csv", year=2030)


def write_plain_csv(path: Path, frame: pd.DataFrame, header: dict[str, object] | None = None,
                    time_format: str = "%Y-%m-%dT%H:%M%z") -> Path:
    """Write ``frame`` (index = stamps) in the plain CSV format."""
    lines = [f"# {k}: {v}" for k, v in (header or {}).items()]
    table = frame.copy()
    if isinstance(table.index, pd.DatetimeIndex):
        stamps = table.index.strftime(time_format)
    else:
        stamps = table.index.astype(str)
    table.insert(0, "time", stamps)
    path.write_text("\n".join(lines + [table.to_csv(index=False, na_rep="")]))
    return path


def small_frame(hours: int = 48, start: str = "2030-06-01 00:00", tz: str | None = "UTC"
                ) -> pd.DataFrame:
    """Two clear-ish June days at Stoke with ghi, temp_air and wind_speed."""
    index = pd.date_range(start, periods=hours, freq="h", tz=tz)
    utc = index if tz else index.tz_localize("UTC")
    position = weather.solar_position(utc, 53.0, -2.18)
    ghi = 800.0 * np.clip(np.cos(np.radians(position["zenith"].to_numpy())), 0.0, None)
    return pd.DataFrame({
        "ghi": ghi.round(1),
        "temp_air": 15.0 + 5.0 * np.sin(np.arange(hours) / 24 * 2 * np.pi),
        "wind_speed": np.full(hours, 4.0),
    }, index=index)
