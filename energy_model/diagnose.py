"""Why a plan cannot work, in the scenario's own terms.

Three tools, from cheap to thorough:

* :func:`conflicting_targets` switches each target off in turn: the targets without which
  the plan solves are named, with the best value the scenario can reach for each.
* :func:`iis_explanation` asks HiGHS for an irreducible infeasible set (IIS): a smallest
  set of constraints and bounds that cannot hold together, and translates each member
  back to the scenario key, time step, zone or pipe it came from.
* :func:`elastic_report` reads an elastic solve (``build_model(..., elastic=True)``): by
  how much each target is missed and in which steps and nodes demand goes unserved.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from energy_model.errors import SolveStatus
from energy_model.highs import run_highs, status_of


def _targets(m: pyo.Block) -> dict:
    """The targets the model's components declared (:class:`energy_model.components.terms.
    Target`), by constraint name."""
    terms = getattr(m, "terms", None)
    return terms.targets if terms is not None else {}


def _optimal(m: pyo.ConcreteModel, time_limit_s: float | None) -> bool:
    return status_of(run_highs(m, time_limit_s)[1]) is SolveStatus.OPTIMAL


def conflicting_targets(m: pyo.ConcreteModel, time_limit_s: float | None = None) -> list[str]:
    """Targets without which the plan solves, each with the best value it can reach.

    Returns
    -------
    list of str
        One line per target; a line about demand when no target is to blame.
    """
    targets = _targets(m)
    active = [n for n in targets if getattr(m, n).active]
    culprits = []
    for name in active:
        con = getattr(m, name)
        con.deactivate()
        if _optimal(m, time_limit_s):
            culprits.append(name)
        con.activate()
    if not culprits:
        for name in active:
            getattr(m, name).deactivate()
        ok = _optimal(m, time_limit_s)
        for name in active:
            getattr(m, name).activate()
        if ok and len(active) > 1:
            return ["The targets cannot all be met together: "
                    + ", ".join(targets[n].description for n in active)
                    + ". Relax one of them."]
        return ["Demand cannot be met in some steps even without targets: raise "
                "grid.import_limit_mw, allow more capacity (potential_mw), or check the "
                "demand time series."]
    lines = []
    for name in culprits:
        con = getattr(m, name)
        bound = pyo.value(con.upper if con.upper is not None else con.lower)
        text = f"{targets[name].description} = {bound:,.0f} cannot be met"
        best = best_reachable(m, name, time_limit_s)
        if best is not None:
            text += f"; the most this scenario can reach is {best:,.0f}"
        lines.append(text + ". Lower the target or raise what binds it.")
    return lines


def best_reachable(m: pyo.ConcreteModel, name: str, time_limit_s: float | None = None
                   ) -> float | None:
    """The best value of a target's quantity with the target itself switched off."""
    target = _targets(m).get(name)
    if target is None or target.quantity is None or not hasattr(m, target.quantity):
        return None
    expr = getattr(m, target.quantity)
    sense = pyo.maximize if target.sense == "max" else pyo.minimize
    con = getattr(m, name)
    con.deactivate()
    m.total_cost.deactivate()
    m._diagnose = pyo.Objective(expr=expr, sense=sense)
    try:
        _, result = run_highs(m, time_limit_s)
        if status_of(result) is not SolveStatus.OPTIMAL:
            return None
        return float(result.incumbent_objective)
    finally:
        m.del_component(m._diagnose)
        m.total_cost.activate()
        con.activate()


def _when(m, t) -> str:
    labels = getattr(m, "time_labels", [])
    return labels[t] if 0 <= t < len(labels) else f"step {t}"


def describe_constraint(m: pyo.ConcreteModel, con) -> str:
    """A constraint of the model in the scenario's terms."""
    block = con.parent_block()
    m = block if hasattr(block, "time_labels") else m   # a pathway's period block
    family = con.parent_component().local_name
    idx = con.index()
    idx = idx if isinstance(idx, tuple) else (idx,)
    if family == "electricity_balance":
        return (f"electricity balance at {_when(m, idx[0])}: supply must meet demand of "
                f"{m.electricity_demand_mw[idx[0]]:,.1f} MW plus any heat pumps and storage")
    if family == "heat_balance":
        return f"heat balance at network node '{idx[0]}' at {_when(m, idx[1])}"
    if family == "renewable_limit":
        return f"{idx[0]} output at {_when(m, idx[1])} is at most capacity factor x capacity"
    if family in _targets(block):
        bound = pyo.value(con.upper if con.upper is not None else con.lower)
        return f"{_targets(block)[family].description} = {bound:,.0f}"
    if family == "heat_mix":
        return f"zone {idx[0]}: heating shares must add up to 1"
    if family == "efw_output_limit":
        return f"energy-from-waste output at {_when(m, idx[0])} is at most its available capacity"
    if family == "central_heat_limit":
        return f"{idx[0]} heat at {_when(m, idx[1])} is at most its capacity"
    if family == "pipe_capacity_limit":
        return f"pipe '{idx[0]}' flow at {_when(m, idx[1])} is at most its capacity"
    if len(idx) and isinstance(idx[-1], int) and family.startswith(("battery", "store")):
        return f"{family.replace('_', ' ')} at {_when(m, idx[-1])}"
    return f"{con.name}"


def describe_bound(m: pyo.ConcreteModel, var, side: str) -> str:
    """A variable bound of the model in the scenario's terms (``side`` is lower or upper)."""
    family = var.parent_component().local_name
    idx = var.index()
    value = var.ub if side == "upper" else var.lb
    if var.fixed:
        value = var.value
    if family == "grid_import" and side == "upper":
        return f"grid.import_limit_mw = {value:,.1f} at {_when(m, idx)}"
    if family == "grid_export" and side == "upper":
        return f"grid.export_limit_mw = {value:,.1f} at {_when(m, idx)}"
    if family == "new_capacity":
        asset = m.assets[idx]
        if var.fixed:
            return f"fixed_capacity.{idx} = {asset.existing + value:,.1f} {asset.unit}"
        if side == "upper":
            return (f"technologies.{idx}: potential of {asset.existing + value:,.1f} "
                    f"{asset.unit}")
        return f"technologies.{idx}: existing capacity of {asset.existing:,.1f} {asset.unit}"
    if family in ("heat_pump_share", "heat_network_share"):
        key = ("max_" if side == "upper" else "existing_") + family
        return f"zones.{idx}.{key} = {value:g}"
    if family == "efw_heat" and side == "upper":
        return f"technologies.energy_from_waste.heat_offtake_capacity_mw = {value:,.1f}"
    if family == "pipe_new_capacity" and side == "upper":
        return f"network pipe '{idx}': at most {value:,.1f} MW can be added"
    return f"{var.name} {side} bound {value}"


def iis_explanation(m: pyo.ConcreteModel, time_limit_s: float | None = None,
                    max_lines: int = 12) -> list[str]:
    """The members of an irreducible infeasible set, in scenario terms.

    Uses highspy's ``getIis`` on the model the Pyomo HiGHS interface built; the maps
    between HiGHS rows/columns and Pyomo components are that interface's own (private)
    attributes, so this returns an empty list if they are not available.
    """
    solver, _ = run_highs(m, time_limit_s)
    highs = getattr(solver, "_solver_model", None)
    rows = getattr(solver, "_solver_con_to_pyomo_con_map", None)
    var_ids = getattr(solver, "_pyomo_var_to_solver_var_map", None)
    var_data = getattr(solver, "_vars", None)
    if highs is None or rows is None or var_ids is None or var_data is None:
        return []
    # Strategy 2 finds the set from the LP itself; the default light strategy returns an
    # empty set when presolve alone proves infeasibility.
    highs.setOptionValue("iis_strategy", 2)
    status, iis = highs.getIis()
    if not getattr(iis, "valid_", False):
        return []
    columns = {index: var_data[v_id][0] for v_id, index in var_ids.items()}
    lines = [describe_constraint(m, rows[r]) for r in iis.row_index_ if r in rows]
    # HiGHS's IIS bound status: 1 free, 2 lower, 3 upper, 4 boxed (both bounds)
    sides = {2: ("lower",), 3: ("upper",), 4: ("lower", "upper")}
    for c, bound in zip(iis.col_index_, iis.col_bound_, strict=True):
        for side in sides.get(bound, ()) if c in columns else ():
            var = columns[c]
            bound_value = var.ub if side == "upper" else var.lb
            # a zero lower bound (no negative flows or capacities) explains nothing
            if var.fixed or (bound_value is not None and not (side == "lower"
                                                              and bound_value == 0)):
                lines.append(describe_bound(m, var, side))
    unique = list(dict.fromkeys(lines))
    if len(unique) > max_lines:
        unique = unique[:max_lines] + [f"... and {len(unique) - max_lines} more"]
    return unique


def elastic_report(m: pyo.ConcreteModel, step_weight_h: np.ndarray,
                   tolerance: float = 1e-6) -> list[str]:
    """What an elastic solve had to give up: targets missed and demand unserved.

    A target counts as missed when its slack is above ``tolerance`` times the target (at
    least 1): an interior point meets a target of 1,750 homes to round-off of 1e-5 homes,
    which a design fixed at its values carries into another model.

    Returns
    -------
    list of str
        Empty when nothing was given up.
    """
    lines = []
    for name, t in _targets(m).items():
        if not hasattr(m, t.slack):
            continue
        con = getattr(m, name, None)
        bounds = [] if con is None or con.is_indexed() else [
            abs(pyo.value(b)) for b in (con.lower, con.upper) if b is not None]
        if pyo.value(getattr(m, t.slack)) > tolerance * max([1.0, *bounds]):
            lines.append(f"{t.missed} {pyo.value(getattr(m, t.slack)):,.1f} {t.unit}")
    def unserved(what: str, series: list, first: bool = False) -> None:
        mw = np.array([pyo.value(v) for v in series])
        if mw.max() > tolerance:
            steps = np.flatnonzero(mw > tolerance)
            lines.append(f"{what}: {mw @ step_weight_h:,.1f} MWh/yr in {len(steps)} steps, at "
                         f"most {mw.max():,.2f} MW (at {_when(m, int(mw.argmax()))})"
                         + (f"; first at {_when(m, int(steps[0]))}" if first else ""))

    if hasattr(m, "unserved_electricity"):
        unserved("electricity unserved", [m.unserved_electricity[t] for t in m.T], first=True)
    if hasattr(m, "unserved_heat"):
        for n in m.N:
            unserved(f"heat unserved at node '{n}'", [m.unserved_heat[n, t] for t in m.T])
    return lines
