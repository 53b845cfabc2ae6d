"""Build rates, what a target counts, energy from waste's contract and the limits that
bind: systems small enough to solve by hand."""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
import pytest
from systems import make_inputs, make_scenario, solve

from energy_model.build import build_model
from energy_model.checks import check_plan
from energy_model.diagnose import elastic_report
from energy_model.errors import ScenarioError
from energy_model.limits import ONLY_POTENTIALS, binding_limits, limits_sentence
from energy_model.pathway import build_pathway, pathway_plan, solve_pathway
from energy_model.solve import WarmStart, solve_model

YEARS = {"base_year": 2025, "plan_year": 2030}
# Ground PV at 1,000 GBP/kW over 10 years (r = 0): 100,000 GBP/yr a MW. It runs in the
# first of two hours, each standing for 4,380 h, and saves 100 GBP/MWh of import: 438,000
# GBP/yr a MW up to the 1 MW load, so without limits 1 MW is built.
PV = {"capex_gbp_per_kw": 1000.0, "lifetime_years": 10}
SAVING_GBP_PER_MW = 438_000 - 100_000


def pv(**keys):
    return make_scenario(technologies={"ground_pv": {**PV, **keys}}, plan_years=YEARS)


def solved_on(path: str, scenario, inputs):
    """Solve through Pyomo's HiGHS interface or through the matrices (the large-LP path,
    which a warm start selects)."""
    m = build_model(scenario, inputs)
    return m, solve_model(m, warm_start=WarmStart() if path == "matrices" else None)


@pytest.mark.parametrize("path", ["pyomo-interface", "matrices"])
def test_a_binding_build_rate_gives_rate_times_years_and_its_shadow_price(path):
    # 0.1 MW/yr over 2026-2030: 0.5 MW. One more MW saves 338,000 GBP/yr; one more MW a
    # year of rate gives 5 MW more: 1,690,000 GBP/yr per MW/yr.
    scenario = pv(build_rate_mw_per_year=0.1)
    m, sol = solved_on(path, scenario, make_inputs(2, cf={"ground_pv": [1, 0]}))
    assert pyo.value(m.capacity["ground_pv"]) == pytest.approx(0.5)
    assert sol.objective_gbp_per_year == pytest.approx(50_000 + 0.5 * 438_000 + 438_000)
    assert abs(sol.duals[m.build_rate_limit["ground_pv"]]) == pytest.approx(SAVING_GBP_PER_MW)
    limits = binding_limits(m, scenario, sol)
    assert [(lim.name, lim.kind) for lim in limits] == [("build rate of ground_pv",
                                                          "build_rate")]
    assert limits[0].shadow_price == pytest.approx(5 * SAVING_GBP_PER_MW)
    assert limits[0].shadow_price_unit == "GBP/yr per MW/yr of rate"
    assert limits[0].scenario_key == "technologies.ground_pv.build_rate_mw_per_year"


@pytest.mark.parametrize("path", ["pyomo-interface", "matrices"])
def test_a_binding_potential_has_the_same_reduced_cost_on_both_solve_paths(path):
    scenario = pv(potential_mw=0.25)
    m, sol = solved_on(path, scenario, make_inputs(2, cf={"ground_pv": [1, 0]}))
    limits = binding_limits(m, scenario, sol)
    assert [lim.name for lim in limits] == ["potential of ground_pv"]
    assert limits[0].shadow_price == pytest.approx(SAVING_GBP_PER_MW)
    assert limits[0].level == pytest.approx(0.25)
    assert limits_sentence(limits) == ONLY_POTENTIALS[0].upper() + ONLY_POTENTIALS[1:] + "."


def test_an_earliest_year_shortens_the_years_a_rate_applies():
    # from 2029: two years at 0.1 MW/yr
    m, _ = solve(pv(build_rate_mw_per_year=0.1, earliest_build_year=2029),
                 make_inputs(2, cf={"ground_pv": [1, 0]}))
    assert pyo.value(m.capacity["ground_pv"]) == pytest.approx(0.2)
    # after the plan year: nothing can be built, rate or not
    m, _ = solve(pv(earliest_build_year=2031), make_inputs(2, cf={"ground_pv": [1, 0]}))
    assert pyo.value(m.capacity["ground_pv"]) == pytest.approx(0.0)


def test_null_removes_a_rate():
    m, _ = solve(pv(build_rate_mw_per_year=None), make_inputs(2, cf={"ground_pv": [1, 0]}))
    assert pyo.value(m.capacity["ground_pv"]) == pytest.approx(1.0)


