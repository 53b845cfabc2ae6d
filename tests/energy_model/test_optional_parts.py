"""Every technology and section a scenario may leave out: without each in turn, a small
scenario still validates, solves and writes its results (and its report)."""

import copy

import numpy as np
import pytest
import xarray as xr
from systems import make_inputs, make_scenario, solve

from energy_model.results import results_dataset, write_results

MW = {"capex_gbp_per_kw": 800.0, "lifetime_years": 20, "potential_mw": 2.0}
TECH = {
    "rooftop_pv": MW, "ground_pv": MW, "wind": MW,
    "battery": {"energy_capex_gbp_per_kwh": 150.0, "power_capex_gbp_per_kw": 150.0,
                "energy_lifetime_years": 15, "power_lifetime_years": 10,
                "charge_efficiency": 0.95, "discharge_efficiency": 0.95},
    "energy_from_waste": {"capacity_mw": 0.5, "biogenic_fraction": 0.5,
                          "heat_offtake_capacity_mw": 0.3, "power_loss_per_heat": 0.2},
    "central_gas_boiler": {"capex_gbp_per_kw": 60.0, "lifetime_years": 25, "efficiency": 0.9},
    "central_heat_pump": {"capex_gbp_per_kw": 700.0, "lifetime_years": 25},
    "geothermal": {"capex_gbp_per_kw": 2000.0, "lifetime_years": 30, "potential_mw": 0.2},
    "waste_heat_pump": {"capex_gbp_per_kw": 700.0, "lifetime_years": 25},
    "mine_water_heat_pump": {"capex_gbp_per_kw": 900.0, "lifetime_years": 25},
    "thermal_store": {"capex_gbp_per_kwh": 3.0, "lifetime_years": 40,
                      "standing_loss_fraction_per_hour": 0.001},
    "individual_heat_pump": {"capex_gbp_per_kw": 900.0, "lifetime_years": 18},
    "individual_gas_boiler": {"capex_gbp_per_kw": 300.0, "lifetime_years": 20,
                              "efficiency": 0.85},
    "heat_network": {"lifetime_years": 40, "connection_capex_gbp_per_household": 2000.0,
                     "loss_fraction_of_delivered": 0.1},
    "retrofit": {"capex_gbp_per_household": 5000.0, "heat_saving_fraction": 0.2,
                 "lifetime_years": 30},
}
CENTRAL = ["central_gas_boiler", "central_heat_pump", "geothermal", "waste_heat_pump",
           "mine_water_heat_pump", "thermal_store", "energy_from_waste"]
FULL = {
    "grid": {"import_price_gbp_per_mwh": 100.0, "export_price_gbp_per_mwh": 20.0,
             "co2_t_per_mwh": 0.1},
    "gas": {"price_gbp_per_mwh": 30.0, "co2_t_per_mwh": 0.18},
    "carbon": {"co2_value_gbp_per_t": 50.0},
    "zones": {"A": {"households": 100, "domestic_electricity_mwh_per_year": 8760,
                    "domestic_heat_mwh_per_year": 8760, "fuel_poor_households": 20,
                    "max_retrofit_share": 0.2}},
    "technologies": TECH,
    "network": {"nodes": {
        "plant": {"kind": "source", "x": -2.20, "y": 53.00, "technologies": CENTRAL},
        "A": {"kind": "zone", "x": -2.15, "y": 53.02}},
        "pipes": {"main": {"start": "plant", "end": "A", "length_km": 1.0, "candidate": True}}},
    "fuel_poverty": {"targeting_rate": 0.5,
                     "lift_share": {"retrofit": 1.0, "heat_network": 1.0, "heat_pump": 1.0},
                     "tariffs": {"electricity_gbp_per_mwh": 300, "gas_gbp_per_mwh": 100,
                                 "heat_gbp_per_mwh": 50}},
    "data_centre": {"it_load_mw": 0.5, "waste_heat_recoverable_fraction": 0.5},
    "mine_water": {"max_heat_mw": 0.3},
    "targets": {"renewable_generation": {"baseline_mwh_per_year": 100.0},
                "fuel_poverty": {"min_households_lifted": 1},
                "co2_cap_t_per_year": 1e6, "capex_budget_gbp": 1e9},
    "payers": {"wind": {"public": 1.0}},
}
# What else must go with a part: a retrofit saves boilers' gas; fuel poverty is measured
# against a home on a gas boiler; a target needs its section
ALSO = {
    "technologies.retrofit": {"zones.A.max_retrofit_share": 0.0},
    "technologies.individual_gas_boiler": {"zones.A.max_retrofit_share": 0.0,
                                           "targets.fuel_poverty": None},
    "fuel_poverty": {"targets.fuel_poverty": None},
    "gas": {"technologies.central_gas_boiler": None, "technologies.individual_gas_boiler": None,
            "zones.A.max_retrofit_share": 0.0, "targets.fuel_poverty": None},
}
OPTIONAL = [f"technologies.{k}" for k in TECH] + [
    "network", "fuel_poverty", "data_centre", "mine_water", "targets", "payers", "gas",
    "carbon"]


def _without(path: str) -> dict:
    data = copy.deepcopy(FULL)
    for key in (path, *ALSO.get(path, {})):
        value = ALSO.get(path, {}).get(key)
        node = data
        *parents, last = key.split(".")
        for p in parents:
            node = node[p]
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
    return data


def _inputs():
    n = 4
    sun = np.array([0.0, 0.5, 1.0, 0.2])
    return make_inputs(n, cf={"rooftop_pv": sun, "ground_pv": sun, "wind": [0.3] * n},
                       cop={k: [3.0] * n for k in ("individual_heat_pump", "central_heat_pump",
                                                   "waste_heat_pump", "mine_water_heat_pump")},
                       heat=[1.5, 1.0, 0.5, 1.0], data_centre=0.5, export_price=20.0,
                       co2=0.1)


@pytest.mark.parametrize("part", ["nothing", *OPTIONAL])
def test_without_each_optional_part_the_scenario_solves_and_writes_results(part, tmp_path):
    data = FULL if part == "nothing" else _without(part)
    scenario = make_scenario(**{k: v for k, v in data.items()})
    if part != "nothing":
        section, *rest = part.split(".")
        value = getattr(scenario, section, None)
        value = getattr(value, rest[0], None) if rest else value
        assert value is None or value == {} or value == type(value)()
    inputs = _inputs()
    m, sol = solve(scenario, inputs)
    assert np.isfinite(sol.objective_gbp_per_year)
    folder = write_results(results_dataset(m, scenario, inputs, sol), tmp_path / "r")
    ds = xr.load_dataset(folder / "results.nc")
    assert ds.attrs["total_cost_gbp_per_year"] == pytest.approx(sol.objective_gbp_per_year,
                                                                rel=1e-9)
    name = part.removeprefix("technologies.")
    if part.startswith("technologies.") and name in m.assets:
        pytest.fail(f"{name} is still in the plan")
