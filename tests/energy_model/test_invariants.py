"""Invariants that must hold for any solution: balances close, storage is cyclic, costs scale."""

import numpy as np
import pyomo.environ as pyo
import pytest
from systems import make_inputs, make_scenario, solve

from energy_model.inputs import aggregate

TECH = {
    "ground_pv": {"capex_gbp_per_kw": 600.0, "lifetime_years": 25,
                  "fixed_om_fraction_per_year": 0.02, "potential_mw": 3.0},
    "wind": {"capex_gbp_per_kw": 1200.0, "lifetime_years": 25, "variable_om_gbp_per_mwh": 2.0},
    "battery": {"energy_capex_gbp_per_kwh": 150.0, "power_capex_gbp_per_kw": 150.0,
                "energy_lifetime_years": 15, "power_lifetime_years": 10,
                "charge_efficiency": 0.95, "discharge_efficiency": 0.95},
    "individual_heat_pump": {"capex_gbp_per_kw": 900.0, "lifetime_years": 18},
    "individual_gas_boiler": {"capex_gbp_per_kw": 300.0, "lifetime_years": 20,
                              "efficiency": 0.85, "fixed_om_fraction_per_year": 0.05},
    "heat_network": {"lifetime_years": 40, "connection_capex_gbp_per_household": 2000.0,
                     "network_capex_gbp_per_mwh_per_year": 500.0,
                     "loss_fraction_of_delivered": 0.15},
    "central_heat_pump": {"capex_gbp_per_kw": 800.0, "lifetime_years": 25},
    "central_gas_boiler": {"capex_gbp_per_kw": 60.0, "lifetime_years": 25, "efficiency": 0.9},
    "thermal_store": {"capex_gbp_per_kwh": 3.0, "lifetime_years": 40,
                      "standing_loss_fraction_per_hour": 0.001},
}
ZONES = {"A": {"households": 1000, "domestic_electricity_mwh_per_year": 8760,
               "domestic_heat_mwh_per_year": 17520, "max_heat_pump_share": 0.5,
               "max_heat_network_share": 0.5}}


def system(n=48, **kw):
    rng = np.random.default_rng(1)
    hours = np.arange(n)
    solar = np.clip(np.sin((hours % 24 - 6) / 12 * np.pi), 0, None)
    cf = {"ground_pv": solar, "wind": rng.uniform(0, 0.8, n)}
    heat = 2 + np.cos(hours / 24 * 2 * np.pi)
    price = 80 + 60 * (hours % 24 >= 16) * (hours % 24 < 20)
    cop = {"individual_heat_pump": 3 + 0.5 * np.sin(hours / 7),
           "central_heat_pump": 2.5 + 0.3 * np.sin(hours / 5)}
    inputs = make_inputs(n, cf=cf, load=1 + 0.5 * solar, heat=heat, cop=cop, price=price,
                         export_price=20.0, co2=0.2, **kw)
    scenario = make_scenario(technologies=TECH, zones=ZONES, gas={"price_gbp_per_mwh": 40.0,
                                                                 "co2_t_per_mwh": 0.18},
                             finance={"discount_rate": 0.035})
    return scenario, inputs


def test_energy_balances_close_every_step():
    scenario, inputs = system()
    m, _ = solve(scenario, inputs)
    for t in m.T:
        con = m.electricity_balance[t]
        assert pyo.value(con.body) == pytest.approx(pyo.value(con.upper), abs=1e-6)
        hcon = m.heat_balance["city", t]
        assert pyo.value(hcon.body) == pytest.approx(pyo.value(hcon.upper), abs=1e-6)
    # and the pieces add up from the outside too: electricity in = electricity out
    supply = [sum(pyo.value(m.generation[g, t]) for g in m.G) + pyo.value(m.grid_import[t])
              + pyo.value(m.battery_discharge[t]) for t in m.T]
    hp = [pyo.value(m.heat_pump_share["A"]) * inputs.heat_demand_mw["A"][t]
          / inputs.cop["individual_heat_pump"][t]
          + pyo.value(m.central_heat["central_heat_pump", t]) / inputs.cop["central_heat_pump"][t]
          for t in m.T]
    use = [inputs.electricity_demand_mw["A"][t] + hp[t] + pyo.value(m.grid_export[t])
           + pyo.value(m.battery_charge[t]) for t in m.T]
    np.testing.assert_allclose(supply, use, atol=1e-6)


def test_storage_ends_where_it_started():
    scenario, inputs = system()
    m, _ = solve(scenario, inputs)
    last = len(m.T) - 1
    dt = inputs.step_hours
    b = scenario.technologies.battery
    # The level before the first step is the level after the last: replaying the flows
    # from the final level returns to it.
    level = pyo.value(m.battery_level[last])
    for t in m.T:
        level += dt * (b.charge_efficiency * pyo.value(m.battery_charge[t])
                       - pyo.value(m.battery_discharge[t]) / b.discharge_efficiency)
    assert level == pytest.approx(pyo.value(m.battery_level[last]), abs=1e-6)
    assert pyo.value(m.battery_level[0]) == pytest.approx(
        pyo.value(m.battery_level[last]) + dt * (
            b.charge_efficiency * pyo.value(m.battery_charge[0])
            - pyo.value(m.battery_discharge[0]) / b.discharge_efficiency), abs=1e-6)


