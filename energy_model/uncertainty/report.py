"""The report's view of uncertainty: ranges next to headline figures and a section
"How sure is this plan" (no-regret builds, decisions that turn on one assumption, a
tornado chart and the near-optimal ranges as bars around the chosen sizes).

:func:`energy_model.report.build_report` calls :func:`headline_ranges` and
:func:`certainty_section` when an uncertainty run or alternatives are given.
"""

from __future__ import annotations

import dataclasses
import html
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import xarray as xr

from energy_model import report_charts as charts
from energy_model.uncertainty.summary import tables, tornado

# headline key: (scale to the shown unit, how a range reads)
HEADLINE_RANGES = {
    "total_cost_gbp_per_year": (1e-6, "£{:,.1f}m-£{:,.1f}m"),
    "co2_t_per_year": (1e-3, "{:,.1f}-{:,.1f} kt"),
    "households_lifted_out_of_fuel_poverty": (1.0, "{:,.0f}-{:,.0f}"),
}


def read_alternatives(folder: str | Path) -> pd.DataFrame | None:
    """``alternatives.csv`` of an ``energy-model alternatives`` run, or None."""
    path = Path(folder) / "alternatives.csv"
    return pd.read_csv(path) if path.exists() else None


def headline_ranges(heads: list, unc: xr.Dataset) -> list:
    """Headline figures with the samples' P10-P90 after the note, where the run has them."""
    out = []
    for h in heads:
        spec = HEADLINE_RANGES.get(h.key)
        name = f"{h.key}_quantile"
        if spec is None or name not in unc or h.value is None:
            out.append(h)
            continue
        scale, fmt = spec
        q = unc[name].to_numpy() * scale
        if not np.all(np.isfinite(q)):
            out.append(h)
            continue
        span = fmt.format(q[0], q[-1])
        note = f"{h.note}; " if h.note else ""
        out.append(dataclasses.replace(
            h, note=f"{note}P10-P90 over {unc.attrs['samples_solved']} samples: {span}"))
    return out


def tornado_chart(unc: xr.Dataset, result: str = "total_cost_gbp_per_year",
                  n: int = 10) -> charts.Chart | None:
    """Bars of the ``n`` assumptions that move ``result`` most (from one-at-a-time cases,
    or the samples' rank correlation)."""
    t = tornado(unc, result).head(n)
    if t.empty:
        return None
    names = [_short(p) for p in t["assumption"]]
    fig = go.Figure()
    if "swing" in t:
        base = float(unc.attrs.get(f"default_{result}", np.nan))
        scale, unit = (1e-6, "GBP m/yr") if result.endswith("gbp_per_year") else (1.0, "")
        low = (t["result_at_low"] - base) * scale
        high = (t["result_at_high"] - base) * scale
        fig.add_bar(y=names, x=low, orientation="h", name="assumption at its low")
        fig.add_bar(y=names, x=high, orientation="h", name="assumption at its high")
        title = f"Change in {result} from the plan at the values [{unit}]"
        data = t.assign(change_at_low=low.to_numpy(), change_at_high=high.to_numpy())
        caption = ("Each assumption moved alone to the low and high of its range, the others "
                   "at their values: the longest bars move the answer most.")
    else:
        fig.add_bar(y=names, x=t["rank_correlation"], orientation="h",
                    name="rank correlation")
        title = f"Rank correlation of each assumption with {result} over the samples"
        data = t
        caption = ("How strongly each assumption's sampled value moves the result (+1: "
                   "always up with it, -1: always down).")
    charts._layout(fig, title, height_px=120 + 30 * len(names), barmode="overlay")
    fig.update_yaxes(autorange="reversed")
    return charts.Chart(f"tornado_{result}", fig, caption, data)


