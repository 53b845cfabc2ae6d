"""Representative days: exact when every day is its own typical day; close when fewer."""

import numpy as np
import pandas as pd
import pytest
from systems import make_scenario, solve

from energy_model.inputs import aggregate

TECH = {
    "ground_pv": {"capex_gbp_per_kw": 500.0, "lifetime_years": 25},
    "battery": {"energy_capex_gbp_per_kwh": 50.0, "power_capex_gbp_per_kw": 50.0,
                "energy_lifetime_years": 15, "power_lifetime_years": 15,
                "charge_efficiency": 0.95, "discharge_efficiency": 0.95},
    "thermal_store": {"capex_gbp_per_kwh": 1.0, "lifetime_years": 40,
                      "standing_loss_fraction_per_hour": 0.0},
    "central_gas_boiler": {"capex_gbp_per_kw": 100.0, "lifetime_years": 25, "efficiency": 0.9},
    "heat_network": {"lifetime_years": 40},
}
ZONES = {"A": {"households": 100, "domestic_electricity_mwh_per_year": 8760,
               "domestic_heat_mwh_per_year": 8760, "existing_heat_network_share": 1.0}}


def hourly_days(days: int) -> pd.DataFrame:
    """A year of ``days`` days with a daily sun, a winter-to-summer swing and a price peak."""
    hours = np.arange(days * 24)
    day = hours // 24
    sun = np.clip(np.sin((hours % 24 - 6) / 12 * np.pi), 0, None) * (0.5 + day / days)
    heat = 2.0 - day / days + 0.3 * np.cos((hours % 24) / 24 * 2 * np.pi)
    index = pd.date_range("2030-01-01", periods=len(hours), freq="h", tz="UTC")
    return pd.DataFrame({
        "capacity_factor/ground_pv": sun, "electricity_demand_mw/A": 1.0 + 0.2 * (day % 3),
        "heat_demand_mw/A": heat, "import_price_gbp_per_mwh": 80 + 80 * (hours % 24 >= 17),
        "export_price_gbp_per_mwh": 0.0, "grid_co2_t_per_mwh": 0.2}, index=index)


def scenario(**time):
    return make_scenario(technologies=TECH, zones=ZONES, gas={"price_gbp_per_mwh": 30.0},
                         finance={"discount_rate": 0.035}, time={"resolution_h": 6, **time})


def test_every_day_its_own_typical_day_reproduces_the_chronological_year():
    hourly = hourly_days(6)
    _, chrono = solve(scenario(), aggregate(hourly, scenario()))
    s = scenario(representative_days=6)
    inputs = aggregate(hourly, s)
    assert sorted(inputs.day_order) == list(range(6))
    assert inputs.step_weight_h.sum() == pytest.approx(8760)
    m, typical = solve(s, inputs)
    assert typical.objective_gbp_per_year == pytest.approx(chrono.objective_gbp_per_year,
                                                           rel=1e-6)
    # the year rebuilt from its typical days is the year
    err = inputs.representation_error
    assert list(err.index) == ["heat_demand_mw", "electricity_demand_mw",
                               "capacity_factor/ground_pv"]
    np.testing.assert_allclose(err.to_numpy(), 0.0, atol=1e-9)


def test_fewer_typical_days_keep_the_year_and_link_storage_across_days():
    hourly = hourly_days(12)
    s = scenario(representative_days=4)
    inputs = aggregate(hourly, s)
    # the typical days stand for every day of the year, and the peak-demand day is kept
    assert inputs.step_weight_h.sum() == pytest.approx(8760)
    assert len(inputs.day_order) == 12
    assert inputs.heat_demand_mw["A"].max() == pytest.approx(
        hourly["heat_demand_mw/A"].to_numpy().reshape(-1, 6).mean(axis=1).max(), rel=1e-6)
    m, sol = solve(s, inputs)
    # the day-start levels close the year: replaying each day returns to the first level
    start = [m.store_day_start[d].value for d in range(12)]
    per_day = inputs.steps_per_day
    for d in range(12):
        end = start[d] + m.store_level[inputs.day_order[d] * per_day + per_day - 1].value
        assert end == pytest.approx(start[(d + 1) % 12], abs=1e-6)
    _, full = solve(scenario(), aggregate(hourly, scenario()))
    assert sol.objective_gbp_per_year == pytest.approx(full.objective_gbp_per_year, rel=0.05)
    # the error of the rebuilt year is stated: the peak day is kept whole, and the
    # chronological error (days stood for by others) is larger than the sorted one
    err = inputs.representation_error.loc["heat_demand_mw"]
    assert err["peak_error_pct"] == pytest.approx(0.0, abs=1e-9)
    assert err["rmse_pct_of_mean"] >= err["duration_rmse_pct_of_mean"] > 0


