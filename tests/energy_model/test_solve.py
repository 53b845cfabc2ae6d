"""The solver path for large LPs (interior point, no crossover, scaled objective) gives the
same plan, objective and prices as HiGHS's default on a system solved by hand."""

import numpy as np
import pyomo.environ as pyo
import pytest
from systems import make_inputs, make_scenario, solve

from energy_model import solve as solve_module
from energy_model.solve import algorithm_for, interior_point, objective_scale_exponent

TARGET = {"renewable_generation": {"baseline_mwh_per_year": 2190, "multiplier": 1,
                                   "counts": ["ground_pv"]}}


def scenario(capex_gbp_per_kw):
    tech = {"ground_pv": {"capex_gbp_per_kw": capex_gbp_per_kw, "lifetime_years": 10}}
    return make_scenario(technologies=tech, targets=TARGET)


def test_objective_scale_keeps_every_cost_below_the_limit():
    # PV at 1e7 GBP/MW over 10 years: 1e6 GBP/yr per MW, five times the limit: 2^-3
    # brings it to 125,000
    m, _ = solve(scenario(10_000.0), make_inputs(2, cf={"ground_pv": [1, 0]}))
    assert objective_scale_exponent(m) == -3
    # cheap PV: the largest cost is importing in one of two hours, 100 GBP/MWh x 4,380 h:
    # 2^-2 brings it to 109,500
    m, _ = solve(scenario(100.0), make_inputs(2, cf={"ground_pv": [1, 0]}))
    assert objective_scale_exponent(m) == -2
    # a year of hourly steps at 10 GBP/MWh: no cost above the limit, no scaling
    m, _ = solve(scenario(100.0), make_inputs(8760, cf={"ground_pv": 0.5}, price=10.0))
    assert objective_scale_exponent(m) == 0


def test_interior_point_path_matches_the_hand_solution(monkeypatch):
    inputs = make_inputs(2, cf={"ground_pv": [1, 0]})
    m, default = solve(scenario(10_000.0), inputs)
    assert algorithm_for(m) == {}
    monkeypatch.setattr(solve_module, "IPM_ABOVE_VARIABLES", 0)
    # IPX needs the objective scaled; HiPO (with highspy-extras) does better without
    assert algorithm_for(m) == ({"solver": "hipo", "run_crossover": "off"}
                                if interior_point() == "hipo" else
                                {"solver": "ipm", "run_crossover": "off",
                                 "user_objective_scale": -3})
    m2, ipm = solve(scenario(10_000.0), inputs)
    # by hand (test_hand_solved): 0.5 MW of PV, 1,157,000 GBP/yr, shadow price 128.31
    assert pyo.value(m2.capacity["ground_pv"]) == pytest.approx(0.5, rel=1e-6)
    assert ipm.objective_gbp_per_year == pytest.approx(500_000 + 219_000 + 438_000, rel=1e-7)
    assert abs(ipm.duals[m2.renewable_target]) == pytest.approx(1e6 / 4380 - 100, rel=1e-6)
    prices = [ipm.duals[m2.electricity_balance[t]] for t in m2.T]
    np.testing.assert_allclose(prices, [default.duals[m.electricity_balance[t]] for t in m.T],
                               rtol=1e-6)


@pytest.mark.parametrize("fix_capacity", [False, True])
def test_interior_point_path_explains_an_infeasible_plan(monkeypatch, fix_capacity):
    # 1 MW of PV can give 4,380 MWh/yr against a 10,000 MWh/yr target; fixing the
    # capacity makes the target a constraint without free variables, which Pyomo's
    # standard-form compiler refuses before HiGHS sees it: the same diagnosis either way
    from energy_model.build import build_model
    from energy_model.errors import SolveError, SolveStatus

    monkeypatch.setattr(solve_module, "IPM_ABOVE_VARIABLES", 0)
    tech = {"ground_pv": {"capex_gbp_per_kw": 600.0, "lifetime_years": 25, "potential_mw": 1}}
    target = {"renewable_generation": {"baseline_mwh_per_year": 10_000, "multiplier": 1,
                                       "counts": ["ground_pv"]}}
    m = build_model(make_scenario(technologies=tech, targets=target),
                    make_inputs(2, cf={"ground_pv": [1, 1]}))
    if fix_capacity:
        m.new_capacity["ground_pv"].fix(1.0)
        for t in m.T:
            m.generation["ground_pv", t].fix(1.0)
    with pytest.raises(SolveError) as info:
        solve_module.solve_model(m)
    assert info.value.status is SolveStatus.INFEASIBLE
    assert "renewable generation target" in str(info.value)


