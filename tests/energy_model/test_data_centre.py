"""The server centre option: its load, its waste heat and what they change."""

import numpy as np
import pyomo.environ as pyo
import pytest
from systems import make_inputs, make_scenario, solve

from energy_model.analysis import solve_scenario
from energy_model.inputs import prepare_inputs
from energy_model.scenario import load_scenario


def short(scenario):
    # a winter fortnight cannot meet an annual solar target at the build rates: no target
    return scenario.with_updates({"time.resolution_h": 24, "time.horizon_hours": 24 * 14,
                                  "targets.renewable_generation": None})


@pytest.fixture(scope="module")
def stoke():
    base = short(load_scenario("stoke-2030"))
    return base, solve_scenario(base)


def test_a_server_centre_with_zero_load_changes_nothing(stoke):
    base, ds = stoke
    idle = base.with_updates({"data_centre": {"it_load_mw": 0.0,
                                              "waste_heat_recoverable_fraction": 0.7}})
    other = solve_scenario(idle)
    assert other.attrs["total_cost_gbp_per_year"] == pytest.approx(
        ds.attrs["total_cost_gbp_per_year"], rel=1e-9)
    np.testing.assert_allclose(other["capacity"], ds["capacity"], atol=1e-6)


def test_without_heat_recovery_only_electricity_demand_grows(stoke):
    base, ds = stoke
    dc = {"it_load_mw": 40.0, "pue": 1.25, "utilisation_fraction": 0.8,
          "waste_heat_recoverable_fraction": 0.0}
    with_dc = base.with_updates({"data_centre": dc})
    other = solve_scenario(with_dc)
    np.testing.assert_allclose(other["data_centre_load_mw"], 40.0 * 0.8 * 1.25)
    # the heat network is unchanged: same shares, same heat from the same sources
    np.testing.assert_allclose(other["heat_network_share"], ds["heat_network_share"], atol=1e-6)
    np.testing.assert_allclose(other["network_heat_supply_mw"].sum("time"),
                               ds["network_heat_supply_mw"].sum("time"), rtol=1e-6, atol=1e-3)
    grown = other.attrs["electricity_demand_mwh_per_year"] - ds.attrs[
        "electricity_demand_mwh_per_year"]
    assert grown == pytest.approx(40.0 * 0.8 * 1.25 * 8760, rel=1e-9)


def test_recovered_heat_cheaper_than_the_boiler_is_used_up_to_the_pipe():
    # 1 MW of network heat at A. The gas boiler at S makes it for 50 GBP/MWh; the waste-heat
    # pump at CW (COP 4, power at 100 GBP/MWh) for 25, but its pipe carries only 0.5 MW.
    # The server centre (2 MW IT, PUE 1.5) offers 1 MW of waste heat, enough for 1.33 MW.
    nodes = {"S": {"kind": "source", "x": -2.2, "y": 53.0,
                   "technologies": ["central_gas_boiler"]},
             "CW": {"kind": "source", "x": -2.1, "y": 53.1, "technologies": ["waste_heat_pump"]},
             "A": {"kind": "zone", "x": -2.15, "y": 53.05}}
    pipes = {"s-a": {"start": "S", "end": "A", "length_km": 1.0, "existing_capacity_mw": 10.0},
             "cw-a": {"start": "CW", "end": "A", "length_km": 1.0, "existing_capacity_mw": 0.5}}
    tech = {
        "heat_network": {"lifetime_years": 1},
        "central_gas_boiler": {"capex_gbp_per_kw": 0.0, "lifetime_years": 1, "efficiency": 1.0,
                               "existing_capacity_mw": 10.0},
        "waste_heat_pump": {"capex_gbp_per_kw": 0.0, "lifetime_years": 1,
                            "existing_capacity_mw": 10.0, "heat_source": "water"},
    }
    zones = {"A": {"domestic_electricity_mwh_per_year": 0, "domestic_heat_mwh_per_year": 8760,
                   "existing_heat_network_share": 1.0}}
    s = make_scenario(technologies=tech, zones=zones, gas={"price_gbp_per_mwh": 50.0},
                      network={"nodes": nodes, "pipes": pipes, "pipe_loss_fraction_per_km": 0.0},
                      data_centre={"it_load_mw": 2.0, "pue": 1.5,
                                   "waste_heat_recoverable_fraction": 0.5})
    m, sol = solve(s, make_inputs(2, load=0.0, heat=1.0, cop={"waste_heat_pump": 4.0},
                                  data_centre=3.0))
    recovered = [pyo.value(m.central_heat["waste_heat_pump", t]) for t in m.T]
    np.testing.assert_allclose(recovered, 0.5)
    electricity = (3.0 + 0.5 / 4) * 100 * 8760
    assert sol.objective_gbp_per_year == pytest.approx(electricity + 0.5 * 50 * 8760)


def test_stoke_server_variants_extend_the_default():
    for size in (25, 75, 150):
        s = load_scenario(f"stoke-2030-server-{size}mw")
        assert s.data_centre.it_load_mw == size
        inputs = prepare_inputs(short(s))
        assert inputs.data_centre_mw.max() == pytest.approx(size * 0.8 * 1.3)
