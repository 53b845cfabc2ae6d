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

from weather.lazy import lazy_exports

# Public names and their modules, imported on first use (PEP 562): the CLI reads the
# sweep's parser without loading Dask, xarray or Pyomo.
_LAZY = {
    **dict.fromkeys(("add_sweep_parser", "cmd_sweep"), "cli"),
    **dict.fromkeys(("cheapest_cases", "combine_cases", "format_cheapest", "sweep_table",
                     "unstack_grid"), "combine"),
    "plot_sweep": "plots",
    **dict.fromkeys(("ProgressLine", "dask_client", "read_case_record", "run_sweep"), "run"),
    **dict.fromkeys(("Case", "Sweep", "SweepError", "SweepSpec", "load_sweep"), "spec"),
}

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


__getattr__, __dir__ = lazy_exports(__name__, _LAZY)