def scaled(scenario, factor):
    """Every cost and price times ``factor``."""
    t = scenario.technologies
    updates = {"grid.import_price_gbp_per_mwh": scenario.grid.import_price_gbp_per_mwh * factor,
               "gas.price_gbp_per_mwh": scenario.gas.price_gbp_per_mwh * factor,
               "carbon.co2_value_gbp_per_t": scenario.carbon.co2_value_gbp_per_t * factor}
    for name, spec in t.model_dump(exclude_none=True).items():
        for key, value in spec.items():
            if "_gbp_" in key:
                updates[f"technologies.{name}.{key}"] = value * factor
    return scenario.with_updates(updates)


def test_doubling_every_cost_doubles_the_objective():
    scenario, inputs = system()
    # carbon valued too (an export limit keeps unlimited wind from exporting for its credit)
    scenario = scenario.with_updates({"carbon.co2_value_gbp_per_t": 50.0,
                                      "grid.export_limit_mw": 2.0})
    _, base = solve(scenario, inputs)
    doubled_inputs = make_inputs_scaled(inputs, 2.0)
    m2, doubled = solve(scaled(scenario, 2.0), doubled_inputs)
    assert doubled.objective_gbp_per_year == pytest.approx(2 * base.objective_gbp_per_year,
                                                           rel=1e-7)


def make_inputs_scaled(inputs, factor):
    from dataclasses import replace

    return replace(inputs,
                   import_price_gbp_per_mwh=inputs.import_price_gbp_per_mwh * factor,
                   export_price_gbp_per_mwh=inputs.export_price_gbp_per_mwh * factor)


def test_constant_profiles_give_the_same_plan_at_1h_and_3h():
    import pandas as pd

    scenario, _ = system()
    hours = 24
    index = pd.date_range("2030-01-01", periods=hours, freq="h", tz="UTC")
    hourly = pd.DataFrame({
        "capacity_factor/ground_pv": 0.3, "capacity_factor/wind": 0.4,
        "electricity_demand_mw/A": 1.0, "heat_demand_mw/A": 2.0,
        "cop/individual_heat_pump": 3.0, "cop/central_heat_pump": 2.5,
        "import_price_gbp_per_mwh": 100.0, "export_price_gbp_per_mwh": 20.0,
        "grid_co2_t_per_mwh": 0.2}, index=index)
    objectives = []
    for res in (1, 3):
        s = scenario.with_updates({"time.resolution_h": res, "time.horizon_hours": hours})
        inputs = aggregate(hourly, s)
        assert inputs.n_steps == hours // res
        m, sol = solve(s, inputs)
        objectives.append(sol.objective_gbp_per_year)
        capacities = {k: pyo.value(m.capacity[k]) for k in m.K}
        if res == 1:
            first = capacities
    assert objectives[0] == pytest.approx(objectives[1], rel=1e-7)
    for k, v in first.items():
        assert capacities[k] == pytest.approx(v, abs=1e-6)


def test_repeating_a_day_does_not_change_the_annual_plan():
    # Operating sums are scaled to a year by the year weight: two identical days give the
    # same annual cost and capacities as one.
    import pandas as pd

    scenario, inputs = system(n=24)
    frame = {f"capacity_factor/{k}": v for k, v in inputs.capacity_factor.items()}
    frame |= {f"cop/{k}": v for k, v in inputs.cop.items()}
    frame |= {"electricity_demand_mw/A": inputs.electricity_demand_mw["A"],
              "heat_demand_mw/A": inputs.heat_demand_mw["A"],
              "import_price_gbp_per_mwh": inputs.import_price_gbp_per_mwh,
              "export_price_gbp_per_mwh": inputs.export_price_gbp_per_mwh,
              "grid_co2_t_per_mwh": inputs.grid_co2_t_per_mwh}
    day = pd.DataFrame(frame)
    two_days = pd.concat([day, day], ignore_index=True)
    two_days.index = pd.date_range("2030-01-01", periods=48, freq="h", tz="UTC")
    results = []
    for hours in (24, 48):
        s = scenario.with_updates({"time.horizon_hours": hours})
        m, sol = solve(s, aggregate(two_days, s))
        results.append((sol.objective_gbp_per_year, {k: pyo.value(m.capacity[k]) for k in m.K}))
    assert results[0][0] == pytest.approx(results[1][0], rel=1e-7)
    for k, v in results[0][1].items():
        assert results[1][1][k] == pytest.approx(v, abs=1e-5)
