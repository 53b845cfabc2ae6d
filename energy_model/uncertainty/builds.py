"""What a plan builds, named one way for samples, summaries and near-optimal ranges.

A build is a city-level technology's new capacity (MW, or MWh for stores), a candidate
pipe's new capacity (``pipe:<id>``, MW) or the homes newly given a heat pump, connected
to the heat network or retrofitted (``individual_heat_pump_homes``,
``heat_network_homes``, ``retrofit_homes``). :func:`plan_builds` reads them from a
solved plan's results; :func:`build_expressions` gives the same quantities as
expressions of the model, for optimising over them.
"""

from __future__ import annotations

from typing import Any

import pyomo.environ as pyo
import xarray as xr

from energy_model import technologies as registry
from energy_model.scenario import Scenario

HOMES = "homes"
# name of the build, the zone's share variable, the zone's existing share (or None)
HOME_BUILDS = tuple((f"{t.name}_homes", t.share, t.existing_share_key or None)
                    for t in registry.REGISTRY.values() if t.share)


def candidate_pipes(scenario: Scenario) -> list[str]:
    """The pipes the plan may build or enlarge."""
    graph = scenario.heat_network_graph()
    if graph is None:
        return []
    return [p for p, pipe in graph.pipes.items() if pipe.candidate]


def _existing_share(scenario: Scenario, zone: str, key: str | None) -> float:
    return 0.0 if key is None else getattr(scenario.zones[zone], key)


def plan_builds(ds: xr.Dataset, scenario: Scenario) -> dict[str, tuple[float, str]]:
    """What a solved plan builds: name to (amount, unit).

    Parameters
    ----------
    ds : xarray.Dataset
        The plan's results (:func:`energy_model.results.results_dataset`).
    scenario : Scenario
        The scenario that was solved (for households and candidate pipes).
    """
    out: dict[str, tuple[float, str]] = {}
    for k, unit in zip(ds["technology"].to_numpy(), ds["capacity_unit"].to_numpy(),
                       strict=True):
        out[str(k)] = (float(ds["new_capacity"].sel(technology=k)), str(unit))
    if "pipe" in ds.coords:
        for p in candidate_pipes(scenario):
            out[f"pipe:{p}"] = (float(ds["pipe_new_capacity_mw"].sel(pipe=p)), "MW")
    for name, share, existing in HOME_BUILDS:
        if share not in ds:
            continue
        homes = sum(scenario.zones[str(z)].households
                    * (float(ds[share].sel(zone=z)) - _existing_share(scenario, str(z), existing))
                    for z in ds["zone"].to_numpy())
        out[name] = (max(homes, 0.0), HOMES)
    return out


def build_expressions(m: pyo.ConcreteModel, scenario: Scenario
                      ) -> dict[str, tuple[Any, str]]:
    """The builds of :func:`plan_builds` as linear expressions of the model ``m``.

    Only builds the plan is free to choose: a technology with no room to grow, a fixed
    capacity or a zone share with nothing to add is left out.
    """
    out: dict[str, tuple[Any, str]] = {}
    for k in m.K:
        var = m.new_capacity[k]
        if not var.fixed and (var.ub is None or var.ub > 0):
            out[k] = (var, m.assets[k].unit)
    if len(m.P):
        for p in candidate_pipes(scenario):
            if (m.pipe_new_capacity[p].ub or 0.0) > 0:
                out[f"pipe:{p}"] = (m.pipe_new_capacity[p], "MW")
    for name, share, existing in HOME_BUILDS:
        var = getattr(m, share, None)
        if var is None:
            continue
        free = [z for z in m.Z if not var[z].fixed and (var[z].ub or 0.0)
                > (var[z].lb or 0.0) + 1e-12]
        if free:
            out[name] = (sum(scenario.zones[z].households
                             * (var[z] - _existing_share(scenario, z, existing))
                             for z in free), HOMES)
    return out
