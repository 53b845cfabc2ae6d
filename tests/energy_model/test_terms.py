"""Components declare what they add (m.terms); balances and the objective are built after."""

import pytest
from systems import make_inputs, make_scenario, solve

from energy_model import build
from energy_model.build import build_model
from energy_model.components.terms import TermsClosedError
from energy_model.diagnose import elastic_report
from energy_model.solve import solve_model


def _one_mw_load(m, scenario, inputs):
    m.terms.use("electricity", "late_load", lambda t: 1.0)


def test_a_load_declared_by_a_component_is_in_the_balance_and_the_objective():
    # 1 MW of buildings' load at 100 GBP/MWh is 876,000 GBP/yr; 1 MW more doubles it
    scenario, inputs = make_scenario(), make_inputs(2)
    assert solve(scenario, inputs)[1].objective_gbp_per_year == pytest.approx(876_000)
    steps = build.STEPS
    try:
        build.STEPS = (*steps, _one_mw_load)
        assert solve(scenario, inputs)[1].objective_gbp_per_year == pytest.approx(1_752_000)
    finally:
        build.STEPS = steps


def test_a_load_declared_after_the_balances_are_built_is_an_error_not_dropped(monkeypatch):
    closing = build.CLOSING
    monkeypatch.setattr(build, "CLOSING", (closing[0], _one_mw_load, *closing[1:]))
    with pytest.raises(TermsClosedError, match="after the balances were built"):
        build_model(make_scenario(), make_inputs(2))


def test_a_cost_declared_after_the_objective_is_an_error(monkeypatch):
    def late_cost(m, scenario, inputs):
        m.terms.operating("late", 1.0)

    monkeypatch.setattr(build, "CLOSING", (*build.CLOSING, late_cost))
    with pytest.raises(TermsClosedError, match="after the objective was built"):
        build_model(make_scenario(), make_inputs(2))


def test_capital_is_declared_apart_from_operating_costs():
    scenario = make_scenario(finance={"discount_rate": 0.0}, technologies={
        "ground_pv": {"capex_gbp_per_kw": 500.0, "lifetime_years": 10,
                      "fixed_om_fraction_per_year": 0.1, "potential_mw": 1}})
    m, sol = solve(scenario, make_inputs(2, cf={"ground_pv": [1, 1]}))
    # 1 MW of PV: 50,000 GBP/yr of capital (500,000 over 10 years), 50,000 of O&M
    assert m.terms.annual_capital(m)() == pytest.approx(50_000)
    assert m.terms.operating_costs["fixed_om"]() == pytest.approx(50_000)
    assert "fixed_om" not in m.terms.capitals
    assert sol.objective_gbp_per_year == pytest.approx(100_000)


# ------------------------------------------------------------- every target is elastic

PV = {"ground_pv": {"capex_gbp_per_kw": 600.0, "lifetime_years": 25, "potential_mw": 1}}


def _elastic(scenario, inputs):
    m = build_model(scenario, inputs, elastic=True)
    solve_model(m)
    return elastic_report(m, inputs.step_weight_h)


def test_elastic_misses_the_co2_cap_by_what_the_grid_emits_above_it():
    # 8,760 MWh/yr imported at 0.5 t/MWh: 4,380 t against a cap of 1,000
    report = _elastic(make_scenario(targets={"co2_cap_t_per_year": 1000}),
                      make_inputs(2, co2=0.5))
    assert report == ["CO2 cap exceeded by 3,380.0 t/yr"]


def test_elastic_exceeds_the_capital_budget_by_a_fixed_design():
    scenario = make_scenario(technologies=PV, fixed_capacity={"ground_pv": 1.0},
                             targets={"capex_budget_gbp": 100_000})
    report = _elastic(scenario, make_inputs(2, cf={"ground_pv": [1, 0]}))
    assert report == ["capital budget exceeded by 500,000.0 GBP"]


def test_elastic_misses_a_renewable_heat_target_nothing_can_meet():
    scenario = make_scenario(targets={"renewable_heat": {"baseline_mwh_per_year": 1000,
                                                         "counts": ["geothermal"]}})
    assert _elastic(scenario, make_inputs(2)) == [
        "renewable heat target missed by 1,000.0 MWh/yr"]


def test_elastic_exceeds_the_fuel_poverty_rate_cap_when_nothing_lifts_anyone():
    from test_fuel_poverty import FUEL_POVERTY, TECH, ZONES

    fp = {**FUEL_POVERTY, "lift_share": {"retrofit": 0.0, "heat_network": 0.0,
                                         "heat_pump": 0.0}}
    scenario = make_scenario(zones=ZONES, technologies=TECH, gas={"price_gbp_per_mwh": 0.0},
                             fuel_poverty=fp,
                             targets={"fuel_poverty": {"max_fuel_poverty_rate": 0.0}})
    # 70 fuel-poor households, none lifted, against a rate of 0
    assert _elastic(scenario, make_inputs(2, load=0.0, heat=0.1)) == [
        "fuel-poverty rate cap exceeded by 70.0 households"]


