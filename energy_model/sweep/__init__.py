"""Sweeps: many variants of a scenario solved at once, locally or on a Dask cluster.

A sweep file names a base scenario and the parameters to vary (a grid, a list of cases
or a seeded Latin hypercube sample), by the key paths of scenario files::

    base: stoke-2030
    fixed: {time.horizon_hours: 168, time.resolution_h: 3}
    grid:
      technologies.battery.energy_capex_gbp_per_kwh: [80, 160, 240]
      fixed_capacity.battery_energy: [0, 20]

:func:`run_sweep` checks every case, solves them on Dask workers, writes each case as it
finishes, and combines the key results into one ``xarray.Dataset`` with charts and a
table of the cheapest cases that meet every target.
"""

from energy_model.sweep.cli import add_sweep_parser, cmd_sweep
from energy_model.sweep.combine import (
    cheapest_cases,
    combine_cases,
    format_cheapest,
    sweep_table,
    unstack_grid,
)
from energy_model.sweep.plots import plot_sweep
from energy_model.sweep.run import ProgressLine, dask_client, read_case_record, run_sweep
from energy_model.sweep.spec import Case, Sweep, SweepError, SweepSpec, load_sweep

__all__ = [
    "Case",
    "ProgressLine",
    "Sweep",
    "SweepError",
    "SweepSpec",
    "add_sweep_parser",
    "cheapest_cases",
    "cmd_sweep",
    "combine_cases",
    "dask_client",
    "format_cheapest",
    "load_sweep",
    "plot_sweep",
    "read_case_record",
    "run_sweep",
    "sweep_table",
    "unstack_grid",
]
