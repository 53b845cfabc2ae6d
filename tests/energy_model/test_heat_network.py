"""The heat network block on systems small enough to solve by hand."""

import numpy as np
import pyomo.environ as pyo
import pytest
from systems import make_inputs, make_scenario, solve

HOURS = 8760


def network(pipes, build="continuous", loss_per_km=0.0, cost_per_mw_km=0.0, fixed_per_km=0.0):
    nodes = {
        "S1": {"kind": "source", "x": -2.20, "y": 53.00, "technologies": ["central_gas_boiler"]},
        "S2": {"kind": "source", "x": -2.10, "y": 53.00, "technologies": ["geothermal"]},
        "A": {"kind": "zone", "x": -2.15, "y": 53.02},
    }
    if not any("S2" in (p["start"], p["end"]) for p in pipes.values()):
        del nodes["S2"]
    return {"nodes": nodes, "pipes": pipes, "build_decisions": build,
            "pipe_loss_fraction_per_km": loss_per_km,
            "pipe_cost_gbp_per_mw_per_km": cost_per_mw_km,
            "pipe_fixed_cost_gbp_per_km": fixed_per_km}


def scenario(net, *, gas_price=20.0, individual=False, existing_share=1.0):
    sited = {k for n in net["nodes"].values() for k in n.get("technologies", [])}
    tech = {
        "heat_network": {"lifetime_years": 1},
        "central_gas_boiler": {"capex_gbp_per_kw": 0.0, "lifetime_years": 1, "efficiency": 1.0,
                               "existing_capacity_mw": 10.0},
        "geothermal": {"capex_gbp_per_kw": 0.0, "lifetime_years": 1, "existing_capacity_mw": 10.0,
                       "variable_om_gbp_per_mwh": 40.0},
    }
    tech = {k: v for k, v in tech.items() if k == "heat_network" or k in sited}
    if individual:
        tech["individual_gas_boiler"] = {"capex_gbp_per_kw": 0.0, "lifetime_years": 1,
                                         "efficiency": 0.5}
    zones = {"A": {"domestic_electricity_mwh_per_year": 0, "domestic_heat_mwh_per_year": HOURS,
                   "existing_heat_network_share": existing_share}}
    return make_scenario(technologies=tech, zones=zones, network=net,
                         gas={"price_gbp_per_mwh": gas_price})


PIPES = {
    "long": {"start": "S1", "end": "A", "length_km": 10.0, "candidate": True},
    "short": {"start": "S2", "end": "A", "length_km": 1.0, "candidate": True},
}


@pytest.mark.parametrize("cost_per_mw_km, expected_route", [(1_000.0, "long"),
                                                            (20_000.0, "short")])
def test_cheap_lossy_route_against_dear_lossless_one(cost_per_mw_km, expected_route):
    # 1 MW of heat at A. Gas heat at S1 costs 20 GBP/MWh but comes over 10 km losing 2 %/km
    # (80 % arrives); geothermal at S2 costs 40 GBP/MWh over 1 km (98 % arrives). Pipes cost
    # `cost_per_mw_km` per MW of capacity and km a year (lifetime 1 year, no discounting).
    s = scenario(network(PIPES, loss_per_km=0.02, cost_per_mw_km=cost_per_mw_km))
    m, sol = solve(s, make_inputs(2, load=0.0, heat=1.0))
    via_long = 1.25 * HOURS * 20 + 1.25 * 10 * cost_per_mw_km
    via_short = HOURS * 40 / 0.98 + 1 / 0.98 * 1 * cost_per_mw_km
    assert sol.objective_gbp_per_year == pytest.approx(min(via_long, via_short))
    built = {p: pyo.value(m.pipe_new_capacity[p]) for p in m.P}
    other = "short" if expected_route == "long" else "long"
    assert built[other] == pytest.approx(0.0, abs=1e-9)
    assert built[expected_route] == pytest.approx(1.25 if expected_route == "long" else 1 / 0.98)


def test_losses_make_delivered_heat_smaller_by_the_stated_amount():
    s = scenario(network(PIPES, loss_per_km=0.02, cost_per_mw_km=1_000.0))
    m, _ = solve(s, make_inputs(2, load=0.0, heat=1.0))
    for t in m.T:
        sent = pyo.value(m.pipe_flow_forward["long", t])
        arrived = 0.8 * sent + 0.98 * pyo.value(m.pipe_flow_forward["short", t])
        assert arrived == pytest.approx(1.0)  # the zone's demand
        assert sent == pytest.approx(1.25)


