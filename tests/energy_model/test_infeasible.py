"""An infeasible plan says which target cannot be met, and by how much."""

import pytest
from systems import make_inputs, make_scenario

from energy_model.build import build_model
from energy_model.errors import SolveError, SolveStatus
from energy_model.solve import solve_model


def test_unreachable_renewable_target_names_the_target_and_the_best_reachable():
    tech = {"ground_pv": {"capex_gbp_per_kw": 600.0, "lifetime_years": 25, "potential_mw": 1}}
    target = {"renewable_generation": {"baseline_mwh_per_year": 10_000, "multiplier": 1,
                                       "counts": ["ground_pv"]}}
    m = build_model(make_scenario(technologies=tech, targets=target),
                    make_inputs(2, cf={"ground_pv": [1, 0]}))
    with pytest.raises(SolveError) as info:
        solve_model(m)
    assert info.value.status is SolveStatus.INFEASIBLE
    msg = str(info.value)
    assert "renewable generation target" in msg and "10,000" in msg
    # 1 MW x 1 h in 2 x 4,380 h/yr = 4,380 MWh/yr at most
    assert "the most this scenario can reach is 4,380" in msg


def test_import_limit_below_demand_is_not_blamed_on_targets():
    m = build_model(make_scenario(grid={"import_limit_mw": 0.5}), make_inputs(2))
    with pytest.raises(SolveError, match="Demand cannot be met"):
        solve_model(m)
