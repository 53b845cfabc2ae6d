"""Pathways: hand-solved deferral, milestones, retirement, discounting, myopia, Stoke."""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
import pyomo.environ as pyo
import pytest
from browser import page_checks
from systems import make_inputs, make_scenario

from energy_model.build import build_model
from energy_model.commands import add_pathway_parser
from energy_model.components.capacity import annuity_factor
from energy_model.errors import EnergyModelError, ScenarioError
from energy_model.pathway import build_pathway, pathway_plan, solve_pathway
from energy_model.pathway.results import (
    pathway_dataset,
    planned_trajectory,
    write_pathway,
)
from energy_model.solve import solve_model

MWH_PER_MW_YEAR = 8760.0
CAPEX_GBP_PER_MW = 1e6


def pv_scenario(pathway: dict, lifetime_years: int = 10, rate: float = 0.0, target_mw=3.0,
                **extra):
    """Ground PV at 1,000 GBP/kW with a capacity factor of 1, free grid power: PV is
    built only for the renewable target, 8,760 MWh/yr per MW."""
    tech = {"ground_pv": {"capex_gbp_per_kw": 1000.0, "lifetime_years": lifetime_years}}
    tech.update(extra.pop("technologies", {}))
    targets = {"renewable_generation": {"baseline_mwh_per_year": MWH_PER_MW_YEAR,
                                        "multiplier": target_mw, "counts": ["ground_pv"]}}
    targets["renewable_generation"].update(extra.pop("counts", {}))
    return make_scenario(finance={"discount_rate": rate}, technologies=tech, targets=targets,
                         pathway=pathway, **extra)


def solved(scenario, myopic=False, **inputs_kw):
    plan = pathway_plan(scenario)
    inputs = make_inputs(1, cf={"ground_pv": 1.0}, price=inputs_kw.pop("price", 0.0),
                         **inputs_kw)
    pm = build_pathway(plan, {y: inputs for y in plan.years})
    return pm, solve_pathway(pm, myopic=myopic)


def builds(pm, k="ground_pv"):
    return {y: pytest.approx(pyo.value(pm.model.build[y, k]), abs=1e-6) for y in pm.plan.years}


PERIODS = {"periods": [2026, 2027, 2028], "capex_reference_year": 2026,
           "capex_decline_per_year": {"ground_pv": 0.1}}


def test_falling_capex_defers_building_to_the_last_period():
    pm, sol = solved(pv_scenario({**PERIODS, "renewable_milestones": "final_only"}))
    assert builds(pm) == {2026: 0.0, 2027: 0.0, 2028: 3.0}
    # 3 MW at 1e6 x 0.9^2 GBP/MW, 1/10 a year (r = 0, 10 years), one year in the horizon
    assert sol.total_cost_gbp == pytest.approx(3 * CAPEX_GBP_PER_MW * 0.81 * 0.1)


def test_an_early_milestone_forces_an_earlier_build_at_a_hand_calculated_extra_cost():
    _, deferred = solved(pv_scenario({**PERIODS, "renewable_milestones": "final_only"}))
    pm, sol = solved(pv_scenario({**PERIODS, "renewable_milestones": "final_only",
                                  "renewable_milestones_mwh_per_year": {2026: 8760.0}}))
    assert builds(pm) == {2026: 1.0, 2027: 0.0, 2028: 2.0}
    # 1 MW built in 2026 at full price serves three years instead of 1 MW in 2028 at
    # 0.81 of it serving one: 0.1 x (3 x 1e6 - 0.81e6)
    assert sol.total_cost_gbp - deferred.total_cost_gbp == pytest.approx(
        0.1 * (3 * CAPEX_GBP_PER_MW - 0.81 * CAPEX_GBP_PER_MW))


def test_straight_line_milestones_and_their_interpolation():
    plan = pathway_plan(pv_scenario({"periods": [2026, 2028, 2030], "baseline_year": 2024},
                                    target_mw=3.0))
    got = [p.renewable_milestone_mwh / MWH_PER_MW_YEAR for p in plan.periods]
    assert got == pytest.approx([1.0 + 2.0 * 2 / 6, 1.0 + 2.0 * 4 / 6, 3.0])
    assert [p.weight_years for p in plan.periods] == [2, 2, 1]


