"""Build the planning LP: a table of contents of the model's constraint families."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

import pyomo.environ as pyo

from energy_model.components.balances import add_balances
from energy_model.components.build_rates import add_build_rates
from energy_model.components.capacity import add_capacities
from energy_model.components.data_centre import (
    add_data_centre_load,
    add_low_temperature_sources,
)
from energy_model.components.electricity import (
    add_electricity_demand,
    add_energy_from_waste,
    add_grid,
    add_renewables,
)
from energy_model.components.fuel_poverty import add_fuel_poverty, add_retrofit
from energy_model.components.heat import add_central_heat, add_heating_shares
from energy_model.components.heat_network import add_network_demand, add_pipes, network_layout
from energy_model.components.objective import add_gas, add_objective
from energy_model.components.storage import add_battery, add_thermal_store
from energy_model.components.targets import add_capex_budget, add_co2_cap, add_renewable_target
from energy_model.components.terms import Terms
from energy_model.inputs import ModelInputs
from energy_model.scenario import Scenario
from energy_model.technologies import extension_components

# Components: each declares its flows, costs, targets and outputs in ``m.terms``.
STEPS = (
    add_capacities,
    add_renewables,
    add_energy_from_waste,
    add_grid,
    add_battery,
    add_data_centre_load,
    add_electricity_demand,
    add_heating_shares,
    add_retrofit,
    add_fuel_poverty,
    add_build_rates,
    add_central_heat,
    add_low_temperature_sources,
    add_thermal_store,
    add_pipes,
    add_network_demand,
)
# Built once every component has declared: the balances from the declared flows, then
# the measures and caps that read them, then the objective from the declared costs.
CLOSING = (
    add_balances,
    add_gas,
    add_renewable_target,
    add_co2_cap,
    add_capex_budget,
    add_objective,
)


def build_model(scenario: Scenario, inputs: ModelInputs,
                elastic: bool = False) -> pyo.ConcreteModel:
    """Build the linear program for one scenario.

    Parameters
    ----------
    scenario : Scenario
        The validated scenario.
    inputs : ModelInputs
        Time series at the model's resolution (:func:`energy_model.inputs.prepare_inputs`).
    elastic : bool
        Let the balances and targets be missed at a penalty
        (:data:`energy_model.components.PENALTY_GBP_PER_UNIT` per MWh unserved, MWh of
        target missed, t of CO2 or GBP over budget), so that an infeasible plan solves and
        shows the size of the problem.

    Returns
    -------
    pyomo.environ.ConcreteModel
        With typed handles to its variables (``m.capacity``, ``m.generation``, ...) and
        the objective ``m.total_cost`` in GBP per year.
    """
    m = pyo.ConcreteModel(name=scenario.name)
    with paused_gc():
        populate_model(m, scenario, inputs, elastic)
    return m


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while Pyomo creates many objects.

    Pyomo's components form reference cycles, so every few hundred new objects the
    collector walks them all again. At 8,760 hourly steps the Stoke default built in
    2.0 s instead of 4.4 s with it paused. Nothing built here is garbage; the collector
    is switched back on (if it was on) afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def populate_model(m: pyo.Block, scenario: Scenario, inputs: ModelInputs,
                   elastic: bool = False) -> pyo.Block:
    """Add one scenario's whole model to a Pyomo block (a model or a sub-block).

    A pathway builds one block per investment period this way and links them; see
    :func:`build_model` for the parameters. The block's objective ``total_cost`` is
    added last and may be deactivated by whoever combines blocks, using the block's
    declared costs (``m.terms``) instead.
    """
    m.T = pyo.Set(initialize=range(inputs.n_steps), ordered=True)
    m.step_hours = inputs.step_hours
    m.time_labels = [ts.strftime("%Y-%m-%d %H:%M UTC") for ts in inputs.time]
    m.elastic = elastic
    m.terms = Terms(scenario.finance.discount_rate, elastic)
    m.layout = network_layout(scenario)
    for step in (*STEPS, *extension_components(), *CLOSING):
        step(m, scenario, inputs)
    return m
