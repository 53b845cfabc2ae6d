"""Questions answered by solving a scenario several times: the cost of lifting households
out of fuel poverty, variants side by side, and what a design costs in another year."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import pyomo.environ as pyo

from energy_model.built import THRESHOLDS_TEXT
from energy_model.components import PENALTY_GBP_PER_UNIT
from energy_model.inputs import ModelInputs, prepare_inputs
from energy_model.scenario import Scenario
from energy_model.solve import WarmStart, fixed_design, solve_model


def solve_scenario(scenario: Scenario, inputs: ModelInputs | None = None):
    """Profiles, build, solve and results for one scenario (:func:`energy_model.pipeline.
    run_scenario` without the checks or a folder); returns the results Dataset."""
    from energy_model.pipeline import run_scenario

    return run_scenario(scenario, inputs=inputs, check=False).dataset


def operate_design(m: pyo.ConcreteModel, design: dict[tuple[str, object], float],
                   warm_start: WarmStart | None = None) -> tuple[float, float]:
    """Solve ``m`` with its design held at ``design`` (:func:`fixed_design`).

    Parameters
    ----------
    m : pyomo.environ.ConcreteModel
        Built with ``elastic=True``, so that what the design cannot serve is counted
        rather than infeasible.
    design : dict
        From :func:`design_of`.
    warm_start : WarmStart, optional
        Passed to :func:`energy_model.solve.solve_model` (designs operated one after
        another in LPs of the same shape).

    Returns
    -------
    cost_gbp_per_year : float
        Annual cost less the penalties: the energy left unmet costs nothing here, so this
        is a lower bound on running the design.
    unmet : float
        The penalised slack, summed (MWh/yr of heat and electricity, units of targets).
    """
    with fixed_design(m, design):
        cost = solve_model(m, explain=False, warm_start=warm_start).objective_gbp_per_year
    penalty = unmet_penalty_gbp_per_year(m)
    return cost - penalty, penalty / PENALTY_GBP_PER_UNIT


def unmet_penalty_gbp_per_year(m: pyo.ConcreteModel) -> float:
    """The penalties of a solved elastic model: what it left unmet, priced [GBP/yr]."""
    return sum(pyo.value(term) for name, term in m.cost_terms.items()
               if name.endswith("_penalty"))


def cost_of_lifting(scenario: Scenario, households: Sequence[int],
                    progress: Callable[[str], None] | None = None) -> pd.DataFrame:
    """Annual cost of lifting each number of households out of fuel poverty.

    The scenario is solved without a households-lifted target, then with each number as
    its target; the cost of lifting is the difference in annual cost.

    Parameters
    ----------
    scenario : Scenario
        Needs a ``fuel_poverty`` section.
    households : sequence of int
        Targets to price, e.g. ``[1000, 5000, 10000]``.
    progress : callable, optional
        Called with a line of text before each solve.

    Returns
    -------
    pandas.DataFrame
        One row per target: households lifted (and those the cheapest plan lifts without
        the target), total and extra annual cost [GBP/yr], extra cost per household lifted
        beyond those [GBP/yr] and the cost of the last household (the target's shadow
        price) [GBP/yr].
    """
    base_targets = scenario.targets.fuel_poverty
    base_values = base_targets.model_dump() if base_targets else {}
    inputs = prepare_inputs(scenario)
    rows = []
    base_cost = base_lifted = None
    targets = (0, *households)
    for i, target in enumerate(targets, start=1):
        if progress is not None:
            progress(f"Solve {i} of {len(targets)}: "
                     + (f"at least {target:,} households lifted" if target
                        else "no households target (the cheapest plan)"))
        s = scenario.with_updates({"targets.fuel_poverty": {**base_values,
                                                            "min_households_lifted": target}})
        ds = solve_scenario(s, inputs)
        cost = ds.attrs["total_cost_gbp_per_year"]
        lifted = ds.attrs["households_lifted_out_of_fuel_poverty"]
        if target == 0:
            base_cost, base_lifted = cost, lifted
            continue
        extra = cost - base_cost
        more = lifted - base_lifted
        rows.append({
            "target_households": target,
            "households_lifted": lifted,
            "lifted_without_the_target": base_lifted,
            "total_cost_gbp_per_year": cost,
            "extra_cost_gbp_per_year": extra,
            # the households the cheapest plan lifts anyway cost nothing extra
            "extra_cost_per_extra_household_gbp_per_year": extra / more if more > 0.5
            else 0.0,
            "last_household_cost_gbp_per_year":
                ds.attrs.get("fuel_poverty_target_shadow_price_gbp_per_household", 0.0),
            "retrofit_homes": float((ds["retrofit_share"] * _households(scenario)).sum()),
        })
    return pd.DataFrame(rows)


def _households(scenario: Scenario):
    import xarray as xr

    return xr.DataArray([z.households for z in scenario.zones.values()],
                        coords={"zone": list(scenario.zones)}, dims="zone")


HEADLINES = (
    ("total_cost_gbp_per_year", "annual cost [GBP m/yr]", 1e-6),
    ("capex_gbp", "new builds [GBP m]", 1e-6),
    ("renewable_generation_counted_mwh_per_year", "renewable generation counted [GWh/yr]", 1e-3),
    ("renewable_share_of_electricity", "renewable share of electricity [%]", 100),
    ("electricity_demand_mwh_per_year", "electricity demand [GWh/yr]", 1e-3),
    ("grid_import_mwh_per_year", "grid import [GWh/yr]", 1e-3),
    ("peak_grid_import_mw", "peak grid import [MW]", 1),
    ("co2_t_per_year", "CO2 [kt/yr]", 1e-3),
    ("households_lifted_out_of_fuel_poverty", "households lifted out of fuel poverty", 1),
    ("data_centre_electricity_mwh_per_year", "server centre electricity [GWh/yr]", 1e-3),
    ("renewable_share_of_electricity_excluding_data_centre",
     "renewable share of electricity without the server centre [%]", 100),
    ("waste_heat_recovered_mwh_per_year", "waste heat recovered [GWh/yr]", 1e-3),
    ("waste_heat_share_of_network_heat", "waste heat share of network heat [%]", 100),
    ("waste_heat_cost_gbp_per_mwh", "cost of recovered heat [GBP/MWh]", 1),
    ("gas_boiler_heat_cost_gbp_per_mwh", "gas boiler heat fuel cost [GBP/MWh]", 1),
)


def compare(datasets: dict[str, object]) -> pd.DataFrame:
    """Headline figures and capacities of solved variants, side by side.

    Parameters
    ----------
    datasets : dict of str to xarray.Dataset
        Results by variant name.

    Returns
    -------
    pandas.DataFrame
        Rows: figures (with units in their labels); columns: variants. Figures below
        the build thresholds (:mod:`energy_model.built`) are 0; ``attrs["notes"]`` holds
        the warnings to print with it (coarse steps understate storage).
    """
    from energy_model import technologies as registry
    from energy_model.built import as_built
    from energy_model.report_charts import COARSE_STEP_H

    table, notes = {}, []
    for name, ds in datasets.items():
        ds = as_built(ds)
        step_h = float(ds.attrs.get("step_hours", 1.0))
        if step_h > COARSE_STEP_H:
            storage = ", ".join(f"{k} {float(ds['capacity'].sel(technology=k)):,.0f}"
                                for k in registry.technologies(level="city", storage=True)
                                if k in ds["technology"])
            notes.append(f"{name} ran at {step_h:g}-hour steps: the swings within a day "
                         f"that batteries and stores earn from are averaged out, so storage "
                         f"({storage or 'none'}) and peak import are understated; rerun at "
                         "1 h or 3 h before quoting them.")
        column = {label: ds.attrs[key] * scale for key, label, scale in HEADLINES
                  if key in ds.attrs}
        for extra in sorted(k for k in ds.attrs if k.startswith("compare:")):
            column[extra.removeprefix("compare:")] = ds.attrs[extra]
        for k in ds["technology"].to_numpy():
            unit = str(ds["capacity_unit"].sel(technology=k).item())
            column[f"capacity {k} [{unit}]"] = float(ds["capacity"].sel(technology=k))
        table[name] = column
    out = pd.DataFrame(table)
    out.attrs["notes"] = notes + [
        "A figure a variant does not model is shown as '-'. " + THRESHOLDS_TEXT]
    return out
