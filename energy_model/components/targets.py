"""Targets and caps: local renewable electricity and heat, CO2 and the capital budget.

Renewable output is measured in two units, each reported and targetable on its own:

.. math::

    R^{el} = w \\Delta t \\sum_t \\Big( \\sum_{g} G_{g,t} + \\phi E_t \\Big)
             - (1 - \\eta_c \\eta_d) \\, w \\Delta t \\sum_t (C^{bat}_t - g_t),
    \\qquad g_t \\le C^{bat}_t, \\quad g_t \\le I_t

    R^{heat} = w \\Delta t \\sum_t \\Big( Q^{geo}_t + \\sum_{k \\in HP}
        \\big(1 - \\tfrac{1}{\\mathrm{COP}_{k,t}}\\big) Q^k_t + \\phi Q^{efw}_t \\Big)
             - w \\Delta t \\sum_t (C^{th}_t - D^{th}_t)

Electricity is what DESNZ's local-authority renewable electricity statistics count
(PV, wind, the biogenic share :math:`\\phi` of energy from waste); heat is geothermal heat,
the ambient share of heat pumps' heat (individual ones: :math:`\\sum_z s^{hp}_z H_{z,t}`)
and the biogenic share of energy-from-waste heat. Each is net of its storage's losses
(the battery's round-trip loss on what it charges from local output, :math:`g_t` being
charge from grid imports; the store's standing losses), so generating a surplus and
burning it in storage losses cannot help meet a target (:func:`storage_losses`). A target
counts the items in its ``counts`` list, less the same losses:

.. math::

    R_{counted} \\ge B \\cdot k, \\qquad \\sum_{c} \\mathrm{CO2}_c \\le \\overline{\\mathrm{CO2}},
    \\qquad \\sum_{c} \\mathrm{CAPEX}_c \\le \\overline{\\mathrm{CAPEX}}

The duals of these constraints are the shadow prices reported in the summary (GBP per
MWh of target, per t of CO2, per GBP of budget).

=========================  ===============================  ========
symbol                     Pyomo name                       unit
=========================  ===============================  ========
:math:`R^{el}`             ``m.renewable_electricity_mwh``  MWh/yr
:math:`R^{heat}`           ``m.renewable_heat_mwh``         MWh/yr
:math:`g_t`                ``m.battery_charge_from_grid``  MW
(counted, electricity)     ``m.renewable_generation_mwh``   MWh/yr
(counted, heat)            ``m.renewable_heat_counted_mwh``  MWh/yr
(targets)                  ``m.renewable_target``,
                           ``m.renewable_heat_target``      MWh/yr
(cap)                      ``m.co2_cap``                    t/yr
(budget)                   ``m.capex_budget``               GBP
(elastic slacks)           ``m.renewable_shortfall_mwh``,
                           ``m.renewable_heat_shortfall_mwh``,
                           ``m.co2_excess_t``,
                           ``m.capex_excess_gbp``           MWh/yr, t/yr, GBP
=========================  ===============================  ========
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo

from energy_model import technologies as registry
from energy_model.components.heat import HEAT_PUMPS
from energy_model.components.terms import Target
from energy_model.inputs import ModelInputs
from energy_model.scenario import DEFAULT_COUNTS, Scenario


def renewable_items(m: pyo.ConcreteModel, scenario: Scenario, inputs: ModelInputs
                    ) -> dict[str, dict[str, object]]:
    """Annual renewable output of each item by measure [MWh/yr], as linear expressions.

    Returns
    -------
    dict
        ``{"electricity": {item: expr}, "heat": {item: expr}}``, items the scenario has.
    """
    w = np.asarray(inputs.step_weight_h, dtype=float)
    efw = scenario.technologies.energy_from_waste
    phi = efw.biogenic_fraction if efw else 0.0
    elec: dict[str, object] = {}
    for g in m.G:
        elec[g] = sum(w[t] * m.generation[g, t] for t in m.T)
    if hasattr(m, "efw_electricity"):
        elec["energy_from_waste"] = phi * sum(w[t] * m.efw_electricity[t] for t in m.T)
    heat: dict[str, object] = {}
    if "geothermal" in m.H:
        heat["geothermal"] = sum(w[t] * m.central_heat["geothermal", t] for t in m.T)
    for k in (k for k in HEAT_PUMPS if k in m.H and registry.REGISTRY[k].renewable_heat):
        ambient = (w * (1.0 - 1.0 / np.asarray(inputs.cop[k], dtype=float))).tolist()
        heat[k] = sum(ambient[t] * m.central_heat[k, t] for t in m.T)
    if scenario.technologies.individual_heat_pump is not None:
        ambient = w * (1.0 - 1.0 / np.asarray(inputs.cop["individual_heat_pump"], dtype=float))
        coef = {z: float(np.dot(ambient, m.zone_heat_mw[z])) for z in m.Z}
        heat["individual_heat_pump"] = sum(coef[z] * m.heat_pump_share[z] for z in m.Z
                                           if coef[z])
    if hasattr(m, "efw_heat"):
        heat["energy_from_waste"] = phi * sum(w[t] * m.efw_heat[t] for t in m.T)
    return {"electricity": elec, "heat": heat}


def storage_losses(m: pyo.ConcreteModel, scenario: Scenario, inputs: ModelInputs
                   ) -> dict[str, object]:
    """What storage loses of local output in a year [MWh/yr], by measure.

    The battery loses :math:`1 - \\eta_c \\eta_d` of what it charges (over a cycle what
    comes out is :math:`\\eta_c \\eta_d` of what goes in); only the charge not drawn from
    the grid counts against local generation: :math:`g_t \\le \\min(C_t, I_t)` is charge
    from imports (``m.battery_charge_from_grid``), so arbitrage on imports leaves the
    count alone while surplus burned in the battery does not count. Importing more to
    relabel charge raises the charge by as much (the balance), so only importing and
    exporting at once could relabel it, at the import-export spread. The thermal store
    loses its standing losses.
    """
    w = inputs.step_weight_h.tolist()
    out: dict[str, object] = {"electricity": 0.0, "heat": 0.0}
    b = scenario.technologies.battery
    if hasattr(m, "battery_charge") and b is not None:
        m.battery_charge_from_grid = pyo.Var(m.T, within=pyo.NonNegativeReals)
        m.battery_grid_charge_limit = pyo.Constraint(
            m.T, rule=lambda _, t: m.battery_charge_from_grid[t] <= m.battery_charge[t])
        m.battery_grid_charge_import = pyo.Constraint(
            m.T, rule=lambda _, t: m.battery_charge_from_grid[t] <= m.grid_import[t])
        lost = 1.0 - b.charge_efficiency * b.discharge_efficiency
        out["electricity"] = lost * sum(
            w[t] * (m.battery_charge[t] - m.battery_charge_from_grid[t]) for t in m.T)
    if hasattr(m, "store_net_charge"):
        out["heat"] = sum(w[t] * m.store_net_charge[t] for t in m.T)
    return out


def settle_grid_charge(m: pyo.Block) -> None:
    """After a solve, credit the grid with all the battery charge it can have supplied,
    :math:`g_t = \\min(C_t, I_t)`: where no target binds the solver may leave less, which
    would understate the renewables reported. Raising :math:`g_t` only raises what a
    target counts, so the plan stays feasible."""
    if not hasattr(m, "battery_charge_from_grid"):
        return
    for t in m.T:
        charge, grid = pyo.value(m.battery_charge[t]), pyo.value(m.grid_import[t])
        m.battery_charge_from_grid[t].set_value(max(0.0, min(charge, grid)),
                                                skip_validation=True)


def counted_expression(items: dict[str, dict[str, object]], losses: dict[str, object],
                       measure: str, counts: list[str]):
    """What a target of ``measure`` counts [MWh/yr]: its items less that measure's losses."""
    measures = ["electricity", "heat"] if measure == "electricity_and_heat" else [measure]
    allowed = {"electricity": registry.counts("electricity"), "heat": registry.counts("heat")}
    total = 0.0
    for name in measures:
        total = total + sum(items[name][k] for k in counts
                            if k in items[name] and k in allowed[name]) - losses[name]
    return total


