"""One run pipeline (load, inputs, check, build, solve, write) and the normalised scenario."""

import pytest
import xarray as xr
from systems import make_inputs, make_scenario

from energy_model.checks import PlanCheckError
from energy_model.errors import ScenarioError
from energy_model.pipeline import run_scenario, with_time

PV = {"ground_pv": {"capex_gbp_per_kw": 600.0, "lifetime_years": 25, "potential_mw": 1}}


def test_a_run_solves_and_writes_what_the_cli_writes(tmp_path):
    # 1 MW all year from the grid at 100 GBP/MWh
    said = []
    run = run_scenario(make_scenario(), inputs=make_inputs(2), out=tmp_path / "r",
                       say=said.append)
    assert run.solution.objective_gbp_per_year == pytest.approx(876_000)
    ds = xr.load_dataset(run.path / "results.nc")
    assert ds.attrs["total_cost_gbp_per_year"] == pytest.approx(876_000)
    assert {"results.nc", "summary.txt", "scenario.yaml", "run.json"} <= {
        p.name for p in run.path.iterdir()}
    assert any(line.startswith("Solving with HiGHS: done") for line in said)


def test_a_plan_the_checks_refuse_is_recorded_and_not_solved(tmp_path):
    scenario = make_scenario(technologies=PV, targets={"renewable_generation": {
        "baseline_mwh_per_year": 10_000, "counts": ["ground_pv"]}})
    with pytest.raises(PlanCheckError):
        run_scenario(scenario, inputs=make_inputs(2, cf={"ground_pv": [1, 0]}),
                     out=tmp_path / "r")
    assert (tmp_path / "r" / "diagnosis.txt").is_file()
    assert not (tmp_path / "r" / "results.nc").exists()
    # elastic: solved, and the shortfall said
    run = run_scenario(scenario, inputs=make_inputs(2, cf={"ground_pv": [1, 0]}),
                       elastic=True)
    assert run.shortfalls == ["renewable target missed by 5,620.0 MWh/yr"]


def test_time_overrides_are_applied_once_in_one_place():
    scenario = with_time(make_scenario(), resolution_h=3, typical_days=4)
    assert (scenario.time.resolution_h, scenario.time.representative_days) == (3, 4)
    assert with_time(scenario) is scenario


def test_a_misspelt_pathway_key_fails_validation_naming_the_field():
    with pytest.raises(ScenarioError) as err:
        make_scenario(pathway={"periodz": [2030]})
    assert "pathway.periodz: unknown key; did you mean 'periods'?" in str(err.value)
    assert "pathway.periods: required key is missing" in str(err.value)


def test_the_scenario_gives_its_target_baseline_and_counts_normalised():
    scenario = make_scenario(
        zones={"A": {"households": 10, "fuel_poor_households": 3,
                     "domestic_electricity_mwh_per_year": 1, "domestic_heat_mwh_per_year": 0},
               "B": {"households": 5, "fuel_poor_households": 1,
                     "domestic_electricity_mwh_per_year": 1, "domestic_heat_mwh_per_year": 0}},
        targets={"renewable_generation": {"baseline_gwh_per_year": 2.0, "multiplier": 1.5}})
    target = scenario.targets.renewable_generation
    assert (target.baseline_mwh, target.target_mwh_per_year) == (2000.0, 3000.0)
    assert (scenario.households, scenario.fuel_poor_households) == (15, 4)
