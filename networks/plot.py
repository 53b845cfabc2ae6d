"""Map of a heat network: nodes by kind, pipes by capacity and by existing or new."""

from __future__ import annotations

import math
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from networks.graph import BUILT_MW, HeatNetwork

__all__ = ["BUILT_MW", "plot_network", "plot_network_periods"]

# kind: (marker, colour, size [pt^2], legend label)
_NODE_STYLE = {
    "zone": ("o", "#1f77b4", 90, "zone"),
    "energy_centre": ("s", "#d62728", 110, "energy centre"),
    "source": ("^", "#ff7f0e", 110, "heat source"),
    "junction": (".", "#555555", 40, "junction"),
}
_EXISTING_COLOUR = "#333333"
_NEW_COLOUR = "#2ca02c"
_UNBUILT_COLOUR = "#bbbbbb"


def _width_pt(capacity_mw: float, largest_mw: float) -> float:
    """Line width [pt] growing with the square root of capacity, 1.5 to 8 pt."""
    if capacity_mw <= 0 or largest_mw <= 0:
        return 1.0
    return 1.5 + 6.5 * math.sqrt(capacity_mw / largest_mw)



def plot_network(network: HeatNetwork, path: str | Path, *,
                 capacity_mw: dict[str, float] | None = None,
                 new_capacity_mw: dict[str, float] | None = None, title: str = "") -> Path:
    """Draw the network on longitude/latitude axes and save it as a PNG.

    Parameters
    ----------
    network : HeatNetwork
        The network.
    path : str or Path
        PNG file to write; its folder must exist.
    capacity_mw : dict of str to float, optional
        Total capacity per pipe [MW] (existing plus new); defaults to the existing capacity
        plus ``new_capacity_mw``.
    new_capacity_mw : dict of str to float, optional
        New capacity built per pipe [MW]; none when not given.
    title : str, optional
        Figure title.

    Returns
    -------
    Path
        The file written. Pipes are drawn solid dark grey where capacity exists, green where
        at least :data:`BUILT_MW` is added (on a new route or an existing one), and thin
        dashed light grey for candidates not built; width grows with the square root of
        total capacity. Nodes are marked by kind and labelled by name.
    """
    new = {p: 0.0 for p in network.pipes} | dict(new_capacity_mw or {})
    total = {p: pipe.existing_capacity_mw + new[p] for p, pipe in network.pipes.items()}
    if capacity_mw is not None:
        total |= capacity_mw
    largest = max(total.values(), default=0.0)

    fig = Figure(figsize=(9, 8), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    for name, pipe in network.pipes.items():
        a, b = network.nodes[pipe.start], network.nodes[pipe.end]
        if new[name] >= BUILT_MW:
            style = {"color": _NEW_COLOUR, "linestyle": "-"}
        elif pipe.existing_capacity_mw > 0:
            style = {"color": _EXISTING_COLOUR, "linestyle": "-"}
        else:
            style = {"color": _UNBUILT_COLOUR, "linestyle": "--"}
        ax.plot([a.x, b.x], [a.y, b.y], linewidth=_width_pt(total[name], largest), zorder=1,
                solid_capstyle="round", **style)
        if total[name] >= BUILT_MW:
            shown = f"{total[name]:.0f} MW" if total[name] >= 1 else f"{total[name]:.1f} MW"
            ax.annotate(shown, ((a.x + b.x) / 2, (a.y + b.y) / 2),
                        fontsize=7, color="#444444", ha="center", va="center", zorder=3,
                        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                              "alpha": 0.7})
    for kind, (marker, colour, size, _) in _NODE_STYLE.items():
        members = [n for n in network.nodes.values() if n.kind == kind]
        if members:
            ax.scatter([n.x for n in members], [n.y for n in members], marker=marker, s=size,
                       c=colour, edgecolors="black", linewidths=0.6, zorder=2)
    for n in network.nodes.values():
        ax.annotate(n.name, (n.x, n.y), xytext=(6, 4), textcoords="offset points", fontsize=8,
                    zorder=4)

    handles = [Line2D([], [], marker=m, color=c, linestyle="none", markersize=8,
                      markeredgecolor="black", label=label)
               for kind, (m, c, _, label) in _NODE_STYLE.items()
               if any(n.kind == kind for n in network.nodes.values())]
    handles += [Line2D([], [], color=_EXISTING_COLOUR, linewidth=3, label="existing pipe"),
                Line2D([], [], color=_NEW_COLOUR, linewidth=3, label="new capacity"),
                Line2D([], [], color=_UNBUILT_COLOUR, linewidth=1.5, linestyle="--",
                       label="candidate, not built")]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8)
    ax.set_xlabel("longitude [deg E]")
    ax.set_ylabel("latitude [deg N]")
    # Equal ground distances on both axes at the network's mean latitude.
    mean_lat = sum(n.y for n in network.nodes.values()) / max(len(network.nodes), 1)
    ax.set_aspect(1.0 / max(math.cos(math.radians(mean_lat)), 1e-6))
    ax.margins(0.12)
    ax.grid(True, linewidth=0.3, alpha=0.5)
    ax.set_title(title or "Heat network")
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, format="png")
    return path