# ------------------------------------------------------------- the annual energy balance


def _closes(ds):
    from energy_model.report_charts import energy_balance

    table = energy_balance(ds)
    totals = table.groupby(["carrier", "side"])["energy_mwh_per_year"].sum()
    for carrier in set(table["carrier"]):
        assert totals[carrier, "supply"] == pytest.approx(totals[carrier, "use"], rel=1e-6)
    return table


@pytest.mark.parametrize("server", [False, True])
def test_the_stoke_default_energy_balance_closes_with_and_without_a_server_centre(server):
    from energy_model.analysis import solve_scenario
    from energy_model.scenario import load_scenario

    scenario = load_scenario("stoke-2030").with_updates({
        "time.resolution_h": 24, "time.horizon_hours": 24 * 14,
        "targets.renewable_generation": None})
    if server:
        scenario = scenario.with_updates({"data_centre": {
            "it_load_mw": 40.0, "pue": 1.25, "waste_heat_recoverable_fraction": 0.5}})
    table = _closes(solve_scenario(scenario))
    centre = table[(table.carrier == "electricity") & (table.flow == "data_centre")]
    if server:  # 40 MW x 1.25 all year
        assert float(centre["energy_mwh_per_year"].sum()) == pytest.approx(50 * 8760, rel=1e-9)
    else:
        assert centre.empty


def test_a_small_server_centre_is_in_the_balance_as_use():
    # the case: 1 MW of buildings and a 1 MW centre, both from the grid
    scenario = make_scenario(data_centre={"it_load_mw": 1.0, "pue": 1.0})
    inputs = make_inputs(2, data_centre=1.0)
    from energy_model.results import results_dataset

    m, sol = solve(scenario, inputs)
    table = _closes(results_dataset(m, scenario, inputs, sol)).set_index("flow")
    assert table.loc["grid_import", "energy_mwh_per_year"] == pytest.approx(17_520)
    assert table.loc["data_centre", "energy_mwh_per_year"] == pytest.approx(8_760)


def test_the_peak_import_check_counts_the_server_centre():
    from energy_model.checks import check_peak_import

    scenario = make_scenario(grid={"import_limit_mw": 1.5},
                             data_centre={"it_load_mw": 1.0, "pue": 1.0})
    findings = check_peak_import(scenario, make_inputs(2, data_centre=1.0))
    assert [f.level for f in findings] == ["error"]
    assert "2.0 MW" in findings[0].message


# ------------------------------------------------------------- a technology from outside


@pytest.fixture
def electrolyser():
    from electrolyser import ELECTROLYSER

    from energy_model import technologies

    technologies.register(ELECTROLYSER)
    yield ELECTROLYSER
    technologies.unregister(ELECTROLYSER.name)


def test_a_new_technology_declared_in_one_place_runs_end_to_end(electrolyser, tmp_path):
    from energy_model.report import build_report, load_results
    from energy_model.report_charts import capacity_chart, energy_balance_chart
    from energy_model.results import results_dataset, write_results

    # 0.5 MW of hydrogen at efficiency 0.5 needs 1 MW of electricity all year: 876,000
    # GBP/yr at 100 GBP/MWh, and 1 MW of electrolyser at 1,000 GBP/kW over 10 years
    # (discount rate 0): 100,000 GBP/yr, on top of the buildings' 876,000
    scenario = make_scenario(technologies={"electrolyser": {
        "capex_gbp_per_kw": 1000.0, "lifetime_years": 10, "efficiency": 0.5,
        "hydrogen_demand_mw": 0.5}})
    inputs = make_inputs(2)
    m, sol = solve(scenario, inputs)
    assert sol.objective_gbp_per_year == pytest.approx(1_852_000)
    ds = load_results(write_results(results_dataset(m, scenario, inputs, sol), tmp_path / "r"))
    assert float(ds["capacity"].sel(technology="electrolyser")) == pytest.approx(1.0)
    assert ds["electrolyser_power_mw"].attrs["carrier"] == "electricity"
    assert capacity_chart(ds).data["technology"].tolist() == ["electrolyser"]
    table = _closes(ds).set_index(["carrier", "flow"])["energy_mwh_per_year"]
    assert table["hydrogen", "electrolyser"] == pytest.approx(4380)
    assert table["electricity", "electrolyser"] == pytest.approx(8760)
    assert "electrolyser" in str(energy_balance_chart(ds).figure.to_dict())
    assert "electrolyser" in build_report(ds)[0]


def test_a_misspelt_or_unregistered_technology_is_refused():
    from energy_model.errors import ScenarioError

    with pytest.raises(ScenarioError, match="electrolyser: unknown technology"):
        make_scenario(technologies={"electrolyser": {"capex_gbp_per_kw": 1.0}})
    with pytest.raises(ScenarioError, match="did you mean 'ground_pv'"):
        make_scenario(technologies={"groundpv": {"capex_gbp_per_kw": 1.0}})