def test_a_rate_without_plan_years_is_refused():
    with pytest.raises(ScenarioError, match="ground_pv.build_rate_mw_per_year: needs plan_years"):
        make_scenario(technologies={"ground_pv": {**PV, "build_rate_mw_per_year": 1.0}})
    with pytest.raises(ScenarioError, match="plan_year 2025 must be after base_year 2025"):
        make_scenario(plan_years={"base_year": 2025, "plan_year": 2025})


HEAT_PUMPS = {
    "individual_heat_pump": {"capex_gbp_per_kw": 100.0, "lifetime_years": 1,
                             "build_rate_homes_per_year": 4},
    "individual_gas_boiler": {"capex_gbp_per_kw": 0.0, "lifetime_years": 1, "efficiency": 0.8},
}


def test_a_heat_pump_rate_in_homes_limits_the_share_and_is_priced_per_home():
    # As test_hand_solved's heat-pump case (heat pumps save 219,000 GBP/yr per share of the
    # zone against 100,000 of cost, up to 60 %), with 100 homes and 4 homes a year over
    # five years: 20 homes, a share of 0.2. A share more is worth 119,000 GBP/yr: 1,190 a
    # home, 5,950 per home a year of rate.
    zones = {"A": {"households": 100, "domestic_electricity_mwh_per_year": 0,
                   "domestic_heat_mwh_per_year": 8760, "max_heat_pump_share": 0.6}}
    scenario = make_scenario(technologies=HEAT_PUMPS, zones=zones, plan_years=YEARS,
                             gas={"price_gbp_per_mwh": 40.0})
    m, sol = solve(scenario, make_inputs(2, load=0.0, heat=1.0,
                                         cop={"individual_heat_pump": 4.0}))
    assert pyo.value(m.heat_pump_share["A"]) == pytest.approx(0.2)
    assert sol.objective_gbp_per_year == pytest.approx(0.8 * 8760 * 50 + 0.2 * 8760 * 25
                                                       + 20_000)
    (limit,) = binding_limits(m, scenario, sol)
    assert limit.name == "build rate of individual_heat_pump"
    assert limit.shadow_price == pytest.approx(5 * 1_190)
    assert limit.unit == "homes/yr"


def test_a_rate_spread_over_zones_by_households():
    # each_zone_by_households: zone A (100 of 400 homes) may add 4 x 5 x 1/4 = 5 homes
    zones = {z: {"households": n, "domestic_electricity_mwh_per_year": 0,
                 "domestic_heat_mwh_per_year": 8760 * n / 100, "max_heat_pump_share": 0.6}
             for z, n in (("A", 100), ("B", 300))}
    tech = {**HEAT_PUMPS, "individual_heat_pump": {
        **HEAT_PUMPS["individual_heat_pump"], "build_rate_scope": "each_zone_by_households"}}
    scenario = make_scenario(technologies=tech, zones=zones, plan_years=YEARS,
                             gas={"price_gbp_per_mwh": 40.0})
    inputs = make_inputs(2, load=0.0, heat=1.0, cop={"individual_heat_pump": 4.0})
    inputs.heat_demand_mw["B"] = inputs.heat_demand_mw["A"] * 3
    inputs.heat_peak_mw["B"] = 3.0
    m, _ = solve(scenario, inputs)
    assert pyo.value(m.heat_pump_share["A"]) * 100 == pytest.approx(5.0)
    assert pyo.value(m.heat_pump_share["B"]) * 300 == pytest.approx(15.0)


def test_a_target_the_rates_cannot_reach_is_named_with_both_numbers():
    # 0.1 MW/yr x 5 years x 4,380 MWh/yr a MW = 2,190 MWh/yr at most, against 3,000
    scenario = make_scenario(
        technologies={"ground_pv": {**PV, "build_rate_mw_per_year": 0.1}}, plan_years=YEARS,
        targets={"renewable_generation": {"baseline_mwh_per_year": 3000,
                                          "counts": ["ground_pv"]}})
    errors = [f.message for f in check_plan(scenario, make_inputs(2, cf={"ground_pv": [1, 0]}))
              if f.level == "error"]
    assert len(errors) == 1
    assert "target of 3,000 MWh/yr" in errors[0] and "2,190 MWh/yr" in errors[0]
    assert "build rates (ground_pv" in errors[0]


# ---------------------------------------------------------------- pathways