def add_renewable_target(m: pyo.ConcreteModel, scenario: Scenario, inputs: ModelInputs) -> None:
    """Add the renewable measures, and each renewable target the scenario sets."""
    items = renewable_items(m, scenario, inputs)
    losses = storage_losses(m, scenario, inputs)
    m.renewable_items = items
    m.renewable_electricity_mwh = pyo.Expression(
        expr=sum(items["electricity"].values()) - losses["electricity"])
    m.renewable_heat_mwh = pyo.Expression(expr=sum(items["heat"].values()) - losses["heat"])
    m.storage_losses = losses
    targets = scenario.targets
    target = targets.renewable_generation
    measure = target.measure if target else "electricity"
    counts = target.counts if target else list(DEFAULT_COUNTS)
    m.renewable_generation_mwh = pyo.Expression(
        expr=counted_expression(items, losses, measure, counts))
    if target is not None:
        m.terms.target(m, Target(
            "renewable_target", "the renewable generation target (targets.renewable_generation)",
            "renewable_shortfall_mwh", "renewable target missed by", "MWh/yr",
            "renewable_generation_mwh"),
            lambda slack: m.renewable_generation_mwh + slack >= target.target_mwh_per_year)
    heat = targets.renewable_heat
    if heat is not None:
        m.renewable_heat_counted_mwh = pyo.Expression(
            expr=counted_expression(items, losses, "heat", heat.counts))
        m.terms.target(m, Target(
            "renewable_heat_target", "the renewable heat target (targets.renewable_heat)",
            "renewable_heat_shortfall_mwh", "renewable heat target missed by", "MWh/yr",
            "renewable_heat_counted_mwh"),
            lambda slack: m.renewable_heat_counted_mwh + slack >= heat.target_mwh_per_year)


def add_co2_cap(m: pyo.ConcreteModel, scenario: Scenario, inputs: ModelInputs) -> None:
    """Add annual CO2 below the cap, if the scenario sets one."""
    m.co2_t = pyo.Expression(expr=sum(m.terms.co2.values()))
    cap = scenario.targets.co2_cap_t_per_year
    if cap is not None:
        m.terms.target(m, Target("co2_cap", "the CO2 cap (targets.co2_cap_t_per_year)",
                                  "co2_excess_t", "CO2 cap exceeded by", "t/yr", "co2_t", "min"),
                       lambda slack: m.co2_t - slack <= cap)


def add_capex_budget(m: pyo.ConcreteModel, scenario: Scenario, inputs: ModelInputs) -> None:
    """Add overnight capital spending on new builds below the budget, if the scenario sets one."""
    m.capex_gbp = pyo.Expression(expr=sum(m.terms.overnight_by_technology(m).values()))
    budget = scenario.targets.capex_budget_gbp
    if budget is not None:
        m.terms.target(m, Target("capex_budget", "the capital budget (targets.capex_budget_gbp)",
                                 "capex_excess_gbp", "capital budget exceeded by", "GBP",
                                 "capex_gbp", "min"),
                       lambda slack: m.capex_gbp - slack <= budget)