def test_costs_are_discounted_to_the_base_year():
    r = 0.05
    pm, sol = solved(pv_scenario({**PERIODS, "renewable_milestones": "final_only",
                                  "base_year": 2025}, rate=r))
    assert builds(pm)[2028] == 3.0
    expected = 3 * CAPEX_GBP_PER_MW * 0.81 * annuity_factor(r, 10) * 1.05 ** -3
    assert sol.total_cost_gbp == pytest.approx(expected)


def test_a_retired_asset_is_not_available_after_its_year():
    scenario = pv_scenario(
        {"periods": [2026, 2027, 2028], "retire": {"rooftop_pv": 2027, "energy_from_waste": 2028},
         "renewable_milestones_mwh_per_year": {2026: 8760.0, 2027: 8760.0, 2028: 8760.0}},
        target_mw=1.0,
        technologies={"rooftop_pv": {"capex_gbp_per_kw": 5000.0, "lifetime_years": 10,
                                     "existing_capacity_mw": 1.0},
                      "energy_from_waste": {"capacity_mw": 1.0, "biogenic_fraction": 0.5}},
        counts={"counts": ["rooftop_pv", "ground_pv"]})
    plan = pathway_plan(scenario)
    inputs = make_inputs(1, cf={"ground_pv": 1.0, "rooftop_pv": 1.0}, price=100.0)
    pm = build_pathway(plan, {y: inputs for y in plan.years})
    solve_pathway(pm)
    m = pm.model
    assert pyo.value(m.period[2026].capacity["rooftop_pv"]) == pytest.approx(1.0)
    assert pyo.value(m.period[2027].capacity["rooftop_pv"]) == pytest.approx(0.0)
    # the milestone is met by ground PV (cheaper than new rooftop) once the roofs retire
    assert builds(pm) == {2026: 0.0, 2027: 1.0, 2028: 0.0}
    # the energy-from-waste plant is there in 2026 and 2027 (its output is free to be
    # anything up to 1 MW: PV already covers the load), then it is gone
    for year in (2026, 2027):
        limit = m.period[year].efw_output_limit[0]
        assert pyo.value(limit.upper) == pytest.approx(1.0)
    assert not hasattr(m.period[2028], "efw_electricity")


def test_a_build_serves_only_its_lifetime():
    pm, sol = solved(pv_scenario(
        {"periods": [2026, 2027, 2028],
         "renewable_milestones_mwh_per_year": {2026: 8760.0, 2027: 8760.0, 2028: 8760.0}},
        lifetime_years=2, target_mw=1.0))
    # built in 2026, it serves 2026 and 2027; 2028 needs a new one
    assert builds(pm) == {2026: 1.0, 2027: 0.0, 2028: 1.0}
    assert sol.total_cost_gbp == pytest.approx(CAPEX_GBP_PER_MW * (0.5 * 2 + 0.5 * 1))


def test_myopic_is_never_cheaper_and_here_costs_what_the_hand_calculation_says():
    # Capex rises 20 % a year (a grant ends): perfect foresight builds the 2027 target in
    # 2026; a myopic plan sees no reason to build in 2026 and pays the higher price.
    pathway = {"periods": [2026, 2027], "weights_years": [1, 10], "capex_reference_year": 2026,
               "capex_decline_per_year": {"ground_pv": -0.2}, "renewable_milestones": "final_only"}
    scenario = pv_scenario(pathway, lifetime_years=20, target_mw=1.0)
    pm, perfect = solved(scenario)
    assert builds(pm) == {2026: 1.0, 2027: 0.0}
    pm, myopic = solved(scenario, myopic=True)
    assert builds(pm) == {2026: 0.0, 2027: 1.0}
    crf = 1 / 20
    assert perfect.total_cost_gbp == pytest.approx(CAPEX_GBP_PER_MW * crf * 11)
    assert myopic.total_cost_gbp == pytest.approx(1.2 * CAPEX_GBP_PER_MW * crf * 10)
    assert myopic.total_cost_gbp >= perfect.total_cost_gbp