def pathway_pv(rate, periods, weights=None, target_mw=3.0):
    """Ground PV built only for a final renewable target (free grid power), its capex
    falling 10 % a year, so that without a rate all of it is built in the last period."""
    pathway = {"periods": periods, "capex_reference_year": periods[0],
               "capex_decline_per_year": {"ground_pv": 0.1},
               "renewable_milestones": "final_only"}
    if weights:
        pathway["weights_years"] = weights
    return make_scenario(
        finance={"discount_rate": 0.0}, pathway=pathway,
        technologies={"ground_pv": {**PV, "build_rate_mw_per_year": rate}},
        targets={"renewable_generation": {"baseline_mwh_per_year": 8760.0,
                                          "multiplier": target_mw, "counts": ["ground_pv"]}})


def solved_pathway(scenario, myopic=False):
    plan = pathway_plan(scenario)
    inputs = make_inputs(1, cf={"ground_pv": 1.0}, price=0.0)
    pm = build_pathway(plan, {y: inputs for y in plan.years})
    return pm, solve_pathway(pm, myopic=myopic)


def test_a_pathway_spreads_a_build_over_periods_within_the_rate():
    # 3 MW by 2028 at 1.2 MW a year: as late as possible, 1.2 in 2028 and 2027 and the
    # remaining 0.6 in 2026. With r = 0 and a 10-year life a MW costs a tenth of its
    # capex for each year of the horizon it serves: 2026 3 years at 1e6, 2027 2 at 0.9e6,
    # 2028 1 at 0.81e6.
    pm, sol = solved_pathway(pathway_pv(1.2, [2026, 2027, 2028]))
    m = pm.model
    assert [pyo.value(m.build[y, "ground_pv"]) for y in (2026, 2027, 2028)] == pytest.approx(
        [0.6, 1.2, 1.2])
    assert sol.total_cost_gbp == pytest.approx(0.1 * (0.6 * 3e6 + 1.2 * 0.9e6 * 2
                                                      + 1.2 * 0.81e6))
    # one more MW of 2028's rate replaces a MW built in 2026: 0.1 x (3e6 - 0.81e6)
    assert abs(sol.duals[m.period_build_rate[2028, "ground_pv"]]) == pytest.approx(219_000)
    assert abs(sol.duals[m.period_build_rate[2027, "ground_pv"]]) == pytest.approx(120_000)


def test_a_longer_period_builds_its_rate_times_its_years():
    # periods 2026 (two years) and 2028: at most 2.4 MW then and 1.2 MW in 2028
    pm, _ = solved_pathway(pathway_pv(1.2, [2026, 2028], weights=[2, 1], target_mw=3.6))
    m = pm.model
    assert [pyo.value(m.build[y, "ground_pv"]) for y in (2026, 2028)] == pytest.approx(
        [2.4, 1.2])


# ---------------------------------------------------------------- what counts


def test_a_heat_technology_in_an_electricity_target_is_refused_naming_it():
    with pytest.raises(ScenarioError) as err:
        make_scenario(targets={"renewable_generation": {
            "baseline_mwh_per_year": 1000, "counts": ["rooftop_pv", "geothermal"]}})
    text = str(err.value)
    assert "counts: geothermal is heat, but the target's measure is electricity" in text
    assert "measure: electricity_and_heat" in text


def test_heat_counted_against_electricity_on_purpose_is_allowed_and_labelled():
    s = make_scenario(targets={"renewable_generation": {
        "baseline_mwh_per_year": 1000, "measure": "electricity_and_heat",
        "counts": ["rooftop_pv", "geothermal"]}})
    assert s.targets.renewable_generation.measure == "electricity_and_heat"
    from energy_model.results import scope_attrs

    assert scope_attrs(s)["renewable_target_measure"] == "electricity_and_heat"


