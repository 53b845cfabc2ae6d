"""The two views of cost: system prices in the objective, household bills beside it, carbon
valued, price years converted, and the plan against doing nothing."""

import numpy as np
import pandas as pd
import pyomo.environ as pyo
import pytest
from systems import make_inputs, make_scenario, solve

from energy_model.do_nothing import solve_do_nothing, start_do_nothing
from energy_model.economics import against_do_nothing, who_pays
from energy_model.errors import ScenarioError
from energy_model.prices import distribution_charge, import_export
from energy_model.scenario import DistributionBands, Grid, load_scenario, scenario_from_dict

BANDS = {"red_gbp_per_mwh": 50.0, "amber_gbp_per_mwh": 10.0, "green_gbp_per_mwh": 1.0}


def hours(*local: str) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(local).tz_localize("Europe/London").tz_convert("UTC")


def test_an_import_at_a_red_band_hour_costs_energy_plus_the_red_rate():
    grid = Grid(energy_value_gbp_per_mwh=100.0, distribution=DistributionBands(**BANDS))
    # Monday 17:00 (red), Monday 07:00 (half green, half amber from 07:30), Monday 12:00
    # (amber), Saturday 17:00 (green: bands apply on weekdays), a summer Monday 17:00
    # local (16:00 UTC: bands are read in local time)
    index = hours("2030-01-07 17:00", "2030-01-07 07:00", "2030-01-07 12:00",
                  "2030-01-12 17:00", "2030-07-01 17:00")
    charge = distribution_charge(index, grid.distribution)
    np.testing.assert_allclose(charge, [50.0, 5.5, 10.0, 1.0, 50.0])
    frame = pd.DataFrame({"energy_value_gbp_per_mwh": 100.0,
                          "distribution_gbp_per_mwh": charge}, index=index)
    priced = import_export(frame, grid, replaced=set())
    np.testing.assert_allclose(priced["import_price_gbp_per_mwh"], [150, 105.5, 110, 101, 150])


def test_export_earns_the_energy_value_less_the_spill_margin():
    grid = Grid(energy_value_gbp_per_mwh=100.0, spill_margin_gbp_per_mwh=5.0)
    index = hours("2030-01-07 12:00", "2030-01-07 13:00")
    frame = pd.DataFrame({"energy_value_gbp_per_mwh": [100.0, 3.0],
                          "distribution_gbp_per_mwh": 0.0}, index=index)
    priced = import_export(frame, grid, replaced=set())
    # spilling never costs the system: at 3 GBP/MWh the export earns nothing
    np.testing.assert_allclose(priced["export_price_gbp_per_mwh"], [95.0, 0.0])
    # 1 MW of existing PV running flat out, no load: the year's exports earn 95 x 8,760
    pv = {"ground_pv": {"capex_gbp_per_kw": 0.0, "lifetime_years": 25,
                        "existing_capacity_mw": 1.0, "potential_mw": 1.0}}
    _, sol = solve(make_scenario(technologies=pv),
                   make_inputs(24, cf={"ground_pv": 1.0}, load=0.0, price=105.0,
                               export_price=95.0))
    assert sol.objective_gbp_per_year == pytest.approx(-95.0 * 8760)


HEATING = {
    "individual_gas_boiler": {"capex_gbp_per_kw": 0.0, "lifetime_years": 20, "efficiency": 0.9},
    "individual_heat_pump": {"capex_gbp_per_kw": 0.0, "lifetime_years": 18},
}


def heating_scenario(carbon_value: float):
    return make_scenario(
        technologies=HEATING, gas={"price_gbp_per_mwh": 30.0, "co2_t_per_mwh": 0.2},
        grid={"import_price_gbp_per_mwh": 120.0, "co2_t_per_mwh": 0.05,
              "marginal_co2_t_per_mwh": 0.1},
        zones={"A": {"households": 1, "domestic_electricity_mwh_per_year": 0.0,
                     "domestic_heat_mwh_per_year": 8760.0}},
        carbon={"co2_value_gbp_per_t": carbon_value})


@pytest.mark.parametrize("value", [30.0, 40.0])
def test_a_carbon_value_switches_a_gas_boiler_to_a_heat_pump_at_the_expected_price(value):
    # 1 MW of heat all year. Gas: (30 + 0.2 v) / 0.9 per MWh of heat; heat pump (COP 3):
    # (120 + 0.1 v) / 3, grid carbon at its marginal factor. Equal at v = 18 / 0.51 =
    # 35.3 GBP/t: below it the boiler stays, above it the heat pump takes every home.
    inputs = make_inputs(24, load=0.0, heat=1.0, cop={"individual_heat_pump": 3.0},
                         price=120.0, co2=0.05)
    inputs = inputs.__class__(**{**inputs.__dict__,
                                 "grid_marginal_co2_t_per_mwh": np.full(24, 0.1)})
    m, sol = solve(heating_scenario(value), inputs)
    share = pyo.value(m.heat_pump_share["A"])
    if value < 18 / 0.51:
        assert share == pytest.approx(0.0, abs=1e-9)
        assert sol.objective_gbp_per_year == pytest.approx(8760 * (30 + 0.2 * value) / 0.9)
    else:
        assert share == pytest.approx(1.0)
        assert sol.objective_gbp_per_year == pytest.approx(8760 * (120 + 0.1 * value) / 3)
        # the footprint counts grid electricity at the average factor, not the marginal
        assert pyo.value(m.co2_t) == pytest.approx(8760 / 3 * 0.05)


