"""Every input that once gave a traceback (issue 19) now gives one clear message and exit 2.

Each case runs through the command line (``main``) and checks the exit code and that the
message names the file or field and says what is wrong.
"""

from __future__ import annotations

import json
import os
import shutil

import pandas as pd
import pytest
import xarray as xr

from energy_model.cli import main
from energy_model.scenario import find_scenario

STOKE = find_scenario("stoke-2030").resolve()
GEOJSON = STOKE.parent / "stoke-network.geojson"
TINY = ("name: tiny\ntime: {horizon_hours: 48, resolution_h: 24}\n"
        "grid: {import_price_gbp_per_mwh: 100}\n"
        "zones: {A: {households: 10, domestic_electricity_mwh_per_year: 8760, "
        "domestic_heat_mwh_per_year: 0}}\n")


def _weather_csv(path, header: str = "# latitude: 53\n# longitude: -2.2\n") -> str:
    index = pd.date_range("2030-01-01", periods=8760, freq="h", tz="UTC")
    frame = pd.DataFrame({"time": index.strftime("%Y-%m-%dT%H:%M%z"), "ghi": 100.0,
                          "temp_air": 8.0, "wind_speed": 5.0})
    path.write_text(header + frame.to_csv(index=False))
    return str(path)


def _stoke_with_geojson(tmp_path, mutate) -> str:
    data = json.loads(GEOJSON.read_text())
    pipe = next(f for f in data["features"] if f["geometry"]["type"] == "LineString")
    mutate(pipe)
    text = json.dumps(data).replace("Infinity", "1e400")
    (tmp_path / "net.geojson").write_text(text)
    return _scenario(tmp_path, f"extends: {STOKE}\nname: s\nnetwork: {{geojson: net.geojson}}\n")


def _scenario(tmp_path, text: str) -> str:
    path = tmp_path / "s.yaml"
    path.write_text(text)
    return str(path)


def _tiny(tmp_path, extra: str = "", technologies: str = "{}") -> str:
    return _scenario(tmp_path, TINY + f"technologies: {technologies}\n" + extra)