def test_a_renewable_heat_target_counts_ambient_heat_of_heat_pumps():
    # Heat pumps at COP 4 on 1 MW of heat: 3/4 of their heat is ambient, 6,570 MWh/yr for
    # the whole zone. A heat target of 3,285 MWh/yr needs half the zone on heat pumps,
    # which cost more than they save here (power at 1,000 GBP/MWh).
    zones = {"A": {"households": 100, "domestic_electricity_mwh_per_year": 0,
                   "domestic_heat_mwh_per_year": 8760}}
    tech = {"individual_heat_pump": {"capex_gbp_per_kw": 0.0, "lifetime_years": 1},
            "individual_gas_boiler": {"capex_gbp_per_kw": 0.0, "lifetime_years": 1,
                                      "efficiency": 1.0}}
    scenario = make_scenario(technologies=tech, zones=zones, gas={"price_gbp_per_mwh": 10.0},
                             targets={"renewable_heat": {"baseline_mwh_per_year": 3285,
                                                         "counts": ["individual_heat_pump"]}})
    assert scenario.targets.renewable_heat.measure == "heat"
    m, sol = solve(scenario, make_inputs(2, load=0.0, heat=1.0, price=1000.0,
                                         cop={"individual_heat_pump": 4.0}))
    assert pyo.value(m.heat_pump_share["A"]) == pytest.approx(0.5)
    assert pyo.value(m.renewable_heat_mwh) == pytest.approx(3285)
    # a share costs 8,760 x (1000 / 4 - 10) GBP/yr more and adds 6,570 MWh of ambient heat
    assert abs(sol.duals[m.renewable_heat_target]) == pytest.approx(8760 * 240 / 6570)


def lossy_battery():
    return {"battery": {"energy_capex_gbp_per_kwh": 0.001, "power_capex_gbp_per_kw": 0.001,
                        "energy_lifetime_years": 1, "power_lifetime_years": 1,
                        "charge_efficiency": 0.9, "discharge_efficiency": 0.9}}


def test_burning_surplus_in_battery_losses_no_longer_meets_a_target():
    # 1 MW load in the first hour only, none in the second, no export; 1.5 MW of PV fixed.
    # Counting generation, the old model met a target of 1.5 MW x 4,380 h by generating
    # all 1.5 MW and burning 0.5 MW in a battery charging and discharging at once
    # (C = 2.63, D = 2.13 MW). Counted net of storage losses, at most the 1 MW used
    # counts: 4,380 MWh/yr, and an elastic solve misses the target by 2,190.
    scenario = make_scenario(
        technologies={"ground_pv": PV, **lossy_battery()}, fixed_capacity={"ground_pv": 1.5},
        grid={"import_price_gbp_per_mwh": 100.0, "export_limit_mw": 0.0},
        targets={"renewable_generation": {"baseline_mwh_per_year": 1.5 * 4380,
                                          "counts": ["ground_pv"]}})
    inputs = make_inputs(2, cf={"ground_pv": [1, 0]}, load=[1, 0])
    m = build_model(scenario, inputs, elastic=True)
    solve_model(m)
    assert pyo.value(m.renewable_generation_mwh) == pytest.approx(4380)
    assert pyo.value(m.renewable_shortfall_mwh) == pytest.approx(2190)
    assert elastic_report(m, inputs.step_weight_h) == [
        "renewable target missed by 2,190.0 MWh/yr"]


def test_surplus_shifted_through_a_battery_counts_less_its_losses():
    # 1 MW load in both hours, PV only in the first, free grid power (PV is built for the
    # target alone), no export. A target of 1.5 MW x 4,380 h: x MW of surplus PV stored and
    # used in hour 2 counts 0.81 x (0.9 each way), so the PV needed is 1 + 0.5 / 0.81 MW
    # (counting gross generation it was 1.5 MW).
    scenario = make_scenario(
        technologies={"ground_pv": PV, **lossy_battery()},
        grid={"import_price_gbp_per_mwh": 0.0, "export_limit_mw": 0.0},
        targets={"renewable_generation": {"baseline_mwh_per_year": 1.5 * 4380,
                                          "counts": ["ground_pv"]}})
    m, _ = solve(scenario, make_inputs(2, cf={"ground_pv": [1, 0]}, load=1.0, price=0.0))
    assert pyo.value(m.capacity["ground_pv"]) == pytest.approx(1 + 0.5 / 0.81)
    assert pyo.value(m.renewable_generation_mwh) == pytest.approx(1.5 * 4380)


def test_battery_arbitrage_on_imports_leaves_the_count_alone():
    # 0.5 MW of PV in the second hour only; a lossy battery buys at 50 in the first hour
    # and covers the second hour's load at 150. Its losses fall on imported power: the PV
    # counts in full, 0.5 x 4,380 MWh/yr, and the target of that much costs nothing.
    scenario = make_scenario(
        technologies={"ground_pv": PV, **lossy_battery()}, fixed_capacity={"ground_pv": 0.5},
        targets={"renewable_generation": {"baseline_mwh_per_year": 0.5 * 4380,
                                          "counts": ["ground_pv"]}})
    m, sol = solve(scenario, make_inputs(2, cf={"ground_pv": [0, 1]}, price=[50, 150]))
    assert pyo.value(m.capacity["battery_power"]) > 0.1
    assert pyo.value(m.renewable_generation_mwh) == pytest.approx(0.5 * 4380)
    assert abs(sol.duals[m.renewable_target]) == pytest.approx(0.0, abs=1e-6)


