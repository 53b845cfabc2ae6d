"""The command line end to end: the Stoke default, refusals and atomic writes."""

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from energy_model import results as results_module
from energy_model.cli import main
from energy_model.errors import EnergyModelError


@pytest.fixture(scope="module")
def stoke_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs") / "stoke"
    code = main(["run", "stoke-2030", "--resolution", "24h", "--out", str(out)])
    assert code == 0
    return out


def test_stoke_default_end_to_end(stoke_run):
    ds = xr.load_dataset(stoke_run / "results.nc")
    summary = pd.read_csv(stoke_run / "summary.csv").set_index("metric")["value"]
    assert (stoke_run / "summary.txt").read_text().startswith("Scenario stoke-2030")
    # the target is met, and what it counts is what the dataset says was generated
    target = summary["renewable_target_mwh_per_year"]
    assert target == 84_000
    assert summary["renewable_generation_counted_mwh_per_year"] >= target * (1 - 1e-6)
    weight = ds.attrs["step_hours"] * ds.attrs["year_weight"]
    counted = (ds.generation_mw.sel(generator=["rooftop_pv", "ground_pv", "wind"]).sum()
               + ds.network_heat_supply_mw.sel(heat_source="geothermal").sum()) * weight
    assert float(counted) >= target * (1 - 1e-6)
    # the electricity balance closes in every step
    supply = (ds.generation_mw.sum("generator") + ds.grid_import_mw + ds.battery_discharge_mw)
    use = (ds.electricity_demand_mw.sum("zone") + ds.heat_pump_electricity_mw
           + ds.grid_export_mw + ds.battery_charge_mw)
    np.testing.assert_allclose(supply, use, rtol=1e-6, atol=1e-4)
    # capacities are within potentials, and the scenario is embedded
    assert float(ds.capacity.sel(technology="rooftop_pv")) <= 200 + 1e-6
    assert "stoke-2030" in ds.attrs["scenario_yaml"]
    assert ds.electricity_price_gbp_per_mwh.attrs["units"] == "GBP/MWh"


def test_existing_results_are_not_overwritten(stoke_run, capsys):
    before = (stoke_run / "summary.csv").read_bytes()
    code = main(["run", "stoke-2030", "--resolution", "24h", "--out", str(stoke_run)])
    assert code == 2
    assert "--force" in capsys.readouterr().err
    assert (stoke_run / "summary.csv").read_bytes() == before


def test_interrupted_write_leaves_no_results(tmp_path, monkeypatch):
    ds = xr.Dataset({"x": ("time", [1.0])}, attrs={"scenario_name": "s"})

    def boom(_):
        raise OSError("disk full")

    monkeypatch.setattr(results_module, "summary_table", boom)
    with pytest.raises(EnergyModelError, match="disk full.*nothing was changed"):
        results_module.write_results(ds, tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


def test_bad_scenario_is_one_message_and_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ngrid: {import_price_gbp_per_mwh: -1}\nzones: {}\n"
                   "technologies: {}\n")
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "grid.import_price_gbp_per_mwh" in err and "Traceback" not in err


def test_scenarios_lists_the_builtin_default(capsys):
    assert main(["scenarios"]) == 0
    assert "stoke-2030" in capsys.readouterr().out


def test_csv_time_series_replace_derived_ones(tmp_path):
    from energy_model.inputs import hourly_profiles, load_weather
    from energy_model.scenario import load_scenario

    s = load_scenario("stoke-2030")
    weather = load_weather(s)
    index = hourly_profiles(s, weather).index
    prices = pd.DataFrame({"time": index.strftime("%Y-%m-%dT%H:%M:%S%z"),
                           "import_price_gbp_per_mwh": np.arange(len(index)) % 24 + 100.0})
    prices.to_csv(tmp_path / "prices.csv", index=False)
    s2 = s.with_updates({"timeseries.import_price_gbp_per_mwh": str(tmp_path / "prices.csv")})
    frame = hourly_profiles(s2, weather)
    np.testing.assert_allclose(frame["import_price_gbp_per_mwh"].to_numpy()[:3], [100, 101, 102])

    prices.iloc[:-5].to_csv(tmp_path / "short.csv", index=False)
    s3 = s.with_updates({"timeseries.import_price_gbp_per_mwh": str(tmp_path / "short.csv")})
    from energy_model.errors import InputDataError

    with pytest.raises(InputDataError, match="5 hours of the weather year are missing"):
        hourly_profiles(s3, weather)