def test_warm_start_reuses_the_basis_of_the_same_shape_and_finds_the_same_optimum():
    from energy_model.build import build_model
    from energy_model.solve import WarmStart, solve_model

    warm = WarmStart()
    inputs = make_inputs(2, cf={"ground_pv": [1, 0]})
    # by hand: the target forces 0.5 MW while PV costs more than the 438,000 GBP/yr per MW
    # it saves; at 800 GBP/kW (80,000 GBP/yr per MW) it pays to cover the load, 1 MW
    expected = {10_000.0: 500_000 + 219_000 + 438_000, 5_000.0: 250_000 + 219_000 + 438_000,
                800.0: 80_000 + 438_000}
    for capex, objective in expected.items():
        m = build_model(scenario(capex), inputs)
        sol = solve_model(m, warm_start=warm)
        assert sol.objective_gbp_per_year == pytest.approx(objective, rel=1e-9)
        assert abs(sol.duals[m.renewable_target]) == pytest.approx(
            max(capex * 100 - 438_000, 0) / 4380 * (capex != 800.0), abs=1e-6)
    assert warm.reused == 2
    # another shape (three steps): solved afresh, right all the same
    m = build_model(scenario(800.0), make_inputs(3, cf={"ground_pv": [1, 0, 0]}))
    sol = solve_model(m, warm_start=warm)
    assert warm.reused == 2
    assert pyo.value(m.capacity["ground_pv"]) == pytest.approx(1.0)


def test_a_stalled_interior_point_is_tried_again_and_the_answer_is_right(monkeypatch):
    import highspy

    monkeypatch.setattr(solve_module, "IPM_ABOVE_VARIABLES", 0)
    runs, statuses = [], []
    real_run, real_status = highspy.Highs.run, highspy.Highs.getModelStatus

    def run(self):
        runs.append(self.getOptions().user_objective_scale)
        return real_run(self)

    def status(self):
        # the first solve stalls, as HiGHS's interior point sometimes does ("no progress")
        statuses.append(1)
        return highspy.HighsModelStatus.kUnknown if len(statuses) == 1 else real_status(self)

    monkeypatch.setattr(highspy.Highs, "run", run)
    monkeypatch.setattr(highspy.Highs, "getModelStatus", status)
    m, sol = solve(scenario(10_000.0), make_inputs(2, cf={"ground_pv": [1, 0]}))
    # tried again, scaled by half again (IPX starts scaled by 2^-3, HiPO unscaled); then
    # the schedule's one window, an LP of its own, unscaled
    first = 0 if interior_point() == "hipo" else -3
    assert runs == [first, first - 1, 0]
    assert sol.objective_gbp_per_year == pytest.approx(500_000 + 219_000 + 438_000, rel=1e-7)
    assert pyo.value(m.capacity["ground_pv"]) == pytest.approx(0.5, rel=1e-6)


def test_interior_point_path_names_an_unbounded_plan_and_a_time_limit(monkeypatch):
    from energy_model.build import build_model
    from energy_model.errors import SolveError, SolveStatus

    monkeypatch.setattr(solve_module, "IPM_ABOVE_VARIABLES", 0)
    calls = []
    monkeypatch.setattr(solve_module, "run_highs",
                        lambda *a, **k: calls.append(1) or pytest.fail("solved twice"))
    # exporting pays more than importing costs, with no limit on either
    m = build_model(make_scenario(), make_inputs(2, price=50.0, export_price=60.0))
    with pytest.raises(SolveError) as info:
        solve_module.solve_model(m)
    assert info.value.status is SolveStatus.UNBOUNDED
    # a year of hourly steps cannot be solved in a microsecond: the error says so at once
    tech = {"battery": {"energy_capex_gbp_per_kwh": 1.0, "power_capex_gbp_per_kw": 1.0,
                        "energy_lifetime_years": 1, "power_lifetime_years": 1,
                        "charge_efficiency": 0.9, "discharge_efficiency": 0.9}}
    prices = 50 + 100 * (np.arange(8760) % 24 >= 17)
    m = build_model(make_scenario(technologies=tech), make_inputs(8760, price=prices))
    with pytest.raises(SolveError, match="without a plan") as info:
        solve_module.solve_model(m, time_limit_s=1e-6)
    assert info.value.status is SolveStatus.TIME_LIMIT
    assert not calls


def test_an_lp_whose_design_is_fixed_goes_to_simplex_and_keeps_its_optimum(monkeypatch):
    # doing nothing and a design re-operated leave only the operation: even above the
    # interior point's size threshold it is solved by the simplex method, at a vertex
    from energy_model.build import build_model
    from energy_model.solve import DESIGN, solve_model

    monkeypatch.setattr(solve_module, "IPM_ABOVE_VARIABLES", 0)
    inputs = make_inputs(2, cf={"ground_pv": [1, 0]})
    m = build_model(scenario(10_000.0), inputs)
    assert algorithm_for(m)["solver"] == interior_point()
    solve_model(m)
    for name in DESIGN:
        for v in getattr(m, name, {}).values():
            if v.value is not None:
                v.fix(v.value)
    assert algorithm_for(m) == {"solver": "simplex"}
    sol = solve_model(m)
    # by hand (test_hand_solved): 0.5 MW of PV, 1,157,000 GBP/yr
    assert sol.objective_gbp_per_year == pytest.approx(500_000 + 219_000 + 438_000, rel=1e-9)
    assert sol.vertex_seconds == 0.0
