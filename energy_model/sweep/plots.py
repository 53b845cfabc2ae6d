"""Charts of a sweep: total cost, renewable generation and grid imports per parameter.

One PNG per swept parameter (``by_<path>.png``), with three panels sharing the
parameter's axis; for a grid of exactly two parameters also a heat map of each figure
(``heatmap.png``). Cases that were not solved are marked along the bottom of each panel.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import xarray as xr

from energy_model import technologies as registry
from energy_model.sweep.case import STATUS_OK
from energy_model.sweep.combine import parameters_of
from energy_model.sweep.spec import _UNIT, parameter_label, parameter_unit  # noqa: F401

# (variable, label with unit, scale from the variable's unit to the label's)
FIGURES = (
    ("total_cost_gbp_per_year", "total cost [GBP m/yr]", 1e-6),
    ("renewable_generation_counted_mwh_per_year", "renewable generation counted [GWh/yr]",
     1e-3),
    ("grid_import_mwh_per_year", "grid import [GWh/yr]", 1e-3),
)
def _positions(values: np.ndarray) -> tuple[np.ndarray, list[str] | None]:
    """Numbers as they are; anything else as categories 0, 1, ... with their labels."""
    if np.issubdtype(values.dtype, np.number):
        return values.astype(float), None
    labels = list(dict.fromkeys(str(v) for v in values))
    return np.array([labels.index(str(v)) for v in values], dtype=float), labels


def changing_capacities(ds: xr.Dataset) -> list[tuple[str, str]]:
    """(technology, unit) of every capacity that differs between solved cases by at least
    the build threshold (0.1 MW or MWh), storage first."""
    from energy_model.built import BUILT_MW

    if "capacity" not in ds:
        return []
    solved = ds["status"].to_numpy() == STATUS_OK
    out = []
    for t, unit in zip(ds["technology"].to_numpy(), ds["capacity_unit"].to_numpy(),
                       strict=True):
        values = ds["capacity"].sel(technology=t).to_numpy()[solved]
        if len(values) and np.nanmax(values) - np.nanmin(values) >= BUILT_MW:
            out.append((str(t), str(unit)))
    storage = registry.technologies(level="city", storage=True)
    return sorted(out, key=lambda tu: (tu[0] not in storage, tu[1] != "MWh"))


def panels(ds: xr.Dataset) -> list[tuple[str, str, float, str | None]]:
    """What each chart shows: (variable, label, scale, technology or None), the headline
    figures first, then each capacity that changes."""
    from energy_model.report_charts import label

    out: list[tuple[str, str, float, str | None]] = [(n, lab, sc, None)
                                                      for n, lab, sc in FIGURES]
    out += [("capacity", f"{label(t)} [{unit}]", 1.0, t) for t, unit in changing_capacities(ds)]
    return out


def _panel_values(ds: xr.Dataset, name: str, scale: float, tech: str | None) -> np.ndarray:
    da = ds[name] if tech is None else ds[name].sel(technology=tech)
    return da.to_numpy() * scale


def _note(fig, ds: xr.Dataset) -> None:
    """The sweep's warnings under its chart."""
    import textwrap

    from energy_model.sweep.combine import sweep_warnings

    lines = [textwrap.fill("Note: " + w, 120) for w in sweep_warnings(ds)]
    if lines:
        fig.text(0.01, 0.005, "\n".join(lines), fontsize="x-small", va="bottom", ha="left",
                 color="#8a4b00")
    return len("\n".join(lines).splitlines())


def _plot_parameter(ds: xr.Dataset, path: str, params: list[str], out: Path) -> Path:
    import matplotlib.pyplot as plt

    x, labels = _positions(ds[path].to_numpy())
    solved = ds["status"].to_numpy() == STATUS_OK
    others = [p for p in params if p != path]
    grouped = ds.attrs.get("sweep_kind") == "grid" and len(others) == 1
    shown = panels(ds)
    fig, axes = plt.subplots(len(shown), 1, figsize=(7, 2.4 * len(shown) + 1.4), sharex=True)
    axes = np.atleast_1d(axes)
    for ax, (name, label, scale, tech) in zip(axes, shown, strict=True):
        if name not in ds:
            ax.text(0.5, 0.5, "no case solved", transform=ax.transAxes, ha="center")
            ax.set_ylabel(label)
            continue
        y = _panel_values(ds, name, scale, tech)
        if grouped:
            other = ds[others[0]].to_numpy()
            for value in dict.fromkeys(other.tolist()):
                sel = solved & (other == value)
                order = np.argsort(x[sel])
                ax.plot(x[sel][order], y[sel][order], marker="o",
                        label=f"{parameter_label(others[0])} = {value:g}"
                        if isinstance(value, float) else f"{others[0]} = {value}")
        else:
            ax.plot(x[solved], y[solved], "o", label="solved cases")
        full_year = "year_weight" not in ds or bool(
            np.all(np.abs(ds["year_weight"].to_numpy()[solved] - 1.0) < 1e-6))
        if name == "renewable_generation_counted_mwh_per_year" and full_year \
                and "base_renewable_target_mwh_per_year" in ds.attrs:
            ax.axhline(ds.attrs["base_renewable_target_mwh_per_year"] * scale, color="k",
                       ls="--", lw=1, label="renewable target of the base scenario")
        if (~solved).any():
            ax.plot(x[~solved], np.full((~solved).sum(), 0.03), "x", color="tab:red",
                    transform=ax.get_xaxis_transform(), label="infeasible or failed")
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
    for ax in axes[:2]:
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize="small")
    axes[-1].set_xlabel(parameter_label(path))
    if labels is not None:
        axes[-1].set_xticks(range(len(labels)), labels, rotation=30, ha="right")
    fig.suptitle(f"Sweep {ds.attrs['sweep_name']}: cost, renewables, imports and what is "
                 f"built\nagainst {parameter_label(path)}", fontsize="medium")
    lines = _note(fig, ds)
    fig.tight_layout(rect=(0, min(0.02 * lines, 0.3), 1, 1))
    path_png = out / f"by_{re.sub(r'[^A-Za-z0-9._-]', '_', path)}.png"
    fig.savefig(path_png, dpi=110)
    plt.close(fig)
    return path_png


