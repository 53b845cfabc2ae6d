"""Fuel poverty on systems small enough to solve by hand."""

import numpy as np
import pyomo.environ as pyo
import pytest
from systems import make_inputs, make_scenario, solve

from energy_model.checks import check_plan

# Zone A: 100 homes, 50 fuel poor (rate 0.5); zone B: 100 homes, 20 fuel poor (0.2).
# Targeting rate 0.5: a treated home reaches 0.5 + 0.5 x 0.5 = 0.75 fuel-poor homes in A and
# 0.5 + 0.5 x 0.2 = 0.6 in B. Every intervention lifts all it reaches (lift share 1).
# Retrofit costs 100 GBP/yr a home, a connection 300; system gas is free, so the plan's
# cost is what the interventions cost.
ZONE = {"domestic_electricity_mwh_per_year": 0, "domestic_heat_mwh_per_year": 876,
        "max_retrofit_share": 0.5, "max_heat_network_share": 1.0}
ZONES = {"A": {**ZONE, "households": 100, "fuel_poor_households": 50},
         "B": {**ZONE, "households": 100, "fuel_poor_households": 20}}
TECH = {
    "retrofit": {"capex_gbp_per_household": 100.0, "heat_saving_fraction": 0.2,
                 "lifetime_years": 1},
    "individual_gas_boiler": {"capex_gbp_per_kw": 0.0, "lifetime_years": 1, "efficiency": 1.0},
    "heat_network": {"lifetime_years": 1, "connection_capex_gbp_per_household": 300.0},
    "central_gas_boiler": {"capex_gbp_per_kw": 0.0, "lifetime_years": 1, "efficiency": 1.0,
                           "existing_capacity_mw": 10.0},
}
FUEL_POVERTY = {"targeting_rate": 0.5,
                "lift_share": {"retrofit": 1.0, "heat_network": 1.0, "heat_pump": 1.0},
                "tariffs": {"electricity_gbp_per_mwh": 300, "gas_gbp_per_mwh": 100,
                            "heat_gbp_per_mwh": 50}}


def scenario(households_lifted, **tariffs):
    fp = {**FUEL_POVERTY, "tariffs": {**FUEL_POVERTY["tariffs"], **tariffs}}
    return make_scenario(zones=ZONES, technologies=TECH, gas={"price_gbp_per_mwh": 0.0},
                         fuel_poverty=fp,
                         targets={"fuel_poverty": {"min_households_lifted": households_lifted}})


def inputs():
    return make_inputs(2, load=0.0, heat=0.1)


def test_retrofit_alone_in_the_zone_with_most_fuel_poverty_first():
    # 30 households at 0.75 a home in A: 40 homes retrofitted, 4,000 GBP/yr.
    m, sol = solve(scenario(30), inputs())
    assert pyo.value(m.retrofit_share["A"]) == pytest.approx(0.4)
    assert pyo.value(m.retrofit_share["B"]) == pytest.approx(0.0)
    assert pyo.value(m.heat_network_share["A"]) == pytest.approx(0.0)
    assert sol.objective_gbp_per_year == pytest.approx(4_000)
    # the last household costs 100 / 0.75 GBP a year
    assert abs(sol.duals[m.fuel_poverty_target]) == pytest.approx(100 / 0.75)


def test_past_the_retrofit_limit_connections_come_in():
    # Retrofit can lift at most 37.5 in A (50 homes x 0.75) and 20 in B (all its fuel poor,
    # from 33.3 homes): 57.5. Seven and a half more come from connecting 10 homes in A.
    m, sol = solve(scenario(65), inputs())
    assert pyo.value(m.retrofit_share["A"]) == pytest.approx(0.5)
    assert pyo.value(m.retrofit_share["B"]) == pytest.approx(1 / 3)
    assert pyo.value(m.heat_network_share["A"]) == pytest.approx(0.1)
    assert sol.objective_gbp_per_year == pytest.approx(5_000 + 10_000 / 3 + 3_000)


def test_a_connection_that_raises_bills_lifts_nobody():
    # A heat tariff of 150 GBP/MWh against gas at 100: connections raise bills, so beyond
    # retrofit's 57.5 nothing more can be lifted and the check refuses 65 before the solve.
    findings = check_plan(scenario(65, heat_gbp_per_mwh=150), inputs())
    assert any("the 58 the scenario's interventions can lift" in f.message for f in findings
               if f.level == "error")


def test_more_households_than_exist_is_refused_before_the_solve():
    findings = check_plan(scenario(100), inputs())
    errors = [f.message for f in findings if f.level == "error"]
    assert errors == ["targets.fuel_poverty.min_households_lifted: 100 households is more than "
                      "the 70 fuel-poor households in the scenario's zones"]


def test_stoke_cost_of_lifting_moves_the_right_way():
    from energy_model.analysis import cost_of_lifting
    from energy_model.scenario import load_scenario

    base = load_scenario("stoke-2030").with_updates(
        {"time.resolution_h": 24, "time.horizon_hours": 24 * 28})
    targets = [1000, 5000, 10000]

    def costs(s):
        table = cost_of_lifting(s, targets)
        assert list(table["households_lifted"] >= table["target_households"] - 1e-6) == [True] * 3
        # the extra cost is spread over the households lifted beyond the cheapest plan's
        more = table["households_lifted"] - table["lifted_without_the_target"]
        np.testing.assert_allclose(
            table["extra_cost_per_extra_household_gbp_per_year"] * more.where(more > 0.5, 0),
            table["extra_cost_gbp_per_year"].where(more > 0.5, 0), rtol=1e-9, atol=1e-6)
        return table["extra_cost_gbp_per_year"].to_numpy()

    reference = costs(base)
    assert all(reference[1:] >= reference[:-1] - 1e-6)  # more households cost more
    dearer_heat = costs(base.with_updates({"fuel_poverty.tariffs.heat_gbp_per_mwh": 90.0}))
    dearer_retrofit = costs(base.with_updates(
        {"technologies.retrofit.capex_gbp_per_household": 15000.0}))
    assert all(dearer_heat >= reference - 1e-6) and dearer_heat[-1] > reference[-1]
    assert all(dearer_retrofit >= reference - 1e-6) and dearer_retrofit[-1] > reference[-1]