def alternatives_chart(alt: pd.DataFrame) -> charts.Chart:
    """Near-optimal ranges as bars from min to max, the least-cost plan marked."""
    slack = float(alt["slack"].iloc[0]) if "slack" in alt and len(alt) else None
    names = [f"{charts.label(b)} [{u}]" for b, u in zip(alt["build"], alt["unit"],
                                                          strict=True)]
    span = (alt["max"] - alt["min"]).to_numpy()
    fig = go.Figure()
    fig.add_bar(y=names, x=span, base=alt["min"], orientation="h",
                name="near-optimal range", marker_color="#9ecae1")
    fig.add_scatter(y=names, x=alt["optimal"], mode="markers", name="least-cost plan",
                    marker={"color": "#08519c", "size": 10, "symbol": "line-ns-open"})
    charts._layout(fig, "What each build can be at almost the same cost",
                   height_px=120 + 28 * len(names))
    fig.update_yaxes(autorange="reversed")
    within = f"within {slack:.0%} of" if slack is not None else "close to"
    return charts.Chart("near_optimal_ranges", fig,
                        f"Bars: the least and most of each build among plans costing "
                        f"{within} the least cost; marks: the least-cost plan. A long bar "
                        "is a choice the cost barely cares about.", alt)


def _short(path: str) -> str:
    keys = path.split(".")
    return ".".join(keys[-2:]) if len(keys) > 1 else path


def certainty_section(unc: xr.Dataset | None, alt: pd.DataFrame | None,
                      chart_html) -> tuple[str, dict[str, pd.DataFrame], list[charts.Chart]]:
    """The section "How sure is this plan": its HTML, tables and charts.

    Parameters
    ----------
    unc : xarray.Dataset, optional
        From :func:`energy_model.uncertainty.run.run_uncertainty` (``uncertainty.nc``).
    alt : pandas.DataFrame, optional
        From :func:`energy_model.uncertainty.alternatives.near_optimal_ranges`.
    chart_html : callable
        Turns a :class:`~energy_model.report_charts.Chart` into HTML (the report's own).
    """
    parts, out_tables, out_charts = [], {}, []
    if unc is not None:
        t = tables(unc)
        share = float(unc.attrs["no_regret_share"])
        parts.append(f"<p>{int(unc.attrs['samples_solved'])} plans were solved, each with "
                     f"its assumptions drawn across their ranges (a Latin hypercube over "
                     f"{unc.sizes['assumption']} assumptions).</p>")
        keep = t["no_regret"]
        items = "".join(
            f"<li>{html.escape(charts.label(r.build))}: built in {r.share_built:.0%} of the "
            f"plans, at least {r.p10:,.1f} {html.escape(r.unit)} in nine of ten</li>"
            for r in keep.itertuples())
        parts.append(f"<h3>No-regret builds (in at least {share:.0%} of plans)</h3>"
                     + (f"<ul>{items}</ul>" if items else "<p>None.</p>"))
        depends = [(str(b), str(unc["depends_on"].sel(build=b).item()))
                   for b in unc["build"].to_numpy() if unc["depends_on"].sel(build=b).item()]
        items = "".join(f"<li>{html.escape(charts.label(b))} turns on "
                        f"<code>{html.escape(p)}</code></li>" for b, p in depends)
        parts.append("<h3>Decisions that depend on one assumption</h3>"
                     + (f"<ul>{items}</ul>" if items else "<p>None stands out.</p>"))
        if "regret_gbp_per_year" in unc and np.isfinite(unc["regret_gbp_per_year"]).any():
            regret = unc["regret_gbp_per_year"].to_numpy()
            parts.append(f"<p>Regret of this plan: built as planned and run under each "
                         f"sample, it costs up to £{np.nanmax(regret) / 1e6:,.1f}m a year more "
                         f"than that sample's own best plan (mean "
                         f"£{np.nanmean(regret) / 1e6:,.1f}m).</p>")
        for result in ("total_cost_gbp_per_year", "co2_t_per_year"):
            chart = tornado_chart(unc, result)
            if chart is not None:
                out_charts.append(chart)
                parts.append(chart_html(chart))
        out_tables.update({f"uncertainty_{k}": v for k, v in t.items()})
    if alt is not None:
        chart = alternatives_chart(alt)
        out_charts.append(chart)
        parts.append("<h3>Near-optimal alternatives</h3>" + chart_html(chart))
    return "".join(parts), out_tables, out_charts