def test_doing_nothing_equals_a_plan_that_builds_nothing():
    pv = {"ground_pv": {"capex_gbp_per_kw": 800.0, "lifetime_years": 25,
                        "existing_capacity_mw": 0.5, "potential_mw": 0.5}}
    scenario = make_scenario(technologies=pv)
    inputs = make_inputs(24, cf={"ground_pv": np.linspace(0, 1, 24)}, price=100.0)
    m, sol = solve(scenario, inputs)
    from energy_model.results import results_dataset

    plan = results_dataset(m, scenario, inputs, sol)
    base = solve_do_nothing(scenario, inputs)
    assert base.attrs["total_cost_gbp_per_year"] == pytest.approx(sol.objective_gbp_per_year)
    figures = against_do_nothing(plan, base)
    assert figures["extra_cost_gbp_per_year"] == pytest.approx(0.0, abs=1e-6)
    assert figures["co2_saved_t_per_year"] == pytest.approx(0.0, abs=1e-9)


def test_doing_nothing_in_a_second_process_answers_as_in_this_one():
    pv = {"ground_pv": {"capex_gbp_per_kw": 800.0, "lifetime_years": 25,
                        "existing_capacity_mw": 0.5}}
    scenario = make_scenario(technologies=pv)
    inputs = make_inputs(24, cf={"ground_pv": np.linspace(0, 1, 24)}, price=150.0)
    here = start_do_nothing(scenario, inputs, parallel=False)
    there = start_do_nothing(scenario, inputs, parallel=True)
    assert (here.parallel, there.parallel) == (False, True)
    a, b = here.result(), there.result()
    assert b.attrs["total_cost_gbp_per_year"] == a.attrs["total_cost_gbp_per_year"]
    assert float(b["grid_import_mw"].sum()) == float(a["grid_import_mw"].sum())
    # 0.5 MW of PV: import 1 MW less its output, at 150 GBP/MWh, plus PV's fixed costs
    imported_mwh = float((1 - 0.5 * np.linspace(0, 1, 24)).sum()) * 8760 / 24
    assert float(a["grid_import_mw"].sum()) * 8760 / 24 == pytest.approx(imported_mwh)
    # a plan that fails stops the second process: nothing is left running
    late = start_do_nothing(scenario, inputs, parallel=True)
    late.cancel()
    assert late._process is None
    # a second process that dies without an answer (killed for memory, say) is not waited
    # for: doing nothing is solved here instead
    killed = start_do_nothing(scenario, inputs, parallel=True)
    killed._process.kill()
    killed._process.join()
    c = killed.result()
    assert c.attrs["total_cost_gbp_per_year"] == a.attrs["total_cost_gbp_per_year"]
    assert killed._process is None


def test_a_plan_without_targets_costs_no_more_than_doing_nothing():
    pv = {"ground_pv": {"capex_gbp_per_kw": 800.0, "lifetime_years": 25,
                        "existing_capacity_mw": 0.5}}
    scenario = make_scenario(technologies=pv)
    inputs = make_inputs(24, cf={"ground_pv": np.linspace(0, 1, 24)}, price=150.0)
    m, sol = solve(scenario, inputs)
    assert pyo.value(m.new_capacity["ground_pv"]) > 0.1
    base = solve_do_nothing(scenario, inputs)
    assert sol.objective_gbp_per_year < base.attrs["total_cost_gbp_per_year"]
    # today's system serves everything: nothing was penalised
    assert base.attrs["unserved_penalty_gbp_per_year"] == pytest.approx(0.0, abs=1e-6)


def fuel_poverty_scenario(**tariffs):
    tariff = {"electricity_gbp_per_mwh": 250.0, "electricity_standing_gbp_per_day": 0.5,
              "gas_gbp_per_mwh": 60.0, "gas_standing_gbp_per_day": 0.3,
              "heat_gbp_per_mwh": 55.0, "heat_standing_gbp_per_day": 0.3, **tariffs}
    return make_scenario(
        technologies={**HEATING, "retrofit": {"capex_gbp_per_household": 5000.0,
                                              "heat_saving_fraction": 0.25,
                                              "lifetime_years": 30}},
        gas={"price_gbp_per_mwh": 30.0, "co2_t_per_mwh": 0.2},
        zones={"A": {"households": 100, "domestic_electricity_mwh_per_year": 270.0,
                     "domestic_heat_mwh_per_year": 1000.0, "fuel_poor_households": 25,
                     "below_band_c_share": 0.6, "max_retrofit_share": 0.3,
                     "max_heat_pump_share": 0.5}},
        fuel_poverty={"targeting_rate": 0.5,
                      "lift_share": {"retrofit": 0.8, "heat_pump": 0.5},
                      "tariffs": tariff},
        targets={"fuel_poverty": {"min_private_homes_improved": 20}})