def test_typical_days_run_states_its_representation_error(tmp_path, capsys):
    out = tmp_path / "typical"
    code = main(["run", "stoke-2030", "--resolution", "6h", "--typical-days", "6",
                 "--out", str(out)])
    assert code == 0
    assert "6 typical days" in capsys.readouterr().err
    ds = xr.open_dataset(out / "results.nc")
    # six typical days, plus the peak heat and peak electricity days kept whole
    assert ds.sizes["time"] == (6 + 2) * 4
    assert float(ds.step_weight_h.sum()) == pytest.approx(8760)
    errors = ds["typical_days_rmse_pct_of_mean"]
    assert set(ds["profile"].to_numpy()) >= {"heat_demand_mw", "electricity_demand_mw",
                                             "capacity_factor/wind"}
    assert (errors > 0).all()
    summary = (out / "summary.txt").read_text()
    assert "Typical days: 365 calendar days from 8 typical days" in summary
    ds.close()


def test_operate_year_writes_the_years_results_of_the_typical_days_design(tmp_path, capsys):
    out = tmp_path / "screening"
    code = main(["run", "stoke-2030", "--resolution", "12h", "--typical-days", "6",
                 "--operate-year", "--out", str(out)])
    printed = capsys.readouterr()
    assert code == 0, printed.out
    assert "their design then operated through the year" in printed.err
    assert "The typical days' design through the year: it meets every demand" in printed.out
    ds = xr.open_dataset(out / "results.nc")
    assert ds.sizes["time"] == 730 and ds.attrs["design_typical_days"] == 6
    # the limits that shaped the design are the typical days' (none binds a fixed design)
    assert ds.sizes["limit"] > 0
    ds.close()
    assert "A screening plan: designed on 6 typical days" in (out / "summary.txt").read_text()
    # without typical days there is no design to operate
    assert main(["run", "stoke-2030", "--operate-year", "--out", str(tmp_path / "x")]) != 0
    assert "--typical-days N" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_help_and_argument_errors_load_no_modelling_library():
    import subprocess
    import sys

    code = ("import sys\nfrom energy_model.cli import make_parser\nmake_parser()\n"
            "heavy = ('pvlib', 'scipy', 'matplotlib', 'plotly', 'pyomo', 'xarray', 'pandas',"
            " 'dask', 'networkx', 'windpowerlib')\n"
            "print(sorted(m for m in heavy if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def test_every_argument_has_help():
    import argparse

    from energy_model.cli import make_parser

    parser = make_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    missing = [f"{name} {action.dest}" for name, sub in commands.choices.items()
               for action in sub._actions
               if not action.help and not isinstance(action, argparse._HelpAction)]
    assert missing == []


def test_compare_checks_every_scenario_before_solving(tmp_path, capsys, monkeypatch):
    """A misspelt second name, two variants of one name or a CSV that exists are refused
    before the first solve (which would take minutes)."""
    from energy_model import analysis

    def no_solve(*args, **kwargs):
        raise AssertionError("solved before every argument was checked")

    monkeypatch.setattr(analysis, "solve_scenario", no_solve)
    assert main(["compare", "stoke-2030", "stoke-2031"]) == 2
    assert "stoke-2031" in capsys.readouterr().err
    assert main(["compare", "stoke-2030", "stoke-2030"]) == 2
    assert "give each variant its own" in capsys.readouterr().err
    mine = tmp_path / "mine.csv"
    mine.write_text("kept\n")
    assert main(["compare", "stoke-2030", "--csv", str(mine)]) == 2
    assert "--force" in capsys.readouterr().err
    assert mine.read_text() == "kept\n"


def test_a_value_is_shown_once_in_an_error(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("extends: stoke-2030\nname: bad\ntime: {resolution_h: 5}\n")
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "got 5" in err and "(got 5)" not in err
