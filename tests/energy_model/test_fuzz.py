"""Property-based robustness: mutated inputs either load or raise the project's own error.

Scenario files and weather files are mutated (wrong types, missing keys, out-of-range and
huge numbers, empty files, odd encodings); every case must either load or raise a
``ScenarioError`` / ``WeatherError`` with a message, never another exception.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from energy_model.errors import EnergyModelError, ScenarioError
from energy_model.scenario import _load_merged, find_scenario, load_scenario
from weather import WeatherError, read_weather

STOKE = _load_merged(find_scenario("stoke-2030"))


def _paths(node, prefix=()):
    """Every key path of a nested mapping."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*prefix, key)
            yield from _paths(value, (*prefix, key))


PATHS = sorted(_paths(STOKE), key=str)

odd_values = st.one_of(
    st.none(), st.booleans(), st.text(max_size=12),
    st.integers(min_value=-10**12, max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True), st.just(1e308), st.just(-1.0),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(),
                                                         max_size=2),
)


def _mutate(data: dict, path: tuple, action: str, value) -> dict:
    node = data
    for key in path[:-1]:
        node = node[key]
    if action == "delete":
        node.pop(path[-1], None)
    elif action == "rename":
        node[str(path[-1]) + "_typo"] = node.pop(path[-1])
    else:
        node[path[-1]] = value
    return data


def _copy(data):
    return yaml.safe_load(yaml.safe_dump(data))


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutations=st.lists(st.tuples(st.sampled_from(PATHS),
                                    st.sampled_from(["delete", "rename", "replace"]),
                                    odd_values), min_size=1, max_size=3),
       encoding=st.sampled_from(["utf-8", "utf-16", "latin-1"]))
def test_mutated_scenarios_load_or_raise_scenario_error(tmp_path_factory, mutations, encoding):
    data = _copy(STOKE)
    for path, action, value in mutations:
        try:
            data = _mutate(data, path, action, value)
        except (KeyError, TypeError, AttributeError):
            continue  # an earlier mutation removed or replaced this path's parent
    text = yaml.safe_dump(data, allow_unicode=True) + "# déjà vu\n"
    path = tmp_path_factory.mktemp("fuzz") / "s.yaml"
    path.write_bytes(text.encode(encoding, errors="replace"))
    try:
        load_scenario(path)
    except ScenarioError as err:
        assert str(path) in str(err) and err.problems


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=200))
def test_random_bytes_raise_scenario_error(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("bytes") / "s.yaml"
    path.write_bytes(data)
    with pytest.raises(ScenarioError):
        load_scenario(path)


def _weather_frame(hours: int = 48) -> pd.DataFrame:
    time = pd.date_range("2030-01-01", periods=hours, freq="h", tz="UTC")
    sun = np.clip(np.sin((np.arange(hours) % 24 - 6) / 12 * np.pi), 0, None)
    return pd.DataFrame({"time": time.strftime("%Y-%m-%dT%H:%M%z"), "ghi": 300 * sun,
                         "temp_air": 5.0 + sun, "wind_speed": 4.0})


@pytest.mark.filterwarnings("ignore::weather.WeatherWarning")
@settings(max_examples=80, deadline=None)
@given(column=st.sampled_from(["time", "ghi", "temp_air", "wind_speed"]),
       action=st.sampled_from(["drop", "blank", "text", "huge", "negative", "kelvin",
                               "duplicate", "shuffle", "empty"]),
       row=st.integers(min_value=0, max_value=47))
def test_mutated_weather_files_load_or_raise_weather_error(tmp_path_factory, column, action, row):
    frame = _weather_frame()
    if action == "drop":
        frame = frame.drop(columns=column)
    elif action == "blank":
        frame[column] = frame[column].astype(object)
        frame.loc[row:row + 5, column] = None
    elif action == "text":
        frame[column] = frame[column].astype(object)
        frame.loc[row, column] = "n/a"
    elif action in ("huge", "negative", "kelvin") and column != "time":
        frame[column] = frame[column].astype(float)
        frame.loc[row, column] = {"huge": 1e30, "negative": -50.0, "kelvin": 280.0}[action]
    elif action == "duplicate":
        frame = pd.concat([frame, frame.iloc[[row]]]).sort_index()
    elif action == "shuffle":
        frame = frame.sample(frac=1.0, random_state=row)
    elif action == "empty":
        frame = frame.iloc[0:0]
    path = tmp_path_factory.mktemp("weather") / "w.csv"
    frame.to_csv(path, index=False)
    try:
        ds = read_weather(path, latitude=53.0, longitude=-2.18, altitude=150.0)
    except WeatherError as err:
        assert str(path) in str(err) or path.name in str(err)
    else:
        for name in ("ghi", "temp_air", "wind_speed"):
            values = ds[name].to_numpy()
            assert np.all(np.isfinite(values)), name
        assert ds["ghi"].max() <= 1400 and not math.isnan(float(ds["temp_air"].mean()))


def test_project_errors_share_a_base():
    assert issubclass(ScenarioError, EnergyModelError)


SWEEP = yaml.safe_load((find_scenario("stoke-2030").parent / "sweeps" / "battery-cost.yaml")
                       .read_text())
SWEEP["base"] = str(find_scenario("stoke-2030").resolve())
SWEEP_PATHS = sorted(_paths(SWEEP), key=str)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutations=st.lists(st.tuples(st.sampled_from(SWEEP_PATHS),
                                    st.sampled_from(["delete", "rename", "replace"]),
                                    odd_values), min_size=1, max_size=2))
def test_mutated_sweep_files_load_or_raise_the_projects_error(tmp_path_factory, mutations):
    from energy_model.sweep import load_sweep

    data = _copy(SWEEP)
    for path, action, value in mutations:
        try:
            data = _mutate(data, path, action, value)
        except (KeyError, TypeError, AttributeError):
            continue
    path = tmp_path_factory.mktemp("sweep") / "s.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    try:
        load_sweep(path)
    except EnergyModelError as err:
        assert str(err)


ACTUALS = ("year,renewable_generation_gwh,capacity_mw/rooftop_pv,note\n"
           "2023,28,32,baseline\n2024,33,36,x\n2025,38.5,40,y\n")


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(position=st.integers(min_value=0, max_value=len(ACTUALS)),
       insert=st.one_of(st.text(max_size=8), st.sampled_from(["-5", "1e308", ",,", "\n", "nan",
                                                               "\ufeff", "2023"])),
       encoding=st.sampled_from(["utf-8", "utf-16", "latin-1"]),
       cut=st.integers(min_value=0, max_value=len(ACTUALS)))
def test_mutated_actuals_csvs_load_or_raise_the_projects_error(tmp_path_factory, position,
                                                              insert, encoding, cut):
    from energy_model.progress import read_actuals

    text = (ACTUALS[:position] + insert + ACTUALS[position:])[:max(cut, 1) + len(insert)]
    path = tmp_path_factory.mktemp("actuals") / "a.csv"
    path.write_bytes(text.encode(encoding, errors="replace"))
    try:
        read_actuals(path)
    except EnergyModelError as err:
        assert str(err)