def fixed_cost_case(build):
    # Network heat from S1 costs 20 GBP/MWh against 40 from the zone's own boilers: a saving
    # of 175,200 GBP/yr for 1 MW all year. The 1 km pipe's fixed cost is 300,000 GBP/yr,
    # above that saving; relaxed, half a pipe (2 MW room) carries the 1 MW for 150,000.
    pipes = {"only": {"start": "S1", "end": "A", "length_km": 1.0, "candidate": True,
                      "max_capacity_mw": 2.0}}
    s = scenario(network(pipes, build=build, fixed_per_km=300_000.0), individual=True,
                 existing_share=0.0)
    return solve(s, make_inputs(2, load=0.0, heat=1.0))


def test_fixed_cost_above_benefit_is_not_built_with_binary_decisions():
    m, sol = fixed_cost_case("binary")
    assert pyo.value(m.pipe_built["only"]) == pytest.approx(0.0)
    assert sol.objective_gbp_per_year == pytest.approx(HOURS * 40)
    assert sol.mip_gap is not None and sol.mip_gap <= 1e-4


def test_fixed_cost_is_partly_built_when_continuous():
    m, sol = fixed_cost_case("continuous")
    assert pyo.value(m.pipe_built["only"]) == pytest.approx(0.5)
    assert pyo.value(m.heat_network_share["A"]) == pytest.approx(1.0)
    assert sol.objective_gbp_per_year == pytest.approx(HOURS * 20 + 150_000)
    assert sol.mip_gap is None


def test_heat_balances_close_at_every_node_and_step():
    s = scenario(network(PIPES, loss_per_km=0.01, cost_per_mw_km=5_000.0))
    heat = 1.0 + 0.5 * np.sin(np.arange(12))
    m, _ = solve(s, make_inputs(12, load=0.0, heat=heat))
    for (node, t), con in m.heat_balance.items():
        assert pyo.value(con.body) == pytest.approx(0.0, abs=1e-7), (node, t)
    for t in m.T:
        sent = sum(pyo.value(m.pipe_flow_forward[p, t] + m.pipe_flow_backward[p, t]) for p in m.P)
        losses = 0.1 * pyo.value(m.pipe_flow_forward["long", t] + m.pipe_flow_backward["long", t]) \
            + 0.01 * pyo.value(m.pipe_flow_forward["short", t] + m.pipe_flow_backward["short", t])
        assert sent - losses == pytest.approx(heat[t])


def test_stoke_plan_is_the_same_from_yaml_and_geojson():
    from energy_model.inputs import prepare_inputs
    from energy_model.scenario import load_scenario
    from networks import stoke_network_dict

    base = load_scenario("stoke-2030").with_updates({"time.resolution_h": 24})
    assert "geojson" in base.network.graph_data()
    # the pipe catalogue's costs are converted to the scenario's price year on loading
    inline = base.with_updates({"network": {
        **stoke_network_dict(), "build_decisions": "continuous",
        "catalogue_cost_factor": base.network.catalogue_cost_factor}})
    inputs = prepare_inputs(base)
    plans = []
    for s in (base, inline):
        m, sol = solve(s, inputs)
        plans.append((sol.objective_gbp_per_year,
                      {p: pyo.value(m.pipe_new_capacity[p]) for p in m.P}))
    assert plans[0][0] == pytest.approx(plans[1][0], rel=1e-9)
    assert plans[0][1] == pytest.approx(plans[1][1], abs=1e-6)
    # under the default assumptions some candidate routes are worth building, others not
    built = {p for p, v in plans[0][1].items() if v > 0.1}
    assert built and built != set(plans[0][1])


def test_flow_into_a_source_only_leaf_is_fixed_at_zero_and_changes_nothing(monkeypatch):
    from energy_model.analysis import solve_scenario
    from energy_model.components import heat_network
    from energy_model.inputs import prepare_inputs
    from energy_model.scenario import load_scenario

    s = load_scenario("stoke-2030").with_updates({"time.resolution_h": 24})
    layout = heat_network.network_layout(s)
    # the energy-from-waste plant and the colliery sit at the end of one pipe each; the
    # Seven Arches node has the thermal store and Etruria two pipes, so they keep both
    assert heat_network.source_leaves(layout) == {"Hanford EfW", "Chatterley Whitfield"}
    inputs = prepare_inputs(s)
    reduced = solve_scenario(s, inputs)
    # flow is forward (start to end) less backward: heat only ever leaves the leaves
    assert (reduced.pipe_flow_mw.sel(pipe="stoke-hanford") <= 0).all()
    assert (reduced.pipe_flow_mw.sel(pipe="tunstall-chatterley-whitfield") <= 0).all()
    monkeypatch.setattr(heat_network, "source_leaves", lambda _: set())
    full = solve_scenario(s, inputs)
    assert reduced.attrs["total_cost_gbp_per_year"] == pytest.approx(
        full.attrs["total_cost_gbp_per_year"], rel=1e-9)
