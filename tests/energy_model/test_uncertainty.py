"""Uncertainty: ranges in scenarios, samples on Dask with known answers, regret and
near-optimal ranges on systems solved by hand.

The sampled runs use a two-day window in 6-hour steps of a one-zone city with one wind
farm (a fraction of a second per solve) on one LocalCluster of two worker processes.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import yaml
from systems import make_inputs, make_scenario

from energy_model.cli import main
from energy_model.errors import ScenarioError
from energy_model.inputs import prepare_inputs
from energy_model.scenario import load_scenario, scenario_from_dict
from energy_model.uncertainty import Range, latin_hypercube
from energy_model.uncertainty.alternatives import near_optimal_ranges
from energy_model.uncertainty.run import case_plan, read_uncertainty, run_uncertainty

CAPEX = "technologies.wind.capex_gbp_per_kw"
POTENTIAL_MW = 10.0
LIFETIME_YEARS = 20


@pytest.fixture(scope="module")
def client():
    import logging

    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=logging.ERROR)
    with Client(cluster) as c:
        yield c
    cluster.close()


def wind_city(capex) -> dict:
    """One zone whose load (59 MW or more) always exceeds a 10 MW wind farm's output."""
    return {
        "name": "wind-switch",
        "finance": {"discount_rate": 0.0},
        "time": {"start_hour": 4344, "horizon_hours": 48, "resolution_h": 6},
        "grid": {"import_price_gbp_per_mwh": 100.0},
        "zones": {"A": {"households": 0, "domestic_electricity_mwh_per_year": 876000,
                        "domestic_heat_mwh_per_year": 0}},
        "technologies": {"wind": {"capex_gbp_per_kw": capex, "lifetime_years": LIFETIME_YEARS,
                                  "potential_mw": POTENTIAL_MW}},
    }


@pytest.fixture(scope="module")
def switch_capex() -> float:
    """The wind capex [GBP/kW] at which building it pays: its annual cost (capex over the
    lifetime at a zero discount rate) equals the imports its output replaces."""
    s = scenario_from_dict(wind_city(1000.0))
    inputs = prepare_inputs(s)
    mwh_per_mw = float(inputs.capacity_factor["wind"] @ inputs.step_weight_h)
    assert min(inputs.electricity_demand_mw["A"]) > POTENTIAL_MW
    return 100.0 * mwh_per_mw * LIFETIME_YEARS / 1000.0


# --- ranges in scenarios ---------------------------------------------------------------

def write(folder, name, data) -> str:
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return str(path)


def test_a_range_loads_as_its_value_and_is_kept_by_path(tmp_path):
    capex = {"value": 976, "low": 700, "high": 1400, "source": "assumption (L)"}
    s = load_scenario(write(tmp_path, "s", wind_city(capex)))
    assert s.technologies.wind.capex_gbp_per_kw == 976
    r = s.ranges[CAPEX]
    assert (r.value, r.low, r.high, r.distribution, r.source) == (
        976, 700, 1400, "triangular", "assumption (L)")


def test_resolved_yaml_keeps_the_ranges_and_reruns_identically(tmp_path):
    data = wind_city({"value": 976, "low": 700, "high": 1400, "distribution": "normal",
                      "sd": 150})
    data["zones"]["A"]["households"] = {"value": 100, "low": 90, "high": 120}
    s = load_scenario(write(tmp_path, "s", data))
    again = load_scenario(write(tmp_path, "again", yaml.safe_load(s.resolved_yaml())))
    assert again.ranges == s.ranges
    assert again.model_dump() == s.model_dump()
    assert again.ranges["zones.A.households"].integer


def test_updates_keep_other_ranges_and_drop_the_one_replaced(tmp_path):
    data = wind_city({"value": 976, "low": 700, "high": 1400})
    data["grid"]["import_price_gbp_per_mwh"] = {"value": 100, "low": 80, "high": 150}
    s = load_scenario(write(tmp_path, "s", data))
    u = s.with_updates({CAPEX: 1300, "time.resolution_h": 12})
    assert list(u.ranges) == ["grid.import_price_gbp_per_mwh"]
    assert u.technologies.wind.capex_gbp_per_kw == 1300


