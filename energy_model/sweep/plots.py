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


def _plot_parameter(ds: xr.Dataset, path: str, params: list[str], out: Path) -> Path:
    import matplotlib.pyplot as plt

    x, labels = _positions(ds[path].to_numpy())
    solved = ds["status"].to_numpy() == STATUS_OK
    others = [p for p in params if p != path]
    grouped = ds.attrs.get("sweep_kind") == "grid" and len(others) == 1
    fig, axes = plt.subplots(len(FIGURES), 1, figsize=(7, 8.5), sharex=True)
    for ax, (name, label, scale) in zip(axes, FIGURES, strict=True):
        if name not in ds:
            ax.text(0.5, 0.5, "no case solved", transform=ax.transAxes, ha="center")
            ax.set_ylabel(label)
            continue
        y = ds[name].to_numpy() * scale
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
        if name == "renewable_generation_counted_mwh_per_year" \
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
    fig.suptitle(f"Sweep {ds.attrs['sweep_name']}: cost, renewables and imports\n"
                 f"against {path}", fontsize="medium")
    fig.tight_layout()
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
    fig, axes = plt.subplots(1, len(FIGURES), figsize=(5.2 * len(FIGURES), 4.6))
    for ax, (name, label, scale) in zip(axes, FIGURES, strict=True):
        values = (grid[name].where(solved) * scale).to_numpy() if name in grid \
            else np.full(solved.shape, np.nan)
        masked = np.ma.masked_invalid(values)
        cmap = plt.get_cmap("viridis").with_extremes(bad="lightgrey")
        image = ax.imshow(masked, origin="lower", aspect="auto", cmap=cmap)
        middle = np.nanmean(values) if np.isfinite(values).any() else 0.0
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
        ax.set_title(label)
        fig.colorbar(image, ax=ax, label=label)
    fig.suptitle(f"Sweep {ds.attrs['sweep_name']}: each figure over both parameters")
    fig.tight_layout()
    path_png = out / "heatmap.png"
    fig.savefig(path_png, dpi=110)
    plt.close(fig)
    return path_png


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