def test_one_period_pathway_costs_what_the_single_year_model_costs():
    scenario = make_scenario(
        finance={"discount_rate": 0.035}, gas={"price_gbp_per_mwh": 200.0},
        zones={"A": {"households": 1000, "domestic_heat_mwh_per_year": 8760,
                     "max_heat_pump_share": 0.5, "max_retrofit_share": 0.3,
                     "max_heat_network_share": 0.4}},
        technologies={
            "ground_pv": {"capex_gbp_per_kw": 600.0, "lifetime_years": 25},
            "individual_heat_pump": {"capex_gbp_per_kw": 900.0, "lifetime_years": 18},
            "individual_gas_boiler": {"capex_gbp_per_kw": 300.0, "lifetime_years": 20,
                                      "efficiency": 0.9, "fixed_om_fraction_per_year": 0.05},
            "central_gas_boiler": {"capex_gbp_per_kw": 60.0, "lifetime_years": 25,
                                   "efficiency": 0.9},
            "heat_network": {"connection_capex_gbp_per_household": 3000.0,
                             "lifetime_years": 40, "fixed_om_fraction_per_year": 0.01},
            "retrofit": {"capex_gbp_per_household": 8000.0, "heat_saving_fraction": 0.25,
                         "lifetime_years": 30}},
        targets={"renewable_generation": {"baseline_mwh_per_year": 1000.0}},
        pathway={"periods": [2030]})
    inputs = make_inputs(4, cf={"ground_pv": [0.0, 0.5, 0.8, 0.1]}, heat=[2.0, 1.0, 0.5, 1.5],
                         cop={"individual_heat_pump": 3.0}, price=300.0)
    single = solve_model(build_model(scenario, inputs)).objective_gbp_per_year
    pm = build_pathway(pathway_plan(scenario), {2030: inputs})
    assert solve_pathway(pm).total_cost_gbp == pytest.approx(single, rel=1e-7)
    blk = pm.model.period[2030]
    assert pyo.value(blk.retrofit_share["A"] + blk.heat_pump_share["A"]
                     + blk.heat_network_share["A"]) > 0.1  # the shares are in play


def test_shares_only_grow_and_are_charged_once():
    # 1 MW of heat all year, free electricity; gas costs 1,000 GBP/MWh in 2026 and 1 in
    # 2027. Heat pumps (1e6 GBP per whole share, 10 years) go in for 2026 and stay in 2027
    # although gas is then cheaper: shares only grow, and their cost is charged once.
    scenario = make_scenario(
        zones={"A": {"households": 1000, "domestic_electricity_mwh_per_year": 0,
                     "domestic_heat_mwh_per_year": 8760}},
        gas={"price_gbp_per_mwh": 1000.0},
        technologies={"individual_heat_pump": {"capex_gbp_per_kw": 1000.0, "lifetime_years": 10},
                      "individual_gas_boiler": {"capex_gbp_per_kw": 0.0, "lifetime_years": 20,
                                                "efficiency": 1.0}},
        pathway={"periods": [2026, 2027], "values_reference_year": 2026,
                 "growth_per_year": {"gas_price": -0.999}})
    plan = pathway_plan(scenario)
    assert plan.periods[1].scenario.gas.price_gbp_per_mwh == pytest.approx(1.0)
    inputs = make_inputs(1, heat=1.0, load=0.0, cop={"individual_heat_pump": 2.0}, price=0.0)
    pm = build_pathway(plan, {y: inputs for y in plan.years})
    sol = solve_pathway(pm)
    shares = [pyo.value(pm.model.period[y].heat_pump_share["A"]) for y in plan.years]
    assert shares == pytest.approx([1.0, 1.0])
    assert sol.total_cost_gbp == pytest.approx(1e6 / 10 * 2)


def test_the_pathway_section_is_checked_with_key_paths():
    with pytest.raises(ScenarioError) as err:
        pathway_plan(pv_scenario({"periods": [2026], "retyre": {}}))
    assert "pathway.retyre: unknown key" in str(err.value)
    with pytest.raises(ScenarioError, match="pathway: periods must increase"):
        pathway_plan(pv_scenario({"periods": [2026, 2025]}))
    with pytest.raises(ScenarioError, match="pathway.retire.wind"):
        pathway_plan(pv_scenario({"periods": [2026], "retire": {"wind": 2026}}))
    with pytest.raises(ScenarioError, match="no pathway section"):
        pathway_plan(make_scenario())


def test_growth_per_year_scales_demand_prices_and_carbon():
    scenario = make_scenario(grid={"import_price_gbp_per_mwh": 100.0, "co2_t_per_mwh": 0.2},
                             pathway={"periods": [2026, 2028], "values_reference_year": 2026,
                                      "growth_per_year": {"electricity_demand": 0.1,
                                                          "grid_co2": -0.5}})
    late = pathway_plan(scenario).periods[1].scenario
    assert late.zones["A"].domestic_electricity_mwh_per_year == pytest.approx(8760 * 1.21)
    assert late.grid.co2_t_per_mwh == pytest.approx(0.05)
    assert late.grid.import_price_gbp_per_mwh == 100.0


