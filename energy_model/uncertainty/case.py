"""One sample of an uncertainty run: what a Dask worker runs for it.

The sample's own optimal plan is solved as any sweep case is
(:func:`energy_model.sweep.case.solve_case`, warm-started from the worker's previous
case). Then the default plan's design (its capacities, pipes and heating mix) is fixed
and operated under the sample's assumptions in an elastic model, where demand the design
cannot serve is counted rather than infeasible: the regret of the default plan is its
cost there less the sample's own optimum.
"""

from __future__ import annotations

import time
from typing import Any

from energy_model.sweep.case import STATUS_OK, prepare_case_inputs, solve_case

REGRET_FIGURES = {
    "default_plan_cost_gbp_per_year": (
        "GBP/yr", "the default plan's design operated under this sample (unmet energy free)"),
    "regret_gbp_per_year": (
        "GBP/yr", "the default plan's cost under this sample less the sample's own optimum"),
    "default_plan_unmet": (
        "MWh/yr (or target units)",
        "energy the default plan's design leaves unserved, and targets it misses"),
}
_elastic_warm_start: Any = None   # this process's WarmStart for the elastic re-operations


def uncertainty_case(case_id: str, data: dict[str, Any], base_dir: str,
                     time_limit_s: float | None = None,
                     design: list[tuple[tuple[str, Any], float]] | None = None,
                     warm_start: bool = True) -> dict[str, Any]:
    """Solve one sample and, given the default design, operate it under the sample.

    Parameters
    ----------
    case_id, data, base_dir, time_limit_s
        As for :func:`energy_model.sweep.case.solve_case`.
    design : list of ((variable, index), value), optional
        The default plan's design (:func:`energy_model.analysis.design_of`, as pairs).
    warm_start : bool
        Start each LP from the optimal basis of this process's previous one of the same
        shape (the sample's plan and the default plan's operation apart).

    Returns
    -------
    dict
        The record of :func:`~energy_model.sweep.case.solve_case` with ``builds`` (name
        to amount) and ``build_unit``, and in ``figures`` the regret figures of
        :data:`REGRET_FIGURES` (or ``regret_reason`` saying why there are none).
    """
    from energy_model.analysis import operate_design
    from energy_model.build import build_model
    from energy_model.errors import EnergyModelError
    from energy_model.scenario import scenario_from_dict
    from energy_model.solve import WarmStart
    from energy_model.uncertainty.builds import plan_builds

    global _elastic_warm_start
    record = solve_case(case_id, data, base_dir, time_limit_s, warm_start=warm_start)
    if record["status"] != STATUS_OK:
        return record
    start = time.perf_counter()
    scenario = scenario_from_dict(data, source=f"case {case_id}", base_dir=base_dir)
    builds = plan_builds(record["dataset"], scenario)
    record["builds"] = {k: v for k, (v, _) in builds.items()}
    record["build_unit"] = {k: u for k, (_, u) in builds.items()}
    if design:
        if warm_start and _elastic_warm_start is None:
            _elastic_warm_start = WarmStart()
        try:
            inputs = prepare_case_inputs(scenario, data, base_dir)
            m = build_model(scenario, inputs, elastic=True)
            cost, unmet = operate_design(m, dict(design),
                                         warm_start=_elastic_warm_start if warm_start else None)
        except EnergyModelError as err:
            record["regret_reason"] = f"the default plan could not be operated: {err}"
        else:
            values = {"default_plan_cost_gbp_per_year": cost,
                      "regret_gbp_per_year": cost - record["figures"]["total_cost_gbp_per_year"],
                      "default_plan_unmet": unmet}
            for name, (unit, _) in REGRET_FIGURES.items():
                record["figures"][name] = values[name]
                record["units"][name] = unit
    record["seconds"] += time.perf_counter() - start
    return record