_THIS_PERIOD_COLOUR = "#e68310"


def plot_network_periods(network: HeatNetwork, path: str | Path,
                         capacity_mw: dict[int, dict[str, float]],
                         zone_notes: dict[int, dict[str, str]] | None = None,
                         title: str = "") -> Path:
    """Small multiples: one map per period of a pathway, what is in service and what is new.

    Parameters
    ----------
    network : HeatNetwork
    path : str or Path
        PNG file to write; its folder must exist.
    capacity_mw : dict of int to dict of str to float
        Per period (year), capacity in service per pipe [MW], existing included.
    zone_notes : dict of int to dict of str to str, optional
        Per period, a short note per zone node (e.g. "+120 homes on the network"),
        printed under its name.
    title : str, optional

    Returns
    -------
    Path
        The file written. A pipe counts from :data:`BUILT_MW` of new capacity: orange
        where it is built or enlarged in the period, green where built earlier, dark grey
        where it existed before the plan, dashed light grey where not (yet) built.
    """
    years = sorted(capacity_mw)
    cols = min(len(years), 5)
    rows = math.ceil(len(years) / cols)
    fig = Figure(figsize=(3.4 * cols, 6.2 * rows + 0.8), dpi=90)
    FigureCanvasAgg(fig)
    largest = max((c for caps in capacity_mw.values() for c in caps.values()), default=0.0)
    mean_lat = sum(n.y for n in network.nodes.values()) / max(len(network.nodes), 1)
    before = {p: pipe.existing_capacity_mw for p, pipe in network.pipes.items()}
    for i, year in enumerate(years):
        ax = fig.add_subplot(rows, cols, i + 1)
        now = capacity_mw[year]
        for name, pipe in network.pipes.items():
            a, b = network.nodes[pipe.start], network.nodes[pipe.end]
            total = now.get(name, pipe.existing_capacity_mw)
            added_now = total - before[name] >= BUILT_MW
            added_before = before[name] - pipe.existing_capacity_mw >= BUILT_MW
            if added_now:
                style = {"color": _THIS_PERIOD_COLOUR, "linestyle": "-"}
            elif added_before:
                style = {"color": _NEW_COLOUR, "linestyle": "-"}
            elif pipe.existing_capacity_mw > 0:
                style = {"color": _EXISTING_COLOUR, "linestyle": "-"}
            else:
                style = {"color": _UNBUILT_COLOUR, "linestyle": "--"}
            shown = total if (added_now or added_before or pipe.existing_capacity_mw > 0) else 0
            ax.plot([a.x, b.x], [a.y, b.y], linewidth=_width_pt(shown, largest), zorder=1,
                    solid_capstyle="round", **style)
            if added_now:
                ax.annotate(f"{total:.1f} MW", ((a.x + b.x) / 2, (a.y + b.y) / 2), fontsize=7,
                            ha="center", va="center", zorder=3,
                            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                                  "alpha": 0.7})
            if added_now:
                before[name] = total
        for kind, (marker, colour, size, _) in _NODE_STYLE.items():
            members = [n for n in network.nodes.values() if n.kind == kind]
            if members:
                ax.scatter([n.x for n in members], [n.y for n in members], marker=marker,
                           s=size * 0.7, c=colour, edgecolors="black", linewidths=0.5, zorder=2)
        notes = (zone_notes or {}).get(year, {})
        for n in network.nodes.values():
            if n.kind in ("zone", "energy_centre") or n.name in notes:
                text = n.name + (f"\n{notes[n.name]}" if notes.get(n.name) else "")
                ax.annotate(text, (n.x, n.y), xytext=(5, 3), textcoords="offset points",
                            fontsize=6.5, zorder=4)
        ax.set_aspect(1.0 / max(math.cos(math.radians(mean_lat)), 1e-6))
        ax.margins(0.15)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(str(year), fontsize=11)
    handles = [Line2D([], [], color=_THIS_PERIOD_COLOUR, linewidth=3,
                      label="built or enlarged in this period"),
               Line2D([], [], color=_NEW_COLOUR, linewidth=3, label="built in an earlier period"),
               Line2D([], [], color=_EXISTING_COLOUR, linewidth=3,
                      label="existing before the plan"),
               Line2D([], [], color=_UNBUILT_COLOUR, linewidth=1.5, linestyle="--",
                      label="candidate, not built yet")]
    handles += [Line2D([], [], marker=m, color=c, linestyle="none", markersize=7,
                       markeredgecolor="black", label=label)
                for kind, (m, c, _, label) in _NODE_STYLE.items()
                if any(n.kind == kind for n in network.nodes.values())]
    fig.legend(handles=handles, loc="lower center", ncol=4, fontsize=8, frameon=False)
    fig.suptitle(title or "Heat network by period")
    fig.tight_layout(rect=(0, 0.06, 1, 0.97))
    path = Path(path)
    fig.savefig(path, format="png")
    return path