def test_levies_vat_and_standing_charges_stay_out_of_the_objective():
    from energy_model.results import results_dataset

    inputs = make_inputs(24, load=270 / 8760, heat=1000 / 8760,
                         cop={"individual_heat_pump": 3.0})
    plain = fuel_poverty_scenario()
    # VAT at 5 % on unit rates and doubled standing charges: bills change, the plan not
    taxed = fuel_poverty_scenario(electricity_gbp_per_mwh=262.5, gas_gbp_per_mwh=63.0,
                                  heat_gbp_per_mwh=57.75, electricity_standing_gbp_per_day=1.0,
                                  gas_standing_gbp_per_day=0.6, heat_standing_gbp_per_day=0.6)
    results = []
    for scenario in (plain, taxed):
        m, sol = solve(scenario, inputs)
        results.append((sol.objective_gbp_per_year, results_dataset(m, scenario, inputs, sol)))
    (cost_a, ds_a), (cost_b, ds_b) = results
    assert cost_a == pytest.approx(cost_b, rel=1e-9)
    np.testing.assert_allclose(ds_a["retrofit_share"], ds_b["retrofit_share"], atol=1e-9)
    np.testing.assert_allclose(ds_a["heat_pump_share"], ds_b["heat_pump_share"], atol=1e-9)
    bill_a = ds_a["household_bill_gbp_per_year"].sel(zone="A", heating_option="gas_boiler")
    bill_b = ds_b["household_bill_gbp_per_year"].sel(zone="A", heating_option="gas_boiler")
    # 2.7 MWh x 250 + 365 x 0.5 + 10 MWh / 0.9 x 60 + 365 x 0.3 (household view)
    assert float(bill_a) == pytest.approx(2.7 * 250 + 182.5 + 10 / 0.9 * 60 + 109.5)
    assert float(bill_b) > float(bill_a)


def test_price_years_are_converted_by_stated_deflators_or_refused():
    data = {"name": "years", "zones": {}, "technologies": {},
            "finance": {"price_year": 2026, "deflators": {2022: 1.16}},
            "grid": {"energy_value_gbp_per_mwh": 100.0, "price_year": 2022,
                     "distribution": {**BANDS, "price_year": 2026}},
            "carbon": {"co2_value_gbp_per_t": 200.0, "price_year": 2022}}
    s = scenario_from_dict(data)
    assert s.grid.energy_value_gbp_per_mwh == pytest.approx(116.0)
    assert s.grid.distribution.red_gbp_per_mwh == pytest.approx(50.0)  # its own year
    assert s.carbon.co2_value_gbp_per_t == pytest.approx(232.0)
    assert "converted from GBP of 2022" in s.grid.source
    # converting twice changes nothing (results store the converted scenario)
    again = s.with_updates({})
    assert again.grid.energy_value_gbp_per_mwh == pytest.approx(116.0)
    # a year without a deflator is refused, naming the section and the fix
    with pytest.raises(ScenarioError, match=r"carbon\.price_year: 2021.*deflators"):
        scenario_from_dict({**data, "carbon": {"co2_value_gbp_per_t": 1.0, "price_year": 2021}})
    # mixed years and no scenario price year: refused
    with pytest.raises(ScenarioError, match="finance.price_year"):
        scenario_from_dict({**data, "finance": {}})


def test_stoke_energy_value_has_its_stated_annual_mean_and_the_field_spf():
    from energy_model.inputs import hourly_profiles, load_weather

    s = load_scenario("stoke-2030")
    hourly = hourly_profiles(s, load_weather(s))
    value = hourly["energy_value_gbp_per_mwh"].to_numpy()
    assert value.mean() == pytest.approx(s.grid.energy_value_gbp_per_mwh, rel=1e-12)
    assert value.min() > 0 and value.std() > 0.1 * value.mean()
    np.testing.assert_allclose(hourly["import_price_gbp_per_mwh"],
                               value + hourly["distribution_gbp_per_mwh"])
    np.testing.assert_allclose(hourly["export_price_gbp_per_mwh"],
                               np.maximum(value - s.grid.spill_margin_gbp_per_mwh, 0))
    heat = hourly[[c for c in hourly if c.startswith("heat_demand_mw/")]].sum(axis=1)
    spf = heat.sum() / (heat / hourly["cop/individual_heat_pump"]).sum()
    assert spf == pytest.approx(2.80, rel=1e-12)


def test_a_heat_pump_grant_moves_cost_from_households_to_the_public_purse():
    s = heating_scenario(0.0).with_updates({
        "technologies.individual_heat_pump.installed_cost_gbp_per_household": 12000.0,
        "technologies.individual_heat_pump.grant_gbp_per_household": 7500.0,
        "payers": {"individual_heat_pump": {"households": 1.0}}})
    paid = who_pays(s, {"individual_heat_pump": 24000.0}, hp_homes=2.0)
    assert paid["individual_heat_pump"]["households"] == pytest.approx(9000.0)
    assert paid["individual_heat_pump"]["public"] == pytest.approx(15000.0)
