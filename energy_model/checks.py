"""Cheap checks before the solve: targets that cannot be met, or that are met already.

Each finding names the numbers on both sides, so an officer can see the size of the
problem without running the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from energy_model import technologies as registry
from energy_model.errors import EnergyModelError
from energy_model.inputs import VRE, ModelInputs
from energy_model.scenario import HOURS_PER_YEAR, Scenario


@dataclass(frozen=True)
class Finding:
    """One result of a check: an error stops the run, a warning is printed."""

    level: Literal["error", "warning"]
    message: str


class PlanCheckError(EnergyModelError):
    """The scenario cannot work, as the checks before the solve show."""

    def __init__(self, source: str, findings: list[Finding]):
        self.findings = findings
        lines = "\n".join(f"  - {f.message}" for f in findings)
        super().__init__(f"{source}: the plan cannot work:\n{lines}")


def renewable_generation_bounds(scenario: Scenario, inputs: ModelInputs
                                ) -> tuple[dict[str, float], dict[str, float]]:
    """Annual generation of each counted technology at existing capacity and at the most
    the plan can build: the potential, or less where a build rate limits it.

    Returns
    -------
    existing, most : dict of str to float
        MWh/yr per technology; ``inf`` where nothing limits a technology (or, for heat
        pumps' ambient heat, where it is not estimated).
    """
    from energy_model.components.build_rates import deliveries, plan_window
    from energy_model.components.electricity import efw_contract_share

    target = scenario.targets.renewable_generation
    counts = target.counts if target else []
    tech = scenario.technologies
    window = plan_window(scenario)
    limits = deliveries(scenario) if window else {}
    existing: dict[str, float] = {}
    most: dict[str, float] = {}
    for name in counts:
        spec = getattr(tech, name)
        if spec is None:
            continue
        if name in VRE:
            full_load_hours = float(np.dot(inputs.capacity_factor[name], inputs.step_weight_h))
        elif name == "geothermal":
            full_load_hours = HOURS_PER_YEAR
        elif name == "energy_from_waste":  # its biogenic share of what it can generate
            running = float(np.dot(efw_contract_share(scenario, inputs), inputs.step_weight_h))
            existing[name] = most[name] = (spec.biogenic_fraction * spec.availability_fraction
                                           * spec.capacity_mw * running)
            continue
        else:  # heat pumps' ambient heat: not estimated here
            existing[name], most[name] = 0.0, np.inf
            continue
        existing[name] = spec.existing_capacity_mw * full_load_hours
        cap = np.inf if spec.potential_mw is None else spec.potential_mw
        added = limits[name].most(*window) if name in limits else None
        if added is not None:
            cap = min(cap, spec.existing_capacity_mw + added)
        most[name] = cap * full_load_hours
    return existing, most


def check_renewable_target(scenario: Scenario, inputs: ModelInputs) -> list[Finding]:
    """The target against the most the potentials and build rates can generate, and
    against existing assets."""
    target = scenario.targets.renewable_generation
    if target is None:
        return []
    goal = target.target_mwh_per_year
    existing, most = renewable_generation_bounds(scenario, inputs)
    findings = []
    reachable = sum(most.values())
    if reachable < goal:
        parts = ", ".join(f"{k} {v:,.0f}" for k, v in most.items()) or "nothing is counted"
        rated = [k for k in most if _rate_limits(scenario, k)]
        because = (f"potentials and build rates ({', '.join(rated)} limited by "
                   "build_rate_* x the plan's years)" if rated else "potentials")
        findings.append(Finding("error", (
            f"targets.renewable_generation: the target of {goal:,.0f} MWh/yr is above the most "
            f"the scenario's {because} allow with its weather, {reachable:,.0f} MWh/yr "
            f"({parts}); raise potential_mw or the build rates, or lower the target")))
    already = sum(existing.values())
    if already >= goal:
        findings.append(Finding("warning", (
            f"targets.renewable_generation: existing assets already generate {already:,.0f} "
            f"MWh/yr, at least the target of {goal:,.0f} MWh/yr; the target does not bind")))
    demand = sum(float(np.dot(v, inputs.step_weight_h))
                 for v in inputs.electricity_demand_mw.values())
    if target.baseline_mwh_per_year is not None and demand > 0 and goal < 1e-3 * demand:
        findings.append(Finding("warning", (
            f"targets.renewable_generation: a baseline of {target.baseline_mwh_per_year:,.0f} "
            f"MWh/yr is tiny against the city's electricity demand of {demand:,.0f} MWh/yr; "
            "was baseline_gwh_per_year meant?")))
    return findings


def _rate_limits(scenario: Scenario, name: str) -> bool:
    """Whether a build rate, not the potential, caps what ``name`` can reach."""
    from energy_model.components.build_rates import deliveries, plan_window

    window = plan_window(scenario)
    d = deliveries(scenario).get(name) if window else None
    added = d.most(*window) if d else None
    spec = getattr(scenario.technologies, name)
    room = None if spec.potential_mw is None else spec.potential_mw - spec.existing_capacity_mw
    return added is not None and (room is None or added < room)


def check_private_homes(scenario: Scenario) -> list[Finding]:
    """The private homes improved target against the most the roll-outs' rates allow."""
    from energy_model.components.build_rates import ROLLOUTS, deliveries, plan_window

    goal = scenario.targets.fuel_poverty
    window = plan_window(scenario)
    if goal is None or goal.min_private_homes_improved is None or window is None:
        return []
    limits = deliveries(scenario)
    zones = scenario.zones.values()
    private = max((1 - z.social_housing_share for z in zones), default=0.0)
    most, parts = 0.0, []
    for name, (var, existing) in ROLLOUTS.items():
        if getattr(scenario.technologies, name) is None:
            continue
        top = f"max_{var}"
        room = sum((getattr(z, top) - (getattr(z, existing) if existing else 0.0))
                   * z.households * (1 - z.social_housing_share) for z in zones)
        added = limits[name].most(*window) if name in limits else None
        homes = room if added is None else min(room, added * private)
        most += homes
        parts.append(f"{name} {homes:,.0f}")
    if most + 1e-6 >= goal.min_private_homes_improved:
        return []
    return [Finding("error", (
        f"targets.fuel_poverty.min_private_homes_improved: {goal.min_private_homes_improved:,} "
        f"homes is more than the {most:,.0f} private homes the roll-outs can reach by "
        f"{window[1]} within their shares and build rates ({', '.join(parts)}); raise "
        "build_rate_homes_per_year or lower the target"))]


def check_peak_import(scenario: Scenario, inputs: ModelInputs) -> list[Finding]:
    """Peak electricity demand (buildings, existing heat pumps and the server centre's
    load that cannot move) against the import limit plus firm generation."""
    limit = scenario.grid.import_limit_mw
    if limit is None:
        return []
    demand = sum(inputs.electricity_demand_mw.values())
    dc = scenario.data_centre
    if dc is not None and inputs.data_centre_mw is not None:
        # the server centre's load, less the share it may move to other hours of the day
        demand = demand + (1 - dc.flexible_share) * np.asarray(inputs.data_centre_mw)
    if "individual_heat_pump" in inputs.cop:
        for z, heat in inputs.heat_demand_mw.items():
            share = scenario.zones[z].existing_heat_pump_share
            demand = demand + share * heat / inputs.cop["individual_heat_pump"]
    peak = float(np.max(demand)) if np.size(demand) else 0.0
    efw = scenario.technologies.energy_from_waste
    firm = efw.availability_fraction * efw.capacity_mw if efw else 0.0
    if peak <= limit + firm:
        return []
    tech = scenario.technologies
    flexible = [n for n in ("battery", *VRE) if getattr(tech, n) is not None]
    level = "warning" if flexible else "error"
    return [Finding(level, (
        f"grid.import_limit_mw: peak electricity demand of {peak:,.1f} MW is above the import "
        f"limit of {limit:,.1f} MW plus firm generation of {firm:,.1f} MW"
        + (f"; {', '.join(flexible)} must cover the gap in every such step"
           if flexible else "; raise the limit")))]


def check_fuel_poverty(scenario: Scenario, inputs: ModelInputs) -> list[Finding]:
    """Fuel-poverty targets against the households that exist and the interventions allowed."""
    from energy_model.components.fuel_poverty import max_households_lifted

    target = scenario.targets.fuel_poverty
    if target is None or scenario.fuel_poverty is None:
        return []
    fuel_poor, households = scenario.fuel_poor_households, scenario.households
    most = min(max_households_lifted(scenario, inputs), _most_lifted_at_rates(scenario, inputs))
    findings = []
    wanted = target.min_households_lifted
    if wanted is not None and wanted > fuel_poor:
        findings.append(Finding("error", (
            f"targets.fuel_poverty.min_households_lifted: {wanted:,} households is more than the "
            f"{fuel_poor:,} fuel-poor households in the scenario's zones")))
    elif wanted is not None and wanted > most + 1e-6:
        findings.append(Finding("error", (
            f"targets.fuel_poverty.min_households_lifted: {wanted:,} households is more than "
            f"the {most:,.0f} the scenario's interventions can lift within their limits "
            "(max_retrofit_share, max_heat_network_share, max_heat_pump_share, "
            "build_rate_homes_per_year, targeting_rate, lift_share; an intervention that raises "
            "bills lifts nobody)")))
    rate = target.max_fuel_poverty_rate
    if rate is not None and households and (fuel_poor - most) / households > rate + 1e-9:
        findings.append(Finding("error", (
            f"targets.fuel_poverty.max_fuel_poverty_rate: {rate:.1%} cannot be reached; the "
            f"interventions lift at most {most:,.0f} of {fuel_poor:,} fuel-poor households, "
            f"leaving {(fuel_poor - most) / households:.1%}")))
    return findings


def _most_lifted_at_rates(scenario: Scenario, inputs: ModelInputs) -> float:
    """An upper bound on households lifted by the plan year within the build rates: each
    rate-limited intervention treats at most rate x years homes, each reaching at most the
    best zone's fuel-poor homes per home and lifting at most its best lift share."""
    from energy_model.components.build_rates import deliveries, plan_window
    from energy_model.components.fuel_poverty import effective_lift_shares, reach_per_home

    window = plan_window(scenario)
    if window is None:
        return np.inf
    limits = deliveries(scenario)
    lift = effective_lift_shares(scenario, inputs)
    reach = max((reach_per_home(scenario, z) for z in scenario.zones), default=0.0)
    total = 0.0
    for name in registry.technologies(level="zone"):
        intervention = registry.REGISTRY[name].intervention
        if not intervention or scenario.technologies.section(name) is None:
            continue
        homes = limits[name].most(*window) if name in limits else None
        if homes is None:
            return np.inf
        best = max((shares.get(intervention, 0.0) for shares in lift.values()), default=0.0)
        total += homes * reach * best
    return total


def check_plan(scenario: Scenario, inputs: ModelInputs) -> list[Finding]:
    """Run every check before the solve.

    Returns
    -------
    list of Finding
        Errors (the plan cannot work) and warnings (it may not mean what was intended).
    """
    return (check_renewable_target(scenario, inputs) + check_peak_import(scenario, inputs)
            + check_fuel_poverty(scenario, inputs) + check_private_homes(scenario))