@pytest.mark.parametrize("capex, expected", [
    ({"value": 976, "low": 1000, "high": 1400}, "wind.capex_gbp_per_kw: needs low <= value"),
    ({"value": 976, "low": 700, "high": float("inf")}, "high must be finite"),
    ({"value": 976, "high": 1400}, "a range needs low next to value"),
    ({"value": 976, "low": 700, "high": 1400, "mode": 900}, "unknown key mode in a range"),
    ({"value": 976, "low": 700, "high": 1400, "distribution": "normal"}, "needs sd > 0"),
    ({"value": 976, "low": 700, "high": 1400, "distribution": "beta"},
     "use one of triangular, uniform, normal"),
    ({"value": -5, "low": -10, "high": 10}, "greater than or equal to 0"),
])
def test_bad_ranges_name_the_file_and_path(tmp_path, capex, expected):
    path = write(tmp_path, "bad", wind_city(capex))
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert str(path) in str(err.value)
    assert "technologies.wind.capex_gbp_per_kw" in str(err.value)
    assert expected in str(err.value)


def test_a_range_on_a_word_is_refused(tmp_path):
    data = wind_city(1000.0)
    data["technologies"]["wind"]["turbine_type"] = {"value": 3, "low": 1, "high": 4}
    with pytest.raises(ScenarioError, match="technologies.wind.turbine_type"):
        load_scenario(write(tmp_path, "word", data))


def test_latin_hypercube_is_seeded_stratified_and_follows_the_distribution():
    uniform = Range(path="a", value=1.0, low=0.0, high=10.0, distribution="uniform")
    tri = Range(path="b", value=2.0, low=0.0, high=10.0)
    first = latin_hypercube({"a": uniform, "b": tri}, 50, seed=3)
    assert first == latin_hypercube({"a": uniform, "b": tri}, 50, seed=3)
    assert first != latin_hypercube({"a": uniform, "b": tri}, 50, seed=4)
    a = np.sort([x["a"] for x in first])
    # one sample in each fifth... of each fiftieth of the range
    assert np.array_equal(np.floor(a / 0.2), np.arange(50))
    b = np.array([x["b"] for x in first])
    # triangular(0, 2, 10): mean 4, P(b < 2) = 0.2
    assert abs(b.mean() - 4.0) < 0.2 and abs((b < 2).mean() - 0.2) <= 1 / 50


# --- sampled runs with known answers ---------------------------------------------------

@pytest.fixture(scope="module")
def sampled(client, switch_capex, tmp_path_factory):
    folder = tmp_path_factory.mktemp("wind")
    capex = {"value": 1.5 * switch_capex, "low": 0.5 * switch_capex,
             "high": 2.0 * switch_capex, "distribution": "uniform", "source": "test"}
    path = write(folder, "wind", wind_city(capex))
    out = folder / "out"
    ds = run_uncertainty(path, out, samples=24, one_at_a_time_cases=True, seed=1,
                         typical_days=None, scheduler=client, progress=False)
    return path, out, ds


def test_share_of_samples_building_wind_is_the_share_below_its_switch_cost(sampled):
    _, _, ds = sampled
    assert ds.attrs["samples_solved"] == 24
    built = ds["build_amount"].sel(build="wind").to_numpy()
    assert set(np.round(built, 6)) <= {0.0, POTENTIAL_MW}
    # Uniform on [c/2, 2c]: wind is built in a third of the range. A Latin hypercube puts
    # one sample in each of 24 equal strata, so the share is within 1/24 of a third.
    assert abs(float(ds["build_share"].sel(build="wind")) - 1 / 3) <= 1 / 24 + 1e-9
    assert not bool(ds["no_regret"].sel(build="wind"))


def test_wind_is_built_exactly_where_its_capex_is_below_the_switch(sampled, switch_capex):
    _, _, ds = sampled
    capex = ds["input"].sel(assumption=CAPEX).to_numpy()
    built = ds["build_amount"].sel(build="wind").to_numpy() > 1
    assert np.array_equal(built, capex < switch_capex)


def test_regret_of_the_default_plan_is_the_saving_it_misses(sampled, switch_capex):
    _, out, ds = sampled
    # The default (capex 1.5 x the switch) builds nothing; where wind is cheaper, the
    # sample's own plan saves (switch - capex) x 1000 / lifetime GBP/yr per MW.
    capex = ds["input"].sel(assumption=CAPEX).to_numpy()
    expected = np.maximum(switch_capex - capex, 0) * 1000 / LIFETIME_YEARS * POTENTIAL_MW
    np.testing.assert_allclose(ds["regret_gbp_per_year"], expected, rtol=1e-6, atol=1.0)
    assert np.all(ds["default_plan_unmet"] == 0)