CASES = {
    "yaml nested 500 levels": (
        lambda t: ["validate", _scenario(t, "name: " + "[" * 500 + "]" * 500 + "\n")],
        "nested more than 50 levels deep"),
    "geojson nested deeply": (
        lambda t: ["validate", _stoke_with_geojson(t, lambda p: p["properties"].update(
            name="[" * 100_000 + "]" * 100_000))],
        None),  # replaced below: a string is not nesting
    "geojson length_km 1e400": (
        lambda t: ["validate", _stoke_with_geojson(
            t, lambda p: p["properties"].update(length_km=float("inf")))],
        "'length_km' must be a number [km], got inf"),
    "geojson start is a list": (
        lambda t: ["validate", _stoke_with_geojson(
            t, lambda p: p["properties"].update(start=["Hanley"]))],
        "'start' must name a node, got ['Hanley']"),
    "geojson max_capacity_mw 1e308": (
        lambda t: ["validate", _stoke_with_geojson(
            t, lambda p: p["properties"].update(max_capacity_mw=1e308))],
        "max_capacity_mw = 1e+308 is above 100000"),
    "infinite zone demand": (
        lambda t: ["validate", _scenario(t, TINY.replace("8760", ".inf")
                                            + "technologies: {}\n")],
        "zones.A.domestic_electricity_mwh_per_year: Input should be a finite number"),
    "potential 1e308": (
        lambda t: ["validate", _tiny(t, technologies="{ground_pv: {capex_gbp_per_kw: 500, "
                                                      "lifetime_years: 25, potential_mw: 1e308}}")],
        "technologies.ground_pv.potential_mw: Input should be less than or equal to"),
    "csv with a header only": (
        lambda t: ["validate", _tiny(t, "timeseries: {import_price_gbp_per_mwh: p.csv}\n")
                   if (t / "p.csv").write_text("time,import_price_gbp_per_mwh\n") else None],
        "p.csv): a header but no rows"),
    "csv path is a folder": (
        lambda t: ["validate", _tiny(t, "timeseries: {import_price_gbp_per_mwh: .}\n")],
        "timeseries.import_price_gbp_per_mwh"),
    "weather csv not utf-8": (
        lambda t: ["validate", _tiny(t, "weather: {source: w.csv}\n")]
        if (t / "w.csv").write_bytes(b"# name: Caf\xe9\ntime,ghi\n") else None,
        "w.csv: the file is not UTF-8 text"),
    "wind_height_m -10": (
        lambda t: ["validate", _tiny(t, "weather: {source: w.csv}\n")]
        if _weather_csv(t / "w.csv", "# latitude: 53\n# longitude: -2\n# wind_height_m: -10\n")
        else None,
        "wind_height_m (height of the wind measurement) is -10.0"),
    "latitude 1000": (
        lambda t: ["validate", _tiny(t, "weather: {source: w.csv}\n")]
        if _weather_csv(t / "w.csv", "# latitude: 1000\n# longitude: -2\n") else None,
        "latitude [deg N] is 1000.0"),
    "latitude nan": (
        lambda t: ["validate", _tiny(t, "weather: {source: w.csv}\n")]
        if _weather_csv(t / "w.csv", "# latitude: nan\n# longitude: -2\n") else None,
        "'# latitude: nan' is not a finite number"),
    "unknown turbine_type": (
        lambda t: ["validate", _tiny(t, technologies="{wind: {capex_gbp_per_kw: 1000, "
                                                      "lifetime_years: 25, turbine_type: NOPE}}")],
        "technologies.wind.turbine_type: windpowerlib has no"),
    "pvgis json that is a list": (
        lambda t: ["validate", _tiny(t, "weather: {source: pv.json}\n")]
        if (t / "pv.json").write_text("[1, 2, 3]") else None,
        "pv.json: not a readable PVGIS TMY file"),
    "pvgis json nested deeply": (
        lambda t: ["validate", _tiny(t, "weather: {source: pv.json}\n")]
        if (t / "pv.json").write_text("[" * 100_000 + "]" * 100_000) else None,
        "pv.json: not a readable PVGIS TMY file"),
    "system_loss_fraction 1.0": (
        lambda t: ["validate", _tiny(t, technologies="{rooftop_pv: {capex_gbp_per_kw: 900, "
                                                      "lifetime_years: 25, "
                                                      "system_loss_fraction: 1.0}}")],
        "technologies.rooftop_pv.system_loss_fraction: Input should be less than 1"),
    "progress year -1e15": (
        lambda t: ["progress", str(t / "a.csv"), "--baseline-mwh", "1", "--multiplier", "2",
                   "--target-year", "2030"]
        if (t / "a.csv").write_text("year,renewable_generation_mwh\n2023,1\n"
                                    "-1000000000000000,2\n") else None,
        "line 3: year '-1000000000000000' is not a whole number from 1900 to 2200"),
    "progress field over 131072 characters": (
        lambda t: ["progress", str(t / "a.csv"), "--baseline-mwh", "1", "--multiplier", "2",
                   "--target-year", "2030"]
        if (t / "a.csv").write_text("year,renewable_generation_mwh\n2023,1\n2024,"
                                    + "9" * 140_000 + "\n") else None,
        "line 3: not CSV (field larger than field limit"),
    "progress --out names a file": (
        lambda t: ["progress", str(t / "a.csv"), "--baseline-mwh", "1", "--multiplier", "2",
                   "--target-year", "2030", "--out", str(t / "a.csv")]
        if (t / "a.csv").write_text("year,renewable_generation_mwh\n2023,1\n") else None,
        "--out names a file"),
}
del CASES["geojson nested deeply"]
CASES["geojson nested deeply"] = (
    lambda t: ["validate", _scenario(t, f"extends: {STOKE}\nname: s\n"
                                        "network: {geojson: deep.geojson}\n")]
    if (t / "deep.geojson").write_text('{"features": ' + "[" * 100_000 + "]" * 100_000 + "}")
    else None,
    "nested too deeply")


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_gives_one_clear_message(tmp_path, capsys, case):
    make, expected = CASES[case]
    argv = make(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and expected in err, err
    assert "Traceback" not in err


@pytest.mark.parametrize("argv, expected", [
    (["--target-year", "100000000"], "argument --target-year: '100000000' is not a year"),
    (["--target-year", "2030", "--multiplier", "-3"], "'-3' is not a finite number > 0"),
    (["--target-year", "2030", "--multiplier", "nan"], "'nan' is not a finite number > 0"),
    (["--target-year", "2030", "--multiplier", "2", "--baseline-gwh", "inf"],
     "'inf' is not a finite number >= 0"),
])
def test_progress_arguments_are_checked(tmp_path, capsys, argv, expected):
    (tmp_path / "a.csv").write_text("year,renewable_generation_mwh\n2023,1\n")
    with pytest.raises(SystemExit) as exit_:
        main(["progress", str(tmp_path / "a.csv"), *argv])
    assert exit_.value.code == 2
    assert expected in capsys.readouterr().err


def test_scenario_without_retrofit_or_fuel_poverty_runs(tmp_path):
    out = tmp_path / "out"
    assert main(["run", _tiny(tmp_path), "--out", str(out)]) == 0
    ds = xr.load_dataset(out / "results.nc")
    assert (ds["retrofit_share"] == 0).all()
    # nothing to build: every MWh the zone uses comes from the grid at 100 GBP/MWh
    demand = float((ds["electricity_demand_mw"].sum("zone") * ds["step_weight_h"]).sum())
    assert ds.attrs["grid_import_mwh_per_year"] == pytest.approx(demand, rel=1e-9)
    assert ds.attrs["total_cost_gbp_per_year"] == pytest.approx(100 * demand, rel=1e-9)


@pytest.fixture(scope="module")
def results_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("results")
    (folder / "s.yaml").write_text(TINY + "technologies: {}\n")
    assert main(["run", str(folder / "s.yaml"), "--out", str(folder / "good")]) == 0
    return folder / "good"


def _damage_nc(folder, change):
    ds = xr.load_dataset(folder / "results.nc")
    change(ds)
    (folder / "results.nc").unlink()
    ds.to_netcdf(folder / "results.nc")


DAMAGES = {
    "truncated results.nc": lambda f: (f / "results.nc").write_bytes(
        (f / "results.nc").read_bytes()[:500]),
    "results.nc is text": lambda f: (f / "results.nc").write_text("not netcdf"),
    "results.nc is a folder": lambda f: ((f / "results.nc").unlink(),
                                         (f / "results.nc").mkdir()),
    "step_hours 0": lambda f: _damage_nc(f, lambda ds: ds.attrs.update(step_hours=0)),
    "step_hours missing": lambda f: _damage_nc(f, lambda ds: ds.attrs.pop("step_hours")),
    "stored scenario is a list": lambda f: _damage_nc(
        f, lambda ds: ds.attrs.update(scenario_yaml="[1, 2]")),
    "stored scenario malformed": lambda f: _damage_nc(
        f, lambda ds: ds.attrs.update(scenario_yaml="a: [")),
    "generation missing": lambda f: _damage_nc(f, lambda ds: ds.__delitem__("generation_mw")),
    "total cost missing": lambda f: _damage_nc(
        f, lambda ds: ds.attrs.pop("total_cost_gbp_per_year")),
    "results.nc empty": lambda f: (f / "results.nc").write_bytes(b""),
}


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_report_on_a_damaged_folder_is_one_message(results_folder, tmp_path, capsys, damage):
    folder = tmp_path / "copy"
    shutil.copytree(results_folder, folder)
    DAMAGES[damage](folder)
    code = main(["report", str(folder)])
    err = capsys.readouterr().err
    if code == 0:  # a figure the report does not need
        assert damage in ("total cost missing",), err
        return
    assert code == 2
    assert err.startswith("error: ") and "Traceback" not in err
    assert ("is damaged or was not written by this version" in err
            or "no results.nc here" in err), err


# ---------------------------------------------------------------- hangs and memory


def _laughs(levels: int) -> str:
    """``network:`` with ten aliases of the level below at each level: 10**levels values."""
    lines = ["network:", "  l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels):
        lines.append(f"  l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def _fifo(path):
    os.mkfifo(path)
    return str(path)


LIMITS = {
    "billion laughs under network": (
        lambda t: ["validate", _scenario(t, f"extends: {STOKE}\nname: s\n" + _laughs(9))],
        "expands to more than 200,000 values through aliases"),
    "alias that contains itself": (
        lambda t: ["validate", _scenario(t, "name: &a [*a]\n")], "malformed YAML"),
    "fifo as the scenario": (lambda t: ["validate", _fifo(t / "s.yaml")],
                             "is not a regular file (a pipe or a device)"),
    "fifo under extends": (
        lambda t: ["validate", _scenario(t, f"extends: {_fifo(t / 'p.yaml')}\nname: s\n")],
        "is not a regular file (a pipe or a device)"),
    "/dev/zero under extends": (
        lambda t: ["validate", _scenario(t, "extends: /dev/zero\nname: s\n")],
        "/dev/zero: 1 problem in the scenario:\n  - is not a regular file"),
    "fifo as the geojson": (
        lambda t: ["validate", _scenario(t, f"extends: {STOKE}\nname: s\nnetwork: {{geojson: "
                                            f"{_fifo(t / 'n.geojson')}}}\n")],
        "not a regular file of at most 100 MB"),
    "/dev/zero as the geojson": (
        lambda t: ["validate", _scenario(t, f"extends: {STOKE}\nname: s\n"
                                            "network: {geojson: /dev/zero}\n")],
        "not a regular file of at most 100 MB"),
    "fifo as the weather": (
        lambda t: ["validate", _tiny(t, f"weather: {{source: {_fifo(t / 'w.csv')}}}\n")],
        "is not a regular file (a pipe or a device)"),
    "fifo as a time series": (
        lambda t: ["validate", _tiny(t, "timeseries: {import_price_gbp_per_mwh: "
                                        f"{_fifo(t / 'p.csv')}}}\n")],
        "is not a regular file (a pipe or a device)"),
    "fifo as the actuals": (
        lambda t: ["progress", _fifo(t / "a.csv"), "--target-year", "2030"],
        "is not a regular file (a pipe or a device)"),
    "the same parent 2,000 times": (
        lambda t: ["validate", _scenario(t, f"extends: [{', '.join([str(STOKE)] * 2000)}]\n")],
        "extends: reads more than 50 files in all"),
    "sweep grid of 3.2 million cases": (
        lambda t: ["sweep", _scenario(t, f"base: {STOKE}\ngrid:\n" + "".join(
            f"  {path}: [{', '.join(str(0.01 * (v + 1)) for v in range(20))}]\n"
            for path in ("finance.discount_rate", "grid.co2_t_per_mwh", "gas.co2_t_per_mwh",
                         "zones.Hanley.max_heat_pump_share", "zones.Stoke.max_heat_pump_share"))),
                   "--out", str(t / "o")],
        "grid: 20 x 20 x 20 x 20 x 20 = 3,200,000 cases, more than the 10,000"),
}


@pytest.mark.parametrize("case", sorted(LIMITS))
def test_inputs_that_would_hang_or_exhaust_memory_are_refused(tmp_path, capsys, case):
    make, expected = LIMITS[case]
    assert main(make(tmp_path)) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and expected in err, err


# ---------------------------------------------------------------- accepted when refused

REFUSED = {
    "duplicate zone": (
        lambda t: ["validate", _scenario(t, TINY.replace(
            "zones: {A:", "zones: {B: {households: 1, domestic_electricity_mwh_per_year: 1, "
                          "domestic_heat_mwh_per_year: 0}, B:") + "technologies: {}\n")],
        "key 'B' appears twice"),
    "duplicate key on separate lines": (
        lambda t: ["validate", _scenario(t, TINY + "technologies: {}\ngrid:\n"
                                            "  import_price_gbp_per_mwh: 1\n")],
        "key 'grid' appears twice (lines 3 and 6)"),
    "infinite import price": (
        lambda t: ["validate", _scenario(t, TINY.replace("100}", ".inf}")
                                         + "technologies: {}\n")],
        "grid.import_price_gbp_per_mwh: Input should be a finite number"),
    "nan capex": (
        lambda t: ["validate", _tiny(t, technologies="{ground_pv: {capex_gbp_per_kw: .nan, "
                                                      "lifetime_years: 25}}")],
        "technologies.ground_pv.capex_gbp_per_kw: Input should be a finite number"),
    "infinite value in a sweep grid": (
        lambda t: ["sweep", _scenario(t, f"base: {STOKE}\ngrid: {{grid.import_price_gbp_per_mwh"
                                         ": [100, .inf]}\n"), "--out", str(t / "o")],
        "grid.import_price_gbp_per_mwh: Input should be a finite number"),
    "infinite bound of a sweep sample": (
        lambda t: ["sweep", _scenario(t, f"base: {STOKE}\nsample: {{n: 2, ranges: "
                                         "{finance.discount_rate: [0, .inf]}}\n"),
                   "--out", str(t / "o")],
        "Input should be a finite number"),
    "csv value 1e400": (
        lambda t: ["validate", _tiny(t, "timeseries: {import_price_gbp_per_mwh: p.csv}\n")]
        if _price_csv(t / "p.csv", "1e400") else None,
        "column 'import_price_gbp_per_mwh' has empty, negative or infinite values at"),
    "csv capacity factor 5": (
        lambda t: ["validate", _tiny(t, "timeseries: {capacity_factor: cf.csv}\n",
                                     technologies="{ground_pv: {capex_gbp_per_kw: 500, "
                                                  "lifetime_years: 25}}")]
        if _price_csv(t / "cf.csv", "5.0", column="ground_pv") else None,
        "or values above 1 at"),
    "geojson pipe with nan coordinates": (
        lambda t: ["validate", _stoke_with_geojson(t, lambda p: (
            p["properties"].pop("length_km"),
            p["geometry"].update(coordinates=[[float("nan"), 53.0], [-2.1, 53.0]])))],
        "coordinates must be a list of at least two [longitude, latitude] points"),
    "geojson pipe out of range": (
        lambda t: ["validate", _stoke_with_geojson(t, lambda p: (
            p["properties"].pop("length_km"),
            p["geometry"].update(coordinates=[[500.0, 53.0], [-2.1, 53.0]])))],
        "coordinates must be a list of at least two [longitude, latitude] points"),
    "scenario name with a NUL byte": (
        lambda t: ["validate", "a\x00b"], "no such file"),
}


def _price_csv(path, value: str, column: str = "import_price_gbp_per_mwh") -> str:
    index = pd.date_range("2030-01-01", periods=8760, freq="h", tz="UTC")
    frame = pd.DataFrame({"time": index.strftime("%Y-%m-%dT%H:%M:%S%z"), column: 0.5})
    text = frame.to_csv(index=False).replace(",0.5\n", f",{value}\n", 1)
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_inputs_once_accepted_are_refused(tmp_path, capsys, case):
    make, expected = REFUSED[case]
    assert main(make(tmp_path)) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and expected in err, err


def test_heat_network_costs_follow_a_heat_demand_csv(tmp_path):
    """The YAML's annual heat is replaced by the CSV's: doubling it changes nothing."""
    from energy_model.analysis import solve_scenario
    from energy_model.scenario import load_scenario

    index = pd.date_range("2030-01-01", periods=8760, freq="h", tz="UTC")
    pd.DataFrame({"time": index.strftime("%Y-%m-%dT%H:%M:%S%z"), "A": 0.5}).to_csv(
        tmp_path / "heat.csv", index=False)
    costs = []
    for yaml_heat in (1000, 2000):
        path = tmp_path / f"h{yaml_heat}.yaml"
        path.write_text(
            "name: heat\ntime: {horizon_hours: 48, resolution_h: 24}\n"
            "grid: {import_price_gbp_per_mwh: 100}\ngas: {price_gbp_per_mwh: 50}\n"
            "zones: {A: {households: 100, domestic_electricity_mwh_per_year: 100, "
            f"domestic_heat_mwh_per_year: {yaml_heat}, max_heat_network_share: 1}}}}\n"
            "technologies:\n"
            "  central_gas_boiler: {capex_gbp_per_kw: 0, lifetime_years: 25, efficiency: 1}\n"
            "  heat_network: {lifetime_years: 40, network_capex_gbp_per_mwh_per_year: 10}\n"
            "timeseries: {heat_demand_mw: heat.csv}\n")
        ds = solve_scenario(load_scenario(path))
        assert float(ds["heat_network_share"].sel(zone="A")) == pytest.approx(1.0)
        costs.append(ds.attrs["total_cost_gbp_per_year"])
        grid_gbp = 100 * ds.attrs["grid_import_mwh_per_year"]
    assert costs[0] == pytest.approx(costs[1], rel=1e-9)
    # 0.5 MW all year is 4,380 MWh/yr: the network costs 10 GBP per MWh/yr of it, annuitised
    # over 40 years at 3.5 %; its heat is 4,380 MWh of gas at 50 GBP/MWh; electricity from
    # the grid
    from energy_model.components.capacity import annuity_factor

    expected = 4380 * 10 * annuity_factor(0.035, 40) + 4380 * 50 + grid_gbp
    assert costs[0] == pytest.approx(expected, rel=1e-6)


def test_wind_height_of_zero_is_refused_not_taken_as_ten(tmp_path, capsys):
    path = _weather_csv(tmp_path / "w.csv", "# latitude: 53\n# longitude: -2\n"
                                            "# wind_height_m: 0\n")
    assert main(["validate", _tiny(tmp_path, f"weather: {{source: {path}}}\n")]) == 2
    assert "wind_height_m (height of the wind measurement) is 0.0" in capsys.readouterr().err


def test_retrofit_without_gas_boilers_runs_with_no_retrofit(tmp_path):
    """Found by the fuzz benchmark: retrofit listed, no individual gas boiler and no zone
    allowing retrofit crashed the build; retrofit (which saves boilers' gas) is then zero."""
    out = tmp_path / "out"
    scenario = _tiny(tmp_path, technologies="{retrofit: {capex_gbp_per_household: 10000, "
                                            "heat_saving_fraction: 0.25, lifetime_years: 30}}")
    assert main(["run", scenario, "--out", str(out)]) == 0
    assert (xr.load_dataset(out / "results.nc")["retrofit_share"] == 0).all()


def test_price_year_that_is_not_a_year_is_refused(tmp_path, capsys):
    """Found by the fuzz benchmark: a list as a price year was a TypeError."""
    path = _scenario(tmp_path, f"extends: {STOKE}\nname: s\ngrid: {{price_year: [1, 2]}}\n")
    assert main(["validate", path]) == 2
    assert "grid.price_year: [1, 2] is not a year" in capsys.readouterr().err