def test_representation_error_by_hand():
    from energy_model.inputs import representation_error

    index = pd.date_range("2030-01-01", periods=4, freq="12h", tz="UTC")
    year = pd.DataFrame({"heat_demand_mw/A": [1.0, 3.0, 2.0, 2.0]}, index=index)
    # one typical day (the first) stands for both days: rebuilt year 1, 3, 1, 3
    err = representation_error(year, year.iloc[:2], np.array([0, 0])).loc["heat_demand_mw"]
    assert err["annual_error_pct"] == pytest.approx(0.0)
    assert err["peak_error_pct"] == pytest.approx(0.0)
    assert err["rmse_pct_of_mean"] == pytest.approx(100 * np.sqrt(2 / 4) / 2)
    # sorted: 1, 1, 3, 3 against 1, 2, 2, 3
    assert err["duration_rmse_pct_of_mean"] == pytest.approx(100 * np.sqrt(2 / 4) / 2)


def test_capacity_factors_below_the_floor_are_zero():
    from energy_model.inputs import CAPACITY_FACTOR_FLOOR

    hourly = hourly_days(1)
    hourly["capacity_factor/ground_pv"] = np.where(np.arange(24) % 2, 0.5 * CAPACITY_FACTOR_FLOOR,
                                                   0.3)
    cf = aggregate(hourly, scenario(resolution_h=1)).capacity_factor["ground_pv"]
    np.testing.assert_array_equal(cf, np.where(np.arange(24) % 2, 0.0, 0.3))


def test_stoke_typical_days_against_the_full_year():
    """Stoke at 12-hour steps: 16 typical days (and the two peak days) against all 365.

    Measured (benchmarks/bench_representative_days.py has the hourly case): cost -0.34 %,
    renewables and geothermal exact; the gas boiler and the thermal store, sized by a
    cold spell of several weeks, come out 16-21 % small, yet the typical-day design run
    through the real year costs almost the same as the optimum.
    """
    import pyomo.environ as pyo

    from energy_model.analysis import operate_design
    from energy_model.build import build_model
    from energy_model.inputs import hourly_profiles, load_weather
    from energy_model.scenario import load_scenario
    from energy_model.solve import design_of

    base = load_scenario("stoke-2030").with_updates({"time.resolution_h": 12})
    hourly = hourly_profiles(base, load_weather(base))
    full_inputs = aggregate(hourly, base)
    full, full_sol = solve(base, full_inputs)
    s = base.with_updates({"time.representative_days": 16})
    typical, typical_sol = solve(s, aggregate(hourly, s))
    assert typical_sol.objective_gbp_per_year == pytest.approx(full_sol.objective_gbp_per_year,
                                                               rel=0.02)
    for k in ("rooftop_pv", "ground_pv", "wind", "geothermal"):
        assert pyo.value(typical.capacity[k]) == pytest.approx(pyo.value(full.capacity[k]),
                                                               rel=0.05)
    # the typical-day design (capacities, pipes, heating mix) operated in the full year,
    # elastic so that heat the design cannot give is counted rather than infeasible
    operated = build_model(base, full_inputs, elastic=True)
    cost, unmet = operate_design(operated, design_of(typical))
    heat_network_mwh = sum(full_inputs.step_weight_h[t] * pyo.value(
        full.central_heat[k, t]) for k, t in full.central_heat)
    assert unmet < 0.01 * heat_network_mwh
    # less the penalty (and so without paying for the heat left unmet: a lower bound)
    assert cost == pytest.approx(full_sol.objective_gbp_per_year, rel=0.01)


@pytest.mark.parametrize("ipm_above", [None, 0])
def test_typical_day_design_operated_through_the_year_equals_the_full_lp_when_exact(
        ipm_above, monkeypatch):
    """Two stages (design on typical days, then run that design through every step of the
    year with the design fixed) give the full LP's plan where the typical days are exact:
    every one of the six days its own typical day. The year is operated by the simplex
    method, or (as a large one would be) by the interior point and the schedule step."""
    import pyomo.environ as pyo

    from energy_model import solve as solve_module
    from energy_model.pipeline import run_scenario

    if ipm_above is not None:
        monkeypatch.setattr(solve_module, "OPERATION_IPM_ABOVE_VARIABLES", ipm_above)

    hourly = hourly_days(6)
    _, full = solve(scenario(), aggregate(hourly, scenario()))
    run = run_scenario(scenario(representative_days=6), operate_year=True, check=False,
                       prepare=lambda s: aggregate(hourly, s))
    assert run.design.scenario.time.representative_days == 6
    assert run.scenario.time.representative_days is None
    assert run.solution.objective_gbp_per_year == pytest.approx(full.objective_gbp_per_year,
                                                                rel=1e-6)
    assert run.shortfalls == []
    ds = run.dataset
    assert ds.sizes["time"] == 6 * 24 // 6 and ds.attrs["design_typical_days"] == 6
    assert float(ds.step_weight_h.sum()) == pytest.approx(8760)
    m = run.model
    for con in m.electricity_balance.values():
        assert pyo.value(con.body) == pytest.approx(pyo.value(con.upper), abs=1e-6)
    # operation only: solved by the simplex method, at a vertex, so a real schedule
    assert max(min(pyo.value(m.battery_charge[t]), pyo.value(m.battery_discharge[t]))
               for t in m.T) <= 1e-6


def test_operating_the_year_needs_typical_days():
    from energy_model.errors import ScenarioError
    from energy_model.pipeline import run_scenario

    with pytest.raises(ScenarioError, match="--typical-days N"):
        run_scenario(scenario(), operate_year=True, check=False)