def test_results_write_refuse_to_overwrite_and_feed_progress(tmp_path):
    pm, sol = solved(pv_scenario({**PERIODS, "renewable_milestones": "final_only"}))
    ds = pathway_dataset(pm, sol)
    assert ds["build"].sel(period=2028, technology="ground_pv") == pytest.approx(3.0)
    assert list(ds["capacity"].sel(technology="ground_pv").to_numpy()) == pytest.approx(
        [0.0, 0.0, 3.0])
    assert float(ds["capex_gbp"].sel(period=2028)) == pytest.approx(3 * 0.81e6)
    out = write_pathway(ds, tmp_path / "pw")
    assert {"results.nc", "pathway.csv", "builds.csv", "summary.txt"} <= {
        f.name for f in out.iterdir()}
    with pytest.raises(EnergyModelError, match="already exists"):
        write_pathway(ds, out)
    assert planned_trajectory(ds)[2028] == pytest.approx(3 * MWH_PER_MW_YEAR)


def test_the_cli_parser():
    parser = argparse.ArgumentParser()
    add_pathway_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["pathway", "stoke-pathway-2030", "--myopic", "--resolution", "24h"])
    assert args.myopic and args.resolution == 24 and callable(args.func)


def test_stoke_pathway_end_to_end_at_a_coarse_resolution(tmp_path):
    from energy_model.pathway.results import run_pathway
    from energy_model.scenario import load_scenario

    scenario = load_scenario("stoke-pathway-2030").with_updates(
        {"time.representative_days": 4})
    path = tmp_path / "scenario.yaml"
    path.write_text(scenario.resolved_yaml(), encoding="utf-8")
    out, ds = run_pathway(str(path), out=str(tmp_path / "out"))
    assert list(ds["period"].to_numpy()) == [2026, 2027, 2028, 2029, 2030]
    counted = ds["renewable_generation_counted_mwh_per_year"].to_numpy()
    milestones = ds["renewable_milestone_mwh_per_year"].to_numpy()
    assert np.all(np.isnan(milestones[:-1])) and milestones[-1] == pytest.approx(84_000)
    assert counted[-1] >= 84_000 - 1e-3
    # the build rates spread the renewables over the years: no year builds more than its rate
    built = ds["build"]
    for k, rate in (("rooftop_pv", 2.56), ("ground_pv", 4.0), ("wind", 4.2)):
        assert float(built.sel(technology=k).max()) <= rate + 1e-6
    assert float(built.sel(technology="rooftop_pv").sum()) > 2.56   # more than one year's
    # geothermal and wind may not be built before 2028
    for k in ("geothermal", "wind"):
        assert float(built.sel(technology=k, period=[2026, 2027]).sum()) == 0
    assert (out / "results.nc").is_file()
    # the report and the progress tracker draw the planned trajectory
    from energy_model.progress import planned_from_results
    from energy_model.report import load_results, write_report

    assert planned_from_results(load_results(out), 2030)[2027] == pytest.approx(counted[1])
    actuals = tmp_path / "actuals.csv"
    actuals.write_text("year,renewable_generation_gwh\n2023,28\n2024,31\n", encoding="utf-8")
    report = write_report(out, actuals=actuals)
    html = report.read_text(encoding="utf-8")
    assert "chart-pathway_trajectory" in html and "chart-progress" in html
    # where: a map per period and the homes each zone changes, years printed as years
    assert (out / "network_map.png").is_file()
    assert 'id="where"' in html and 'alt="Map of the heat network in each period"' in html
    assert "2,026" not in html and "2,030" not in html
    from energy_model.built import BUILT_GBP, BUILT_MW
    from energy_model.pathway.results import zone_changes

    changes = zone_changes(ds)
    assert (changes["homes"] >= 10).all() and changes["homes"].dtype.kind == "i"
    shown = pd.read_csv(report.parent / "report_data" / "pathway_builds.csv")
    assert (shown["build"].eq(0) | shown["build"].ge(BUILT_MW)).all()
    periods = pd.read_csv(report.parent / "report_data" / "periods.csv")
    assert (periods["capex_gbp"].eq(0) | periods["capex_gbp"].ge(BUILT_GBP)).all()
    page_checks(report, tmp_path / "chromium", ["Where: the heat network",
                                                "Are we on track?"])