def test_regret_of_the_optimal_plan_under_its_own_inputs_is_zero(sampled):
    _, out, _ = sampled
    from energy_model.sweep import read_case_record

    default = read_case_record(out, "default")
    assert default["status"] == "ok"
    assert abs(default["figures"]["regret_gbp_per_year"]) <= 1e-6 * default["figures"][
        "total_cost_gbp_per_year"]


def test_one_at_a_time_names_the_assumption_that_switches_wind(sampled):
    _, out, ds = sampled
    wind = ds["oat_result"].sel(result="wind", assumption=CAPEX)
    assert float(wind.sel(end="low")) == pytest.approx(POTENTIAL_MW)
    assert float(wind.sel(end="high")) == pytest.approx(0.0)
    assert str(ds["depends_on"].sel(build="wind").item()) == CAPEX
    for name in ("samples.csv", "summary.csv", "no_regret.csv", "tornado.csv", "summary.txt",
                 "uncertainty.nc"):
        assert (out / name).exists()
    assert read_uncertainty(out)["build_share"].sel(build="wind") == ds["build_share"].sel(
        build="wind")


def test_resume_redoes_nothing_and_gives_the_same_summary(sampled, client):
    path, out, ds = sampled
    again = run_uncertainty(path, out, samples=24, one_at_a_time_cases=True, seed=1,
                            typical_days=None, scheduler=client, progress=False, resume=True)
    np.testing.assert_array_equal(again["build_amount"], ds["build_amount"])


def test_command_line_runs_on_a_given_scheduler(sampled, client, tmp_path, capsys,
                                                monkeypatch):
    path, _, _ = sampled
    address = client.scheduler.address
    code = main(["uncertainty", path, "--samples", "4", "--typical-days", "0",
                 "--scheduler", address, "--out", str(tmp_path / "cli")])
    assert code == 0
    text = capsys.readouterr().out
    assert "No-regret builds" in text and (tmp_path / "cli" / "summary.csv").exists()


def test_a_scenario_without_ranges_is_refused_before_anything_runs(tmp_path):
    with pytest.raises(ScenarioError, match="no ranges to sample"):
        run_uncertainty(write(tmp_path, "plain", wind_city(1000.0)), tmp_path / "o",
                        samples=4)


def test_case_plan_is_default_then_one_at_a_time_then_samples(tmp_path):
    data = wind_city({"value": 976, "low": 700, "high": 1400})
    s = load_scenario(write(tmp_path, "s", data))
    plan = case_plan(s, samples=3, seed=0, oat=True)
    assert [c["name"] for c in plan["cases"]] == [
        "default", "oat-000-low", "oat-000-high", "sample-000", "sample-001", "sample-002"]
    assert plan["cases"][1]["updates"] == {CAPEX: 700.0}


# --- near-optimal alternatives ---------------------------------------------------------

def test_near_optimal_ranges_match_the_hand_solution():
    """Load 1 MW all year at 100 GBP/MWh. Wind (capacity factor 1) costs 50,000 GBP/MW/yr,
    ground PV (capacity factor 0.5) 40,000, so 80,000 per MW of load it covers.

    Optimum: 1 MW of wind, 50,000 GBP/yr. Within 5 % (52,500 GBP/yr): wind can grow to
    1.05 MW; PV can replace wind at 15,000 GBP/yr per MW of PV, so at most 1/6 MW,
    leaving wind at 1 - 1/12 = 11/12 MW (imports cost 876,000 per MW of load: dearer)."""
    s = make_scenario(technologies={
        "wind": {"capex_gbp_per_kw": 50.0, "lifetime_years": 1},
        "ground_pv": {"capex_gbp_per_kw": 40.0, "lifetime_years": 1}})
    inputs = make_inputs(2, cf={"wind": 1.0, "ground_pv": 0.5})
    table = near_optimal_ranges(s, 0.05, inputs=inputs).set_index("build")
    assert table["optimal_cost_gbp_per_year"].iloc[0] == pytest.approx(50_000)
    assert table.loc["wind", "optimal"] == pytest.approx(1.0)
    assert table.loc["wind", "min"] == pytest.approx(11 / 12, rel=1e-6)
    assert table.loc["wind", "max"] == pytest.approx(1.05, rel=1e-6)
    assert table.loc["ground_pv", "min"] == pytest.approx(0.0, abs=1e-6)
    assert table.loc["ground_pv", "max"] == pytest.approx(1 / 6, rel=1e-6)
    assert table["cost_at_max_gbp_per_year"].max() <= 52_500 * (1 + 1e-6)


