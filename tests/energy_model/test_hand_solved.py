"""Systems small enough to solve by hand, with exact expected objectives."""

import numpy as np
import pyomo.environ as pyo
import pytest
from systems import make_inputs, make_scenario, solve

PV = {"ground_pv": {"capex_gbp_per_kw": 1000.0, "lifetime_years": 10}}


def test_pv_and_grid_constant_load():
    # 1 MW load; PV available in the first of two hours. PV costs 1e6/10 = 100,000 GBP/yr
    # per MW and saves 100 GBP/MWh x 4,380 h/yr = 438,000: build exactly the load, 1 MW.
    m, sol = solve(make_scenario(technologies=PV), make_inputs(2, cf={"ground_pv": [1, 0]}))
    assert pyo.value(m.capacity["ground_pv"]) == pytest.approx(1.0)
    assert sol.objective_gbp_per_year == pytest.approx(100_000 + 438_000)


def test_pv_potential_binds():
    tech = {"ground_pv": {**PV["ground_pv"], "potential_mw": 0.25}}
    m, sol = solve(make_scenario(technologies=tech), make_inputs(2, cf={"ground_pv": [1, 0]}))
    assert pyo.value(m.capacity["ground_pv"]) == pytest.approx(0.25)
    # 25,000 capital + 0.75 MW x 4,380 h x 100 + 1 MW x 4,380 h x 100
    assert sol.objective_gbp_per_year == pytest.approx(25_000 + 328_500 + 438_000)


def battery(charge=1.0, discharge=1.0):
    return {"battery": {"energy_capex_gbp_per_kwh": 1.0, "power_capex_gbp_per_kw": 1.0,
                        "energy_lifetime_years": 1, "power_lifetime_years": 1,
                        "charge_efficiency": charge, "discharge_efficiency": discharge}}


def test_battery_arbitrage_lossless():
    # Prices 50 then 150; a 1 MW / 1 MWh battery (1,000 GBP/yr each) shifts the second
    # hour's load into the first: import 2 MW x 50 x 4,380 h + 2,000.
    m, sol = solve(make_scenario(technologies=battery()), make_inputs(2, price=[50, 150]))
    assert pyo.value(m.capacity["battery_power"]) == pytest.approx(1.0)
    assert pyo.value(m.capacity["battery_energy"]) == pytest.approx(1.0)
    assert sol.objective_gbp_per_year == pytest.approx(2 * 50 * 4380 + 2000)


def test_battery_arbitrage_with_losses():
    # 0.9 each way: deliver 1 MW in hour 2 by charging 1/0.81 MW in hour 1, storing 1/0.9 MWh.
    m, sol = solve(make_scenario(technologies=battery(0.9, 0.9)), make_inputs(2, price=[50, 150]))
    expected = 4380 * 50 * (1 + 1 / 0.81) + 1000 / 0.81 + 1000 / 0.9
    assert sol.objective_gbp_per_year == pytest.approx(expected)
    assert pyo.value(m.capacity["battery_energy"]) == pytest.approx(1 / 0.9)


def test_renewable_target_and_its_shadow_price():
    # PV at 1e7 GBP/MW (1e6 GBP/yr) is not worth building for 438,000 of savings, but the
    # target of 2,190 MWh/yr forces 0.5 MW. The last MWh of target costs
    # 1e6 / 4,380 - 100 = 128.31 GBP/MWh.
    tech = {"ground_pv": {"capex_gbp_per_kw": 10_000.0, "lifetime_years": 10}}
    target = {"renewable_generation": {"baseline_mwh_per_year": 2190, "multiplier": 1,
                                       "counts": ["ground_pv"]}}
    m, sol = solve(make_scenario(technologies=tech, targets=target),
                   make_inputs(2, cf={"ground_pv": [1, 0]}))
    assert pyo.value(m.capacity["ground_pv"]) == pytest.approx(0.5)
    assert sol.objective_gbp_per_year == pytest.approx(500_000 + 219_000 + 438_000)
    assert abs(sol.duals[m.renewable_target]) == pytest.approx(1e6 / 4380 - 100)


def test_heat_pumps_replace_boilers_up_to_their_limit():
    # 1 MW of heat all year. Gas at 40 GBP/MWh in a 0.8 boiler costs 50 GBP/MWh of heat; a
    # heat pump at COP 4 on 100 GBP/MWh power costs 25, plus 100,000 GBP/yr per MW of peak.
    # Saving 25 x 8,760 = 219,000 per MW beats 100,000, so heat pumps go to their 60 % cap.
    tech = {
        "individual_heat_pump": {"capex_gbp_per_kw": 100.0, "lifetime_years": 1},
        "individual_gas_boiler": {"capex_gbp_per_kw": 0.0, "lifetime_years": 1,
                                  "efficiency": 0.8},
    }
    zones = {"A": {"domestic_electricity_mwh_per_year": 0, "domestic_heat_mwh_per_year": 8760,
                   "max_heat_pump_share": 0.6}}
    scenario = make_scenario(technologies=tech, zones=zones, gas={"price_gbp_per_mwh": 40.0})
    m, sol = solve(scenario, make_inputs(2, load=0.0, heat=1.0,
                                         cop={"individual_heat_pump": 4.0}))
    assert pyo.value(m.heat_pump_share["A"]) == pytest.approx(0.6)
    assert sol.objective_gbp_per_year == pytest.approx(0.4 * 8760 * 50 + 0.6 * 8760 * 25
                                                       + 60_000)


def test_network_heat_from_central_gas_boiler_with_losses():
    # All heat through the network (no individual systems): 1 MW delivered needs 1.25 MW
    # sent out with 25 % losses; the existing 2 MW boiler (efficiency 0.5, gas 40) makes
    # it for 80 GBP/MWh of heat sent: 1.25 x 8,760 x 80 = 876,000 GBP/yr.
    tech = {
        "heat_network": {"lifetime_years": 40, "loss_fraction_of_delivered": 0.25},
        "central_gas_boiler": {"capex_gbp_per_kw": 0.0, "lifetime_years": 1,
                               "efficiency": 0.5, "existing_capacity_mw": 2.0},
    }
    zones = {"A": {"domestic_electricity_mwh_per_year": 0, "domestic_heat_mwh_per_year": 8760,
                   "existing_heat_network_share": 1.0}}
    scenario = make_scenario(technologies=tech, zones=zones, gas={"price_gbp_per_mwh": 40.0})
    m, sol = solve(scenario, make_inputs(2, load=0.0, heat=1.0))
    assert sol.objective_gbp_per_year == pytest.approx(1.25 * 8760 * 80)
    sent = [pyo.value(m.central_heat["central_gas_boiler", t]) for t in m.T]
    np.testing.assert_allclose(sent, 1.25)


def test_fixed_capacity_is_built_and_paid_for():
    # A 0.5 MW PV design fixed by the user, though 1 MW is optimal.
    s = make_scenario(technologies=PV, fixed_capacity={"ground_pv": 0.5})
    m, sol = solve(s, make_inputs(2, cf={"ground_pv": [1, 0]}))
    assert pyo.value(m.capacity["ground_pv"]) == pytest.approx(0.5)
    assert sol.objective_gbp_per_year == pytest.approx(50_000 + 0.5 * 438_000 + 438_000)