# ---------------------------------------------------------------- energy from waste


def efw_scenario(**efw):
    spec = {"capacity_mw": 1.0, "biogenic_fraction": 0.5, "contract_end_date": "2030-01-01",
            **efw}
    return make_scenario(technologies={"energy_from_waste": spec}, plan_years=YEARS)


@pytest.mark.parametrize(("keys", "hours"), [({}, 24), ({"after_contract": "replaced"}, 48),
                                             ({"contract_end_date": "2029-12-31"}, 0),
                                             ({"contract_end_date": "2031-06-30"}, 48)])
def test_energy_from_waste_runs_until_its_contract_ends_unless_replaced(keys, hours):
    # two days of hourly steps from 1 January 2030; the load takes all the plant gives
    inputs = make_inputs(48, load=2.0)
    m, _ = solve(efw_scenario(**keys), inputs)
    ran = np.array([pyo.value(m.efw_electricity[t]) for t in m.T])
    assert ran.sum() == pytest.approx(hours)


def test_with_typical_days_a_day_runs_for_the_share_of_its_days_under_contract():
    from dataclasses import replace

    from energy_model.components.electricity import efw_contract_share

    # two typical days of 24 hourly steps: the first stands for 1 January to 31 March
    # (90 days) and 1-10 December, the second for the rest; the contract ends 31 March
    order = np.array([0] * 90 + [1] * (365 - 90))
    order[-10:] = 0
    inputs = replace(make_inputs(48), day_order=order)
    share = efw_contract_share(efw_scenario(contract_end_date="2030-03-31"), inputs)
    assert share[:24] == pytest.approx(np.full(24, 90 / 100))
    assert share[24:] == pytest.approx(np.zeros(24))


# ---------------------------------------------------------------- elastic


def test_elastic_relaxes_the_fuel_poverty_targets_too():
    from test_fuel_poverty import scenario as fp_scenario

    base = fp_scenario(100)
    scenario = base.with_updates({"targets.fuel_poverty.min_private_homes_improved": 250})
    inputs = make_inputs(2, load=0.0, heat=0.1)
    m = build_model(scenario, inputs, elastic=True)
    solve_model(m)
    # 70 fuel-poor households in all, and at most 200 homes treated (100 a zone)
    assert elastic_report(m, inputs.step_weight_h) == [
        "households lifted out of fuel poverty short by 30.0 households",
        "private homes improved short by 50.0 homes"]


# ---------------------------------------------------------------- results and report


def solved_for_results(scenario, inputs):
    """Solve (variables no constraint uses, retrofit without retrofit, get a value too)."""
    return solve(scenario, inputs)


def test_results_and_report_say_what_limits_the_plan(tmp_path):
    from energy_model.report import build_report, load_results
    from energy_model.results import format_summary, results_dataset, write_results

    scenario = pv(potential_mw=0.25)
    inputs = make_inputs(2, cf={"ground_pv": [1, 0]})
    m, sol = solved_for_results(scenario, inputs)
    ds = load_results(write_results(results_dataset(m, scenario, inputs, sol), tmp_path / "r"))
    assert ds["limit"].to_numpy().tolist() == ["potential of ground_pv"]
    assert float(ds["limit_shadow_price"][0]) == pytest.approx(SAVING_GBP_PER_MW)
    assert "potential of ground_pv" in format_summary(ds)
    page, tables = build_report(ds)
    assert "What limits this plan" in page and "This plan builds every renewable" in page
    assert tables["binding_limits"]["scenario_key"].tolist() == [
        "technologies.ground_pv.potential_mw"]


def test_a_zero_target_price_is_explained():
    from energy_model.report import build_report
    from energy_model.results import results_dataset

    # the target (1,000 MWh/yr) is met by PV built for its savings alone (1 MW, 4,380)
    scenario = make_scenario(technologies={"ground_pv": PV}, targets={"renewable_generation": {
        "baseline_mwh_per_year": 1000, "counts": ["ground_pv"]}})
    inputs = make_inputs(2, cf={"ground_pv": [1, 0]})
    m, sol = solved_for_results(scenario, inputs)
    page, _ = build_report(results_dataset(m, scenario, inputs, sol))
    assert "shadow price is zero: the cheapest plan counts 4.4 GWh/yr against a target of " \
           "1.0 GWh/yr" in page