def test_zero_slack_pins_a_unique_optimum():
    s = make_scenario(technologies={"wind": {"capex_gbp_per_kw": 50.0, "lifetime_years": 1}})
    table = near_optimal_ranges(s, 0.0, inputs=make_inputs(2, cf={"wind": 1.0}))
    assert table.loc[0, "min"] == pytest.approx(1.0, rel=1e-6)
    assert table.loc[0, "max"] == pytest.approx(1.0, rel=1e-6)


def test_alternatives_command_prints_and_writes_the_ranges(tmp_path, capsys):
    path = write(tmp_path, "wind", wind_city(1000.0))
    code = main(["alternatives", path, "--slack", "5%", "--typical-days", "0",
                 "--out", str(tmp_path / "alt")])
    assert code == 0
    assert "wind" in capsys.readouterr().out
    assert (tmp_path / "alt" / "alternatives.csv").exists()
    assert math.isfinite(float(
        __import__("pandas").read_csv(tmp_path / "alt" / "alternatives.csv")["max"].iloc[0]))


def test_bad_slack_is_refused(tmp_path, capsys):
    path = write(tmp_path, "wind", wind_city(1000.0))
    with pytest.raises(SystemExit):
        main(["alternatives", path, "--slack", "five"])
    assert "slack" in capsys.readouterr().err




# --- report ----------------------------------------------------------------------------

def test_report_shows_ranges_and_how_sure_the_plan_is(sampled, tmp_path):
    from energy_model.cli import run
    from energy_model.report import write_report

    path, out, ds = sampled
    results, _ = run(path, out=str(tmp_path / "run"))
    assert main(["alternatives", path, "--typical-days", "0", "--out",
                 str(tmp_path / "alt")]) == 0
    page = write_report(results, uncertainty=out, alternatives=tmp_path / "alt").read_text()
    assert "How sure is this plan" in page
    q = ds["total_cost_gbp_per_year_quantile"].to_numpy() / 1e6
    assert f"P10-P90 over 24 samples: £{q[0]:,.1f}m-£{q[-1]:,.1f}m" in page
    assert "wind turns on" in page and CAPEX in page
    for key in ("tornado_total_cost_gbp_per_year", "near_optimal_ranges"):
        assert f'id="chart-{key}"' in page
        assert (results / "report_data" / f"{key}.csv").exists()


def test_report_refuses_a_folder_without_an_uncertainty_run(sampled, tmp_path):
    from energy_model.cli import run
    from energy_model.errors import EnergyModelError
    from energy_model.report import write_report

    path, _, _ = sampled
    results, _ = run(path, out=str(tmp_path / "run"))
    with pytest.raises(EnergyModelError, match="no uncertainty.nc here"):
        write_report(results, uncertainty=tmp_path)


def test_warm_start_across_sparsity_patterns_gives_the_cold_optimum():
    """Samples move zeros in the capacity factors; the previous basis is still offered."""
    from energy_model.build import build_model
    from energy_model.solve import WarmStart, solve_model

    s = make_scenario(technologies={
        "wind": {"capex_gbp_per_kw": 50.0, "lifetime_years": 1},
        "ground_pv": {"capex_gbp_per_kw": 40.0, "lifetime_years": 1}})
    warm = WarmStart()
    for cf_pv in ([0.5, 0.0, 0.8, 0.3], [0.0, 0.6, 0.0, 0.9], [0.9, 0.9, 0.0, 0.0]):
        inputs = make_inputs(4, cf={"wind": [0.2, 1.0, 0.4, 0.0], "ground_pv": cf_pv})
        cold = solve_model(build_model(s, inputs)).objective_gbp_per_year
        again = solve_model(build_model(s, inputs), warm_start=warm).objective_gbp_per_year
        assert again == pytest.approx(cold, rel=1e-9)
    assert warm.reused == 2


def test_a_money_range_is_converted_to_the_price_year_with_its_value(tmp_path):
    data = wind_city({"value": 1000, "low": 800, "high": 1500, "distribution": "normal",
                      "sd": 100})
    data["finance"].update(price_year=2026, deflators={2020: 1.25})
    data["technologies"]["price_year"] = 2020
    s = load_scenario(write(tmp_path, "priced", data))
    r = s.ranges[CAPEX]
    assert s.technologies.wind.capex_gbp_per_kw == pytest.approx(1250)
    assert (r.value, r.low, r.high, r.sd) == pytest.approx((1250, 1000, 1875, 125))
    again = load_scenario(write(tmp_path, "again", yaml.safe_load(s.resolved_yaml())))
    assert again.ranges == s.ranges