def _plot_heatmap(ds: xr.Dataset, params: list[str], out: Path) -> Path:
    import matplotlib.pyplot as plt

    from energy_model.sweep.combine import unstack_grid

    x_path, y_path = params
    grid = unstack_grid(ds).transpose(y_path, x_path, ...)
    solved = grid["status"] == STATUS_OK
    shown = panels(ds)
    cols = min(len(shown), 3)
    rows = -(-len(shown) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(5.2 * cols, 4.4 * rows + 0.8),
                             squeeze=False)
    for ax in axes.flat[len(shown):]:
        ax.set_visible(False)
    for ax, (name, label, scale, tech) in zip(axes.flat, shown, strict=False):
        if name in grid:
            da = grid[name] if tech is None else grid[name].sel(technology=tech)
            values = (da.where(solved) * scale).transpose(y_path, x_path).to_numpy()
        else:
            values = np.full(solved.shape, np.nan)
        masked = np.ma.masked_invalid(values)
        cmap = plt.get_cmap("viridis").with_extremes(bad="lightgrey")
        low, high = colour_range(values)
        image = ax.imshow(masked, origin="lower", aspect="auto", cmap=cmap, vmin=low,
                          vmax=high)
        middle = (low + high) / 2
        for (i, j), v in np.ndenumerate(values):
            ax.text(j, i, "not solved" if np.isnan(v) else f"{v:,.1f}", ha="center",
                    va="center", fontsize="x-small",
                    color="w" if not np.isnan(v) and v < middle else "k")
        ax.set_xticks(range(grid.sizes[x_path]), [f"{v:g}" if isinstance(v, float) else str(v)
                                                  for v in grid[x_path].to_numpy().tolist()])
        ax.set_yticks(range(grid.sizes[y_path]), [f"{v:g}" if isinstance(v, float) else str(v)
                                                  for v in grid[y_path].to_numpy().tolist()])
        ax.set_xlabel(parameter_label(x_path))
        ax.set_ylabel(parameter_label(y_path))
        finite = values[np.isfinite(values)]
        spread = (f"cases span {finite.min():,.1f} to {finite.max():,.1f}" if finite.size
                  else "no case solved")
        ax.set_title(f"{label}\n{spread}", fontsize="small")
        fig.colorbar(image, ax=ax, label=label)
    fig.suptitle(f"Sweep {ds.attrs['sweep_name']}: each figure over both parameters")
    lines = _note(fig, ds)
    fig.tight_layout(rect=(0, min(0.02 * lines, 0.3), 1, 1))
    path_png = out / "heatmap.png"
    fig.savefig(path_png, dpi=110)
    plt.close(fig)
    return path_png


def colour_range(values: np.ndarray, least_fraction: float = 0.05) -> tuple[float, float]:
    """Colour-scale limits fitted to the data, but never narrower than ``least_fraction``
    of its mean, so that a spread of 1 % is not painted as large as one of 100 %."""
    finite = values[np.isfinite(values)]
    if not finite.size:
        return 0.0, 1.0
    low, high = float(finite.min()), float(finite.max())
    least = least_fraction * max(abs(float(finite.mean())), 1e-9)
    if high - low < least:
        centre = (high + low) / 2
        low, high = centre - least / 2, centre + least / 2
    return low, high


def plot_sweep(ds: xr.Dataset, out_dir: str | Path) -> list[Path]:
    """Draw the sweep's charts into ``out_dir``; return the PNG files written.

    Parameters
    ----------
    ds : xarray.Dataset
        From :func:`energy_model.sweep.combine_cases`.
    out_dir : str or Path
    """
    import matplotlib

    matplotlib.use("Agg")
    out = Path(out_dir)
    params = parameters_of(ds)
    written = [_plot_parameter(ds, p, params, out) for p in params]
    if ds.attrs.get("sweep_kind") == "grid" and len(params) == 2:
        written.append(_plot_heatmap(ds, params, out))
    return written
