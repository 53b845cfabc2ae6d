"""When a plan cannot work: checks before the solve, the IIS after it, elastic mode."""

import json

import pytest
from systems import make_inputs, make_scenario

from energy_model.build import build_model
from energy_model.checks import check_plan
from energy_model.cli import main
from energy_model.diagnose import elastic_report
from energy_model.errors import SolveError
from energy_model.solve import solve_model

PV = {"ground_pv": {"capex_gbp_per_kw": 600.0, "lifetime_years": 25, "potential_mw": 1}}
TARGET = {"renewable_generation": {"baseline_mwh_per_year": 10_000, "multiplier": 1,
                                   "counts": ["ground_pv"]}}


def test_target_above_potential_is_caught_before_the_solve_with_both_numbers():
    # 1 MW of PV at capacity factor 1 in one of two hours: at most 4,380 MWh/yr.
    findings = check_plan(make_scenario(technologies=PV, targets=TARGET),
                          make_inputs(2, cf={"ground_pv": [1, 0]}))
    errors = [f.message for f in findings if f.level == "error"]
    assert len(errors) == 1
    assert "10,000 MWh/yr" in errors[0] and "4,380 MWh/yr" in errors[0]


def test_target_already_met_and_tiny_baseline_are_warnings():
    tech = {"ground_pv": {**PV["ground_pv"], "existing_capacity_mw": 1}}
    target = {"renewable_generation": {"baseline_mwh_per_year": 2, "multiplier": 3,
                                       "counts": ["ground_pv"]}}
    findings = check_plan(make_scenario(technologies=tech, targets=target),
                          make_inputs(2, cf={"ground_pv": [1, 0]}))
    warnings = " ".join(f.message for f in findings if f.level == "warning")
    assert "already generate 4,380 MWh/yr, at least the target of 6 MWh/yr" in warnings
    assert "was baseline_gwh_per_year meant?" in warnings


def test_import_limit_below_peak_is_explained_by_the_iis():
    m = build_model(make_scenario(grid={"import_limit_mw": 0.5}), make_inputs(2))
    with pytest.raises(SolveError) as info:
        solve_model(m)
    text = "\n".join(info.value.diagnosis)
    assert "grid.import_limit_mw = 0.5 at 2030-01-01" in text
    assert "electricity balance at 2030-01-01" in text


def test_elastic_mode_reports_the_shortfall_a_hand_calculation_gives():
    # Import limit 0.5 MW against a 1 MW load: 0.5 MW unserved in both hours, 4,380 MWh/yr.
    # PV potential gives at most 4,380 MWh/yr of a 10,000 target: 5,620 missed (the PV also
    # covers the unserved load in its hour, so only the second hour stays short).
    s = make_scenario(grid={"import_limit_mw": 0.5}, technologies=PV, targets=TARGET)
    inputs = make_inputs(2, cf={"ground_pv": [1, 0]})
    m = build_model(s, inputs, elastic=True)
    solve_model(m)
    report = elastic_report(m, inputs.step_weight_h)
    assert report[0] == "renewable target missed by 5,620.0 MWh/yr"
    assert report[1].startswith("electricity unserved: 2,190.0 MWh/yr in 1 steps, at most "
                                "0.50 MW (at 2030-01-01 01:00 UTC)")


def test_infeasible_run_exits_non_zero_and_records_why(tmp_path, capsys):
    scenario = tmp_path / "too-much.yaml"
    scenario.write_text("extends: " + str(_stoke()) + "\nname: too-much\n"
                        "targets: {renewable_generation: {multiplier: 100}}\n")
    out = tmp_path / "out"
    assert main(["run", str(scenario), "--resolution", "24h", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "2,800,000 MWh/yr is above the most" in err
    assert (out / "diagnosis.txt").read_text().count("2,800,000") == 1
    assert not (out / "results.nc").exists()
    assert json.loads((out / "run.json").read_text())["status"] == "no plan"
    # elastic mode solves it and says by how much the target is missed (exit code 3)
    code = main(["run", str(scenario), "--resolution", "24h", "--out", str(out), "--force",
                 "--elastic"])
    assert code == 3
    assert "renewable target missed by" in capsys.readouterr().out


def _stoke():
    from energy_model.scenario import find_scenario

    return find_scenario("stoke-2030").resolve()


def test_a_recorded_run_reproduces_its_objective(tmp_path):
    first = tmp_path / "first"
    assert main(["run", "stoke-2030", "--resolution", "24h", "--out", str(first)]) == 0
    record = json.loads((first / "run.json").read_text())
    assert record["scenario_sha256"] and record["highspy_version"]
    again = tmp_path / "again"
    assert main(["run", str(first / "scenario.yaml"), "--out", str(again)]) == 0
    second = json.loads((again / "run.json").read_text())
    assert second["total_cost_gbp_per_year"] == pytest.approx(
        record["total_cost_gbp_per_year"], rel=1e-7)
    assert second["scenario_sha256"] == record["scenario_sha256"]
